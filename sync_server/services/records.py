"""Record reads for REST and serialization; writes go through ``write_path.RecordWriter``."""

from __future__ import annotations

import uuid
from typing import Any

from sync_server.db.models import RecordBase
from sync_server.db.repositories import Repositories
from sync_server.db.repositories.records import ListQuery
from sync_server.entities import EntitySpec
from sync_server.errors import not_found
from sync_server.services.listing import encode_cursor


def serialize(spec: EntitySpec, row: RecordBase) -> dict[str, Any]:
    data: dict[str, Any] = spec.read.model_validate(row).model_dump(mode="json")
    return data


def etag(row: RecordBase) -> str:
    return f'"{row.version}"'


async def get_visible(repos: Repositories, spec: EntitySpec, record_id: uuid.UUID) -> RecordBase:
    row = await repos.records.get(spec, record_id, visible_to=repos.ctx.actor_id)
    if row is None:
        raise not_found(spec.name)
    return row


async def list_page(
    repos: Repositories, spec: EntitySpec, query: ListQuery, *, whole_tenant: bool = False
) -> dict[str, Any]:
    """One page in the list envelope of API.md. ``whole_tenant`` is for admin endpoints only."""
    visible_to = None if whole_tenant else repos.ctx.actor_id
    page = await repos.records.page(spec, query, visible_to=visible_to)
    next_cursor = None
    if page.has_more and page.rows:
        last = page.rows[-1]
        next_cursor = encode_cursor(
            query.sort, query.descending, getattr(last, query.sort), last.id
        )
    body: dict[str, Any] = {
        "items": [serialize(spec, r) for r in page.rows],
        "next_cursor": next_cursor,
        "limit": query.limit,
    }
    if page.total is not None:
        body["total"] = page.total
    return body
