"""Admin overviews: every record of the tenant (no visibility filter), with the list conventions
of API.md plus ``user_id`` (created by or assigned to), ``status`` (the entity's status field),
``created_from``/``created_to``, ``updated_from``/``updated_to``, any shown column as sort, and
``offset`` next to the cursor. Exports read the same query, without the paging parameters."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from typing import Any

from sync_server.db.models import RecordBase
from sync_server.db.repositories import Repositories
from sync_server.db.repositories.records import ListQuery
from sync_server.entities import ENTITIES, EntitySpec
from sync_server.errors import ApiError, ErrorCode, not_found, validation_error
from sync_server.schemas.admin import DAY_RANGES, OVERVIEW_ENTITIES, PAGING, shown_columns
from sync_server.services.listing import parse_list_query
from sync_server.services.records import list_page
from sync_server.services.write_path import RecordWriter, WriteResult

USER_COLUMNS = ("created_by", "assigned_to")
EXPORT_EXTRA = ("format",)
EXPORT_FORMATS = ("csv", "xlsx")


def overview_spec(name: str) -> EntitySpec:
    if name not in OVERVIEW_ENTITIES:
        raise ApiError(ErrorCode.NOT_FOUND, f"no admin overview of {name}")
    return ENTITIES[name]


def require_admin(repos: Repositories) -> None:
    if not repos.ctx.is_admin:
        raise ApiError(ErrorCode.FORBIDDEN, "This needs the admin role")


def overview_query(
    spec: EntitySpec, params: Mapping[str, str], *, export: bool = False
) -> ListQuery:
    """Parse an overview's (or, with ``export``, an export's) query string."""
    params = dict(params)
    if export and (paging := sorted(set(PAGING) & params.keys())):
        raise validation_error(
            {p: ["not accepted by an export (it has every row)"] for p in paging}
        )
    _status_alias(spec, params)
    query = parse_list_query(
        spec,
        params,
        extra=("user_id", *(EXPORT_EXTRA if export else ())),
        sortable=shown_columns(spec),
        day_ranges=DAY_RANGES,
        allow_offset=not export,
    )
    if "user_id" in params:
        columns = tuple(c for c in USER_COLUMNS if c in ("created_by", *spec.fields))
        query = dataclasses.replace(query, any_of=(columns, _user_ids(params["user_id"])))
    return query


def export_format(params: Mapping[str, str]) -> str:
    fmt = params.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        raise validation_error({"format": [f"must be one of {', '.join(EXPORT_FORMATS)}"]})
    return fmt


def _status_alias(spec: EntitySpec, params: dict[str, str]) -> None:
    """``status`` names the entity's status field (``lead_status``, ``project_status``...)."""
    field = spec.status_field
    if field is None or field == "status" or "status" not in params:
        return
    if field in params:
        raise validation_error({"status": [f"give status or {field}, not both"]})
    params[field] = params.pop("status")


def _user_ids(raw: str) -> tuple[uuid.UUID, ...]:
    try:
        return tuple(uuid.UUID(part) for part in raw.split(","))
    except ValueError as exc:
        raise validation_error({"user_id": ["must be user ids (comma-separated)"]}) from exc


async def overview_page(repos: Repositories, spec: EntitySpec, query: ListQuery) -> dict[str, Any]:
    require_admin(repos)
    return await list_page(repos, spec, query, whole_tenant=True)


async def get_any(repos: Repositories, spec: EntitySpec, record_id: uuid.UUID) -> RecordBase:
    """Any record of the tenant, trashed included (admin overviews' detail and edit)."""
    require_admin(repos)
    row = await repos.records.get(spec, record_id, visible_to=None)
    if row is None:
        raise not_found(spec.name)
    return row


async def update_any(
    repos: Repositories,
    spec: EntitySpec,
    record_id: uuid.UUID,
    changes: dict[str, Any],
    if_match: int | None,
) -> WriteResult:
    """An admin's edit of any record of the tenant, through the one write path (so it reaches
    devices by sync and meets their offline edits as conflicts, like any other change)."""
    require_admin(repos)
    return await RecordWriter(repos, whole_tenant=True).update(
        spec, record_id, changes, if_match=if_match
    )
