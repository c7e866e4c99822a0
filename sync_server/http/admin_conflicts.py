"""Admin conflict queue (SYNC.md "Conflicts for people"): the whole tenant's conflicts, their
detail, and resolution through the one write path. Choice semantics: services/conflict_queue.py.
"""

from __future__ import annotations

import uuid

from aiohttp import web

from sync_server.http.keys import repos
from sync_server.http.parsing import json_response, parse_body, path_id, query_params
from sync_server.http.routing import Access, RouteTable
from sync_server.schemas.admin_conflicts import (
    BulkResolveRequest,
    BulkResolveResponse,
    ConflictDetail,
    ConflictList,
    ConflictListQuery,
    ResolveRequest,
)
from sync_server.services import conflict_queue

routes = RouteTable()
C = "/api/v1/admin/conflicts"
TAG = "admin"


def conflict_id(request: web.Request) -> uuid.UUID:
    return path_id(request, "conflict")


@routes.route(
    "GET",
    C,
    access=Access.ADMIN,
    tag=TAG,
    summary="Conflicts of the whole tenant, newest first (admin)",
    query_model=ConflictListQuery,
    response_model=ConflictList,
)
async def list_conflicts(request: web.Request) -> web.Response:
    query = conflict_queue.parse_list_query(query_params(request))
    return json_response(await conflict_queue.list_conflicts(repos(request), query))


@routes.route(
    "GET",
    f"{C}/{{id}}",
    access=Access.ADMIN,
    tag=TAG,
    summary="One conflict: both sides per field, who, which device, when, and the live values",
    response_model=ConflictDetail,
)
async def get_conflict(request: web.Request) -> web.Response:
    return json_response(await conflict_queue.detail(repos(request), conflict_id(request)))


@routes.route(
    "POST",
    f"{C}/{{id}}/resolve",
    access=Access.ADMIN,
    tag=TAG,
    summary='Resolve a conflict: "server", "client" or "custom" (the side that ends up live)',
    request_model=ResolveRequest,
    response_model=ConflictDetail,
)
async def resolve_conflict(request: web.Request) -> web.Response:
    body = await parse_body(request, ResolveRequest)
    r = repos(request)
    result = await conflict_queue.resolve(r, conflict_id(request), body.choice, body.fields)
    return json_response(result)


@routes.route(
    "POST",
    f"{C}/resolve",
    access=Access.ADMIN,
    tag=TAG,
    summary="Resolve several conflicts with one choice (admin); per-id results",
    request_model=BulkResolveRequest,
    response_model=BulkResolveResponse,
)
async def bulk_resolve(request: web.Request) -> web.Response:
    body = await parse_body(request, BulkResolveRequest)
    r = repos(request)
    results = await conflict_queue.bulk_resolve(r, body.ids, body.choice)
    out = BulkResolveResponse.model_validate({"results": results})
    return json_response(out.model_dump(mode="json"))
