"""Record reads for REST and serialization; writes go through ``write_path.RecordWriter``."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Date, Numeric, Uuid

from sync_server.db.models.base import UTCDateTime
from sync_server.db.repositories import Repositories
from sync_server.db.repositories.records import ListQuery, read_columns, table_of
from sync_server.entities import EntitySpec
from sync_server.errors import ApiError, ErrorCode, not_found
from sync_server.services.listing import encode_cursor


def _utc_text(value: datetime) -> str:
    if value.tzinfo is not UTC:  # read back from the database it is UTC already
        value = value.astimezone(UTC)
    return value.isoformat().replace("+00:00", "Z")


def _converter(column_type: Any) -> Callable[[Any], Any] | None:
    """How a column's value is written in JSON, as the Read models write it (types.py: UTC
    timestamps with ``Z``, money with two decimals); None: as it is."""
    if isinstance(column_type, Uuid):
        return str
    if isinstance(column_type, UTCDateTime):
        return _utc_text
    if isinstance(column_type, Date):
        return date.isoformat
    if isinstance(column_type, Numeric):
        return "{:.2f}".format
    return None


@cache
def read_fields(spec: EntitySpec) -> tuple[tuple[str, Callable[[Any], Any] | None], ...]:
    """(name, JSON converter or None) for each Read field, in order."""
    columns = table_of(spec).c
    return tuple((name, _converter(columns[name].type)) for name in read_columns(spec))


@cache
def _layout(
    spec: EntitySpec,
) -> tuple[tuple[str, ...], tuple[tuple[str, Callable[[Any], Any]], ...]]:
    """The Read fields' names, and the conversions some of them need."""
    fields = read_fields(spec)
    return tuple(n for n, _ in fields), tuple((n, c) for n, c in fields if c is not None)


def serialize(spec: EntitySpec, row: Any) -> dict[str, Any]:
    """A record (ORM object or result row) as its Read model's JSON, built directly: stored
    values were validated when written, and validating every outgoing row again through Pydantic
    was the larger part of a list request's CPU. A unit test holds this to ``spec.read``."""
    return serialize_rows(spec, [row])[0]


def serialize_rows(spec: EntitySpec, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """``serialize`` for the rows of one result (one set of columns), the columns compared with
    the Read fields once, not per row: a sync snapshot page has a thousand."""
    if not rows:
        return []
    names, conversions = _layout(spec)
    by_position = getattr(rows[0], "_fields", None) == names
    return [_encode(row, names, conversions, by_position) for row in rows]


def _encode(
    row: Any,
    names: tuple[str, ...],
    conversions: tuple[tuple[str, Callable[[Any], Any]], ...],
    by_position: bool,
) -> dict[str, Any]:
    """``by_position``: ``row`` is a result row of exactly the Read columns, in order (what
    lists and pulls read), so it is read without looking its columns up by name."""
    if by_position:
        out = dict(zip(names, row, strict=True))
    else:
        out = {name: getattr(row, name) for name in names}
    for name, convert in conversions:
        if (value := out[name]) is not None:
            out[name] = convert(value)
    return out


def etag(row: Any) -> str:
    return f'"{row.version}"'


async def get_visible(repos: Repositories, spec: EntitySpec, record_id: uuid.UUID) -> Any:
    """The record for a detail response (a row of its Read columns), or 404."""
    row = await repos.records.read(spec, record_id, visible_to=repos.ctx.actor_id)
    if row is None:
        raise not_found(spec.name)
    return row


async def list_page(
    repos: Repositories, spec: EntitySpec, query: ListQuery, *, whole_tenant: bool = False
) -> dict[str, Any]:
    """One page in the list envelope of API.md. ``whole_tenant`` is for admin endpoints only,
    and checked here too, not just by the route's access rule."""
    if whole_tenant and not repos.ctx.is_admin:
        raise ApiError(ErrorCode.FORBIDDEN, "This needs the admin role")
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
