"""OpenAPI parameters of a route: path parameters, list query parameters, a query model."""

from __future__ import annotations

import re
from typing import Any

from sync_server.entities import EntitySpec
from sync_server.http.routing import RouteSpec
from sync_server.schemas.records import READ_MODELS
from sync_server.services.listing import DEFAULT_LIMIT, MAX_LIMIT

_PATH_PARAM = re.compile(r"\{(\w+)(?::[^}]*)?\}")
_DROPPED_KEYS = ("title", "default")


def openapi_path(path: str) -> tuple[str, list[str]]:
    """aiohttp's ``/x/{id}`` or ``/x/{id:regex}`` as OpenAPI's ``/x/{id}``, with the names."""
    names = _PATH_PARAM.findall(path)
    return _PATH_PARAM.sub(lambda m: "{" + m.group(1) + "}", path), names


def path_parameters(names: list[str]) -> list[dict[str, Any]]:
    params = []
    for name in names:
        schema: dict[str, Any] = {"type": "string"}
        if name == "id" or name.endswith("_id"):
            schema["format"] = "uuid"  # ids are UUID strings (API.md)
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return params


def _query(name: str, schema: dict[str, Any], description: str, **kw: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema, "description": description, **kw}


def _non_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A field's schema without its ``null`` branch, title and default (a filter's value)."""
    branches = [b for b in schema.get("anyOf", []) if b != {"type": "null"}]
    core = branches[0] if len(branches) == 1 else schema
    return {k: v for k, v in core.items() if k not in _DROPPED_KEYS}


def _filter(name: str, field: dict[str, Any]) -> dict[str, Any]:
    return _query(
        name,
        {"type": "array", "items": _non_null(field)},
        "Equals; comma-separated values match any of them; `null` matches an empty field.",
        style="form",
        explode=False,
    )


def list_parameters(spec: EntitySpec) -> list[dict[str, Any]]:
    """The list conventions of API.md (services/listing.py) for one entity."""
    sorts = [*spec.sortable, *(f"-{s}" for s in spec.sortable)]
    limit = {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}
    common = [
        _query("limit", limit, f"Page size, 1 to {MAX_LIMIT}."),
        _query("cursor", {"type": "string"}, "`next_cursor` of the previous page (same sort)."),
        _query("sort", {"type": "string", "enum": sorts, "default": "-created_at"}, "`-` = desc."),
        _query(
            "q",
            {"type": "string", "maxLength": 200},
            "Search: every word must begin a word of one of the searchable fields (any field, "
            "any order, case ignored; a phone number's digits match however it is written).",
        ),
        _query("count", {"type": "boolean", "default": False}, "`true` adds `total`."),
    ]
    # Filter values obey the field's own rules (services/listing.py validates them that way).
    fields = spec.read.model_json_schema(mode="validation")["properties"]
    return common + [_filter(name, fields[name]) for name in spec.filterable]


def model_parameters(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Query parameters from a query model's (object) schema."""
    required = set(schema.get("required", ()))
    return [
        _query(name, prop, prop.get("description", ""), required=name in required)
        for name, prop in schema.get("properties", {}).items()
    ]


def parameters(spec: RouteSpec, names: list[str], query_schema: dict[str, Any] | None) -> list[Any]:
    params = path_parameters(names)
    list_spec = spec.extra.get("list_spec")
    if isinstance(list_spec, EntitySpec):
        params += list_parameters(list_spec)
    if query_schema is not None:
        params += model_parameters(query_schema)
    if spec.method in ("PATCH", "DELETE") and spec.response_model in READ_MODELS.values():
        params.append(_if_match())
    return params


def _if_match() -> dict[str, Any]:
    return {
        "name": "If-Match",
        "in": "header",
        "required": False,
        "schema": {"type": "string"},
        "description": 'The record\'s ETag (`"<version>"`); stale answers 412 `modified`.',
    }
