"""Admin overviews, bulk actions and exports of ``/api/v1/admin/{leads,clients,projects,accounts}``.

The query models are built from the entity descriptions (one per overview, no per-entity code).
They document the query strings in OpenAPI and name every parameter the parser accepts
(services/admin_records.py reads the same names; a test keeps the two equal).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Literal, cast

from pydantic import BaseModel, Field, create_model

from sync_server.entities import ENTITIES, EntitySpec
from sync_server.schemas.base import ErrorBody, Strict
from sync_server.services.listing import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET

OVERVIEW_ENTITIES = ("lead", "client", "project", "account")
MAX_BULK_IDS = 500
# Query parameters of an overview besides the entity's own filters; ``<prefix>_from``/``_to``.
DAY_RANGES = {"created": "created_at", "updated": "updated_at"}
PAGING = ("limit", "cursor", "offset", "count")

BulkAction = Literal["assign", "status", "delete"]
ExportFormat = Literal["csv", "xlsx"]


def shown_columns(spec: EntitySpec) -> tuple[str, ...]:
    """The columns an overview shows (its Read shape); it may sort on any of them."""
    return tuple(name for name in spec.read.model_fields if name != "deleted_at")


def _literal(values: tuple[str, ...]) -> Any:
    return cast(Any, Literal)[values]


def _filters(spec: EntitySpec) -> dict[str, Any]:
    fields = spec.create.model_fields
    out: dict[str, Any] = {}
    for name in spec.filterable:
        annotation: Any = fields[name].annotation if name in fields else uuid.UUID
        out[name] = (
            annotation | None,
            Field(default=None, description="Equals; a,b matches any of them"),
        )
    if spec.status_field and spec.status_field != "status":
        status: Any = fields[spec.status_field].annotation
        out["status"] = (status | None, Field(default=None, description=spec.status_field))
    return out


def _common(spec: EntitySpec) -> dict[str, Any]:
    sorts = shown_columns(spec)
    day: dict[str, Any] = {
        f"{prefix}_{end}": (date | None, Field(default=None, description=f"{col}, UTC day"))
        for prefix, col in DAY_RANGES.items()
        for end in ("from", "to")
    }
    return {
        "sort": (
            _literal((*sorts, *(f"-{s}" for s in sorts))),
            Field(default="-created_at", description="Any shown column; `-` = descending"),
        ),
        "q": (str | None, Field(default=None, max_length=200, description="Text search")),
        "user_id": (
            uuid.UUID | None,
            Field(default=None, description="Created by or assigned to; a,b matches any of them"),
        ),
        **day,
    }


def _paging() -> dict[str, Any]:
    return {
        "limit": (int, Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)),
        "cursor": (str | None, Field(default=None, description="`next_cursor` (same sort)")),
        "offset": (
            int | None,
            Field(default=None, ge=0, le=MAX_OFFSET, description="Rows to skip (not with cursor)"),
        ),
        "count": (bool, Field(default=False, description="`true` adds `total`")),
    }


def overview_query_model(spec: EntitySpec) -> type[BaseModel]:
    model: type[BaseModel] = create_model(
        f"Admin{spec.path.title()}Query",
        __base__=Strict,
        __doc__=f"Query string of GET /admin/{spec.path}",
        **_paging(),
        **_common(spec),
        **_filters(spec),
    )
    return model


def export_query_model(spec: EntitySpec) -> type[BaseModel]:
    model: type[BaseModel] = create_model(
        f"Admin{spec.path.title()}ExportQuery",
        __base__=Strict,
        __doc__=f"Query string of GET /admin/{spec.path}/export",
        format=(ExportFormat, Field(default="csv")),
        **_common(spec),
        **_filters(spec),
    )
    return model


OVERVIEW_QUERIES = {name: overview_query_model(ENTITIES[name]) for name in OVERVIEW_ENTITIES}
EXPORT_QUERIES = {name: export_query_model(ENTITIES[name]) for name in OVERVIEW_ENTITIES}


class BulkRequest(Strict):
    """``assign``: ``value`` is an active user's id (null unassigns); ``status``: a value of the
    entity's closed status list; ``delete`` (to Trash): no ``value``."""

    action: BulkAction
    ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK_IDS)
    value: Any = None


class BulkResult(BaseModel):
    id: uuid.UUID
    status: Literal["ok", "failed"]
    error: ErrorBody | None = None


class BulkResponse(BaseModel):
    results: list[BulkResult]
