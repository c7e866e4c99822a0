"""List query strings -> ListQuery, with the conventions of API.md: limit 1..100 (default 25),
keyset cursors bound to their sort, ``sort=-field``, filters on declared fields only (values
checked against the same closed lists as writes), ``q`` text search, ``count=true``."""

from __future__ import annotations

import base64
import dataclasses
import json
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import TypeDecorator

from sync_server.db.repositories.records import ListQuery
from sync_server.entities import EntitySpec
from sync_server.errors import validation_error
from sync_server.search import CONTROL_CHARACTERS, one_line

MAX_LIMIT, DEFAULT_LIMIT = 100, 25
MAX_OFFSET = 1_000_000
COMMON_PARAMS = ("limit", "cursor", "sort", "q", "count")


def _fail(field: str, message: str) -> Exception:
    return validation_error({field: [message]})


def parse_limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise _fail("limit", f"must be an integer from 1 to {MAX_LIMIT}")
    return int(raw)


def _column_type(spec: EntitySpec, name: str) -> type[Any]:
    col_type = getattr(spec.model, name).type
    if isinstance(col_type, TypeDecorator):
        # A decorated type (UTCDateTime) reports ``object``; its implementation knows better.
        col_type = col_type.impl_instance
    py: type[Any] = col_type.python_type
    return py


@lru_cache(maxsize=256)
def _filter_adapter(spec: EntitySpec, name: str) -> TypeAdapter[Any]:
    """Filter values obey the same rules as the field itself (closed lists stay closed). Built
    once per field: building a TypeAdapter costs more than validating with it."""
    field = spec.create.model_fields.get(name)
    if field is not None and field.annotation is not None:
        return TypeAdapter(field.annotation)
    column_type: Any = _column_type(spec, name)
    return TypeAdapter(column_type | None)


@lru_cache(maxsize=256)
def _value_adapter(spec: EntitySpec, name: str) -> TypeAdapter[Any]:
    return TypeAdapter(_column_type(spec, name))


def parse_filters(
    spec: EntitySpec, params: Mapping[str, str], allowed: tuple[str, ...]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in allowed:
        if name not in params:
            continue
        adapter = _filter_adapter(spec, name)
        values = []
        for raw in params[name].split(","):
            try:
                values.append(adapter.validate_python(_coerce(raw)))
            except ValidationError as exc:
                raise _fail(name, exc.errors()[0]["msg"]) from exc
        out[name] = values if len(values) > 1 else values[0]
    return out


def _coerce(raw: str) -> Any:
    return {"true": True, "false": False, "null": None}.get(raw, raw)


def parse_sort(spec: EntitySpec, raw: str | None, default: str = "-created_at") -> tuple[str, bool]:
    raw = raw or default
    name, desc = (raw[1:], True) if raw.startswith("-") else (raw, False)
    if name not in spec.sortable and name != "deleted_at":
        raise _fail("sort", f"unknown sort field; allowed: {', '.join(spec.sortable)}")
    return name, desc


def encode_cursor(sort: str, desc: bool, value: Any, record_id: uuid.UUID) -> str:
    payload = [sort, desc, value is None, _jsonable(value), str(record_id)]
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def decode_cursor(spec: EntitySpec, raw: str, sort: str, desc: bool) -> tuple[bool, Any, uuid.UUID]:
    try:
        padded = raw + "=" * (-len(raw) % 4)
        c_sort, c_desc, is_null, value, rid = json.loads(base64.urlsafe_b64decode(padded))
        if (c_sort, c_desc) != (sort, desc):
            raise ValueError("cursor belongs to another sort")
        typed = None if is_null else _value_adapter(spec, sort).validate_python(value)
        return bool(is_null), typed, uuid.UUID(rid)
    except (ValueError, TypeError, ValidationError) as exc:
        raise _fail(
            "cursor", "invalid cursor (it must come from next_cursor of the same sort)"
        ) from exc


def parse_list_query(
    spec: EntitySpec,
    params: Mapping[str, str],
    *,
    extra: tuple[str, ...] = (),
    trashed: bool = False,
    default_sort: str = "-created_at",
    sortable: tuple[str, ...] | None = None,
    day_ranges: Mapping[str, str] | None = None,
    allow_offset: bool = False,
) -> ListQuery:
    """``extra`` names parameters the caller reads itself; ``sortable`` widens the sort fields
    (admin overviews sort on any shown column); ``day_ranges`` maps a prefix to a timestamp
    column (``{"created": "created_at"}`` reads ``created_from`` / ``created_to``, whole UTC days,
    both inclusive); ``allow_offset`` accepts ``offset`` (admin overview tables)."""
    ranges = day_ranges or {}
    range_params = [f"{prefix}_{end}" for prefix in ranges for end in ("from", "to")]
    offset_param = ("offset",) if allow_offset else ()
    allowed = (*COMMON_PARAMS, *offset_param, *spec.filterable, *range_params, *extra)
    if unknown := sorted(set(params) - set(allowed)):
        raise validation_error(
            {name: [f"unknown parameter; allowed: {', '.join(allowed)}"] for name in unknown}
        )
    if sortable is not None:
        spec = dataclasses.replace(spec, sortable=sortable)
    sort, desc = parse_sort(spec, params.get("sort"), default_sort)
    q = params.get("q")
    if q is not None and len(q) > 200:
        raise _fail("q", "at most 200 characters")
    if q is not None and not one_line(q):
        raise _fail("q", CONTROL_CHARACTERS)
    cursor = params.get("cursor")
    offset = parse_offset(params.get("offset"), cursor)
    return ListQuery(
        sort=sort,
        descending=desc,
        limit=parse_limit(params.get("limit")),
        after=decode_cursor(spec, cursor, sort, desc) if cursor else None,
        filters=parse_filters(spec, params, spec.filterable),
        ranges={col: parse_day_range(params, prefix) for prefix, col in ranges.items()},
        q=q or None,
        trashed=trashed,
        count=params.get("count") == "true",
        offset=offset,
    )


def parse_day_range(params: Mapping[str, str], prefix: str) -> tuple[Any, Any]:
    """``<prefix>_from`` / ``<prefix>_to`` (ISO dates, UTC days, both inclusive) as the half-open
    range [from 00:00Z, the day after ``to`` 00:00Z)."""
    days: list[date | None] = []
    for end in ("from", "to"):
        raw = params.get(f"{prefix}_{end}")
        try:
            days.append(date.fromisoformat(raw) if raw else None)
        except ValueError as exc:
            raise _fail(f"{prefix}_{end}", "must be a date such as 2024-05-31") from exc
    first, last = days
    if first and last and last < first:
        raise _fail(f"{prefix}_to", f"must not be before {prefix}_from")
    low = datetime.combine(first, time(), UTC) if first else None
    high = datetime.combine(last + timedelta(days=1), time(), UTC) if last else None
    return low, high


def parse_offset(raw: str | None, cursor: str | None) -> int | None:
    if raw is None:
        return None
    if cursor is not None:
        raise _fail("offset", "use either offset or cursor, not both")
    if not raw.isdigit() or int(raw) > MAX_OFFSET:
        raise _fail("offset", f"must be an integer from 0 to {MAX_OFFSET}")
    return int(raw)
