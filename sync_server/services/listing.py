"""List query strings -> ListQuery, with the conventions of API.md: limit 1..100 (default 25),
keyset cursors bound to their sort, ``sort=-field``, filters on declared fields only (values
checked against the same closed lists as writes), ``q`` text search, ``count=true``."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter, ValidationError

from sync_server.db.repositories.records import ListQuery
from sync_server.entities import EntitySpec
from sync_server.errors import validation_error

MAX_LIMIT, DEFAULT_LIMIT = 100, 25
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
    py: type[Any] = getattr(spec.model, name).type.python_type
    return py


def _filter_adapter(spec: EntitySpec, name: str) -> TypeAdapter[Any]:
    """Filter values obey the same rules as the field itself (closed lists stay closed)."""
    field = spec.create.model_fields.get(name)
    if field is not None and field.annotation is not None:
        return TypeAdapter(field.annotation)
    column_type: Any = _column_type(spec, name)
    return TypeAdapter(column_type | None)


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
        typed = None if is_null else TypeAdapter(_column_type(spec, sort)).validate_python(value)
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
) -> ListQuery:
    allowed = (*COMMON_PARAMS, *spec.filterable, *extra)
    if unknown := sorted(set(params) - set(allowed)):
        raise validation_error(
            {name: [f"unknown parameter; allowed: {', '.join(allowed)}"] for name in unknown}
        )
    sort, desc = parse_sort(spec, params.get("sort"), default_sort)
    q = params.get("q")
    if q is not None and len(q) > 200:
        raise _fail("q", "at most 200 characters")
    cursor = params.get("cursor")
    return ListQuery(
        sort=sort,
        descending=desc,
        limit=parse_limit(params.get("limit")),
        after=decode_cursor(spec, cursor, sort, desc) if cursor else None,
        filters=parse_filters(spec, params, spec.filterable),
        q=q or None,
        trashed=trashed,
        count=params.get("count") == "true",
    )
