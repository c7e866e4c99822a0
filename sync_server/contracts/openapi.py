"""The OpenAPI 3.1 document of every declared route (``RouteSpec``), built from the route table.

Bodies come from each route's ``request_model`` (validation mode) and ``response_model``
(serialization mode); every failure is the one ``ErrorBody`` shape.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from sync_server.contracts.parameters import openapi_path, parameters
from sync_server.http.routing import Access, RouteSpec
from sync_server.schemas.base import ErrorBody

REF = "#/components/schemas/{model}"
INFO = {
    "title": "PathSix CRM API",
    "version": "1.0.0",
    "description": (
        "Generated from the server's Pydantic models (`pathsix contracts export`); never edit "
        "by hand. Errors always have the ErrorBody shape. Ids are UUID strings, timestamps ISO "
        "8601 UTC with `Z`, money a decimal string. A breaking change gets `/api/v2`."
    ),
}
# Error statuses a route can answer, by what its declaration says about it (4XX/5XX cover the
# rest: 400 bad JSON, 413, 415, 429, 500, 503 ...).
ERRORS = {
    "401": "Missing, invalid, expired or revoked token",
    "403": "The user lacks a role this route needs",
    "404": "No such record, or not visible to you (another tenant's ids answer 404 too)",
    "412": "If-Match is stale: `modified`, with `details.current`",
    "422": "Validation failed: `validation_error`, with `details.fields`",
    "4XX": "Client error",
    "5XX": "Server error",
}
BEARER = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


Refs = dict[tuple[Any, JsonSchemaMode], dict[str, Any]]


def _components(specs: Sequence[RouteSpec]) -> tuple[Refs, dict[str, Any]]:
    """Every model the routes name, in the mode it travels in, as components/schemas."""
    pairs: list[tuple[type[BaseModel], JsonSchemaMode]] = [(ErrorBody, "serialization")]
    for spec in specs:
        pairs += [(m, "validation") for m in (spec.request_model, spec.query_model) if m]
        pairs += [(spec.response_model, "serialization")] if spec.response_model else []
    refs, top = models_json_schema(list(dict.fromkeys(pairs)), ref_template=REF)
    return dict(refs), top.get("$defs", {})


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _error_statuses(spec: RouteSpec, params: list[dict[str, Any]]) -> list[str]:
    wanted = {
        "401": spec.access is not Access.PUBLIC,
        "403": spec.access is Access.ADMIN or bool(spec.roles),
        "404": any(p["in"] == "path" for p in params),
        "412": any(p["in"] == "header" and p["name"] == "If-Match" for p in params),
        "422": bool(spec.request_model or spec.query_model or "list_spec" in spec.extra),
    }
    return [code for code, on in wanted.items() if on] + ["4XX", "5XX"]


def _responses(spec: RouteSpec, params: list[dict[str, Any]], refs: Refs) -> dict[str, Any]:
    ok: dict[str, Any] = {"description": HTTPStatus(spec.status).phrase}
    if spec.response_model is not None and spec.status != 204:
        ok["content"] = _json(refs[(spec.response_model, "serialization")])
    out: dict[str, Any] = {str(spec.status): ok}
    for code in _error_statuses(spec, params):
        out[code] = {"$ref": f"#/components/responses/E{code}"}
    return out


def operation_id(method: str, path: str) -> str:
    """``GET /api/v1/leads/{id}`` -> ``getLeadsById`` (unique per method and OpenAPI path)."""
    words = [w for w in re.split(r"[/_\-.]", path.removeprefix("/api/v1")) if w]
    return method.lower() + "".join(
        f"By{w[1:-1].title()}" if w[0] == "{" else w.title() for w in words
    )


def _query_schema(spec: RouteSpec, refs: Refs, components: dict[str, Any]) -> Any:
    if spec.query_model is None:
        return None
    return components[refs[(spec.query_model, "validation")]["$ref"].rsplit("/", 1)[1]]


def _operation(spec: RouteSpec, refs: Refs, components: dict[str, Any]) -> dict[str, Any]:
    path, names = openapi_path(spec.path)
    params = parameters(spec, names, _query_schema(spec, refs, components))
    op: dict[str, Any] = {
        "operationId": operation_id(spec.method, path),
        "summary": spec.summary,
        "responses": _responses(spec, params, refs),
    }
    if spec.tag:
        op["tags"] = [spec.tag]
    if params:
        op["parameters"] = params
    if spec.request_model is not None:
        body = refs[(spec.request_model, "validation")]
        op["requestBody"] = {"required": True, "content": _json(body)}
    if spec.access is not Access.PUBLIC:
        op["security"] = [{"bearerAuth": []}]
        roles = sorted({*spec.roles, *(["admin"] if spec.access is Access.ADMIN else [])})
        op["description"] = "Needs roles: " + ", ".join(roles) if roles else "Any active user."
    return op


def _paths(specs: Sequence[RouteSpec], refs: Refs, components: dict[str, Any]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for spec in specs:
        operations = paths.setdefault(openapi_path(spec.path)[0], {})
        if spec.method.lower() in operations:
            raise ValueError(f"route declared twice: {spec.method} {spec.path}")
        operations[spec.method.lower()] = _operation(spec, refs, components)
    return paths


def build(specs: Sequence[RouteSpec]) -> dict[str, Any]:
    refs, components = _components(specs)
    error = {"schema": refs[(ErrorBody, "serialization")]}
    return {
        "openapi": "3.1.0",
        "info": INFO,
        "paths": _paths(specs, refs, components),
        "tags": [{"name": tag} for tag in sorted({s.tag for s in specs if s.tag})],
        "components": {
            "schemas": components,
            "responses": {
                f"E{code}": {"description": text, "content": {"application/json": error}}
                for code, text in ERRORS.items()
            },
            "securitySchemes": {"bearerAuth": BEARER},
        },
    }
