"""Request body and query parsing into Pydantic models, with the one error shape."""

from __future__ import annotations

import json
import uuid
from typing import Any, TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError

from sync_server.errors import ApiError, ErrorCode, validation_error

T = TypeVar("T", bound=BaseModel)


def field_errors(exc: ValidationError) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"]) or "__root__"
        message = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
        fields.setdefault(loc, []).append(message)
    return fields


async def read_json(request: web.Request) -> Any:
    if request.content_type not in ("application/json", ""):
        raise ApiError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send application/json")
    raw = await request.read()
    try:
        return json.loads(raw) if raw else None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ApiError(ErrorCode.BAD_JSON, "Request body is not valid JSON") from exc


def validate(model: type[T], data: Any) -> T:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(field_errors(exc)) from exc


async def parse_body(request: web.Request, model: type[T]) -> T:
    data = await read_json(request)
    if data is None:
        data = {}
    return validate(model, data)


def query_params(request: web.Request) -> dict[str, str]:
    """The query string, one value per parameter. No parameter takes its values by repetition
    (a list filter takes several comma-separated: ``?lead_status=new,lost``), so one given more
    than once is refused with 422 rather than quietly reduced to one of its values. Every
    handler reads its query string through here."""
    query = request.query
    if len(query) > len(set(query)):
        repeated = sorted({name for name in query if len(query.getall(name)) > 1})
        raise validation_error({name: ["given more than once"] for name in repeated})
    return dict(query)


def path_id(request: web.Request, noun: str) -> uuid.UUID:
    """The ``{id}`` of the path; one that is not a UUID names nothing: 404, like a missing one."""
    try:
        return uuid.UUID(request.match_info["id"])
    except ValueError as exc:
        raise ApiError(ErrorCode.NOT_FOUND, f"{noun} not found") from exc


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    return web.json_response(data, status=status, headers=headers, dumps=_dumps)


def _dumps(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), default=str, ensure_ascii=False)
