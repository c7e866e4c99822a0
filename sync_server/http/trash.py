"""Trash: list visible trashed records, restore, purge (admin), bulk purge (admin); and the
tenant-wide Trash of admins (``/api/v1/admin/trash``: every user's trashed records, restore one
or many).

Bulk purge and bulk restore run as one batch of the write path (``each_in_batch``): the records,
and what their purges reach, read and locked in one query per entity, seqs and log rows written
once, one savepoint for all items. An item refused before it wrote anything (unknown, another
tenant's, not in Trash) fails alone; should one fail after it started writing, the items run again
one savepoint each, with the same results.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import get_args

from aiohttp import web

from sync_server.entities import ENTITIES, EntitySpec
from sync_server.errors import ApiError, validation_error
from sync_server.http.keys import repos
from sync_server.http.parsing import json_response, parse_body, query_params
from sync_server.http.records import record_id, record_response
from sync_server.http.routing import Access, RouteTable
from sync_server.schemas.trash import BulkPurgeRequest, BulkTrashResponse, PurgeItem, TrashEntity
from sync_server.services import lifecycle
from sync_server.services.listing import parse_list_query
from sync_server.services.records import list_page
from sync_server.services.write_path import RecordWriter, each_in_batch

routes = RouteTable()
T = "/api/v1/trash"
ADMIN_T = "/api/v1/admin/trash"
TRASH_ENTITIES: tuple[str, ...] = get_args(TrashEntity)


def trash_spec(name: str | None) -> EntitySpec:
    if name not in TRASH_ENTITIES:
        raise validation_error({"entity": [f"must be one of {', '.join(TRASH_ENTITIES)}"]})
    return ENTITIES[name]


@routes.route("GET", T, access=Access.USER, tag="trash", summary="Trashed records visible to you")
async def list_trash(request: web.Request) -> web.Response:
    params = query_params(request)
    spec = trash_spec(params.pop("entity", None))
    query = parse_list_query(spec, params, trashed=True, default_sort="-deleted_at")
    return json_response(await list_page(repos(request), spec, query))


@routes.route(
    "POST",
    f"{T}/{{entity}}/{{id}}/restore",
    access=Access.USER,
    tag="trash",
    summary="Restore a record from Trash",
)
async def restore(request: web.Request) -> web.Response:
    spec = trash_spec(request.match_info["entity"])
    result = await RecordWriter(repos(request)).restore(spec, record_id(request))
    return record_response(spec, result)


@routes.route(
    "DELETE",
    f"{T}/{{entity}}/{{id}}",
    access=Access.ADMIN,
    tag="trash",
    status=204,
    summary="Purge a trashed record for good (admin)",
)
async def purge(request: web.Request) -> web.Response:
    spec = trash_spec(request.match_info["entity"])
    writer = RecordWriter(repos(request), whole_tenant=True)
    await lifecycle.purge(writer, spec, record_id(request))
    return web.Response(status=204)


@routes.route(
    "POST",
    f"{T}/purge",
    access=Access.ADMIN,
    tag="trash",
    summary="Purge several trashed records (admin); per-item results",
    request_model=BulkPurgeRequest,
    response_model=BulkTrashResponse,
)
async def bulk_purge(request: web.Request) -> web.Response:
    body = await parse_body(request, BulkPurgeRequest)
    writer = RecordWriter(repos(request), whole_tenant=True)
    async with writer.batch():  # locks the tenant clock before any record row
        reach = await lifecycle.read_reach(writer, _named(body.items))

        async def one(spec: EntitySpec, item_id: uuid.UUID) -> None:
            await lifecycle.purge(writer, spec, item_id, reach)

        response = await _each(writer, body.items, one, "purged")
    return json_response(response)


@routes.route(
    "GET",
    ADMIN_T,
    access=Access.ADMIN,
    tag="trash",
    summary="Every trashed record of the tenant, whoever owns it (admin)",
)
async def admin_list_trash(request: web.Request) -> web.Response:
    params = query_params(request)
    spec = trash_spec(params.pop("entity", None))
    query = parse_list_query(spec, params, trashed=True, default_sort="-deleted_at")
    return json_response(await list_page(repos(request), spec, query, whole_tenant=True))


@routes.route(
    "POST",
    f"{ADMIN_T}/restore",
    access=Access.ADMIN,
    tag="trash",
    summary="Restore several trashed records of anyone in the tenant (admin); per-item results",
    request_model=BulkPurgeRequest,
    response_model=BulkTrashResponse,
)
async def admin_bulk_restore(request: web.Request) -> web.Response:
    body = await parse_body(request, BulkPurgeRequest)
    writer = RecordWriter(repos(request), whole_tenant=True)
    async with writer.batch():  # locks the tenant clock before any record row
        await writer.prefetch(_named(body.items))

        async def one(spec: EntitySpec, item_id: uuid.UUID) -> None:
            await writer.restore(spec, item_id)

        response = await _each(writer, body.items, one, "restored")
    return json_response(response)


def _named(items: list[PurgeItem]) -> dict[str, list[uuid.UUID]]:
    named: dict[str, list[uuid.UUID]] = {}
    for item in items:
        named.setdefault(item.entity, []).append(item.id)
    return named


async def _each(
    writer: RecordWriter,
    items: list[PurgeItem],
    action: Callable[[EntitySpec, uuid.UUID], Awaitable[None]],
    done: str,
) -> dict[str, object]:
    """Each item all-or-nothing, in the open batch: one failure is reported and the rest still
    happen."""

    async def write(item: PurgeItem) -> dict[str, object]:
        await action(ENTITIES[item.entity], item.id)
        return {"entity": item.entity, "id": str(item.id), "status": done}

    return {"results": await each_in_batch(writer, items, write, _failed)}


def _failed(item: PurgeItem, exc: ApiError) -> dict[str, object]:
    return {"entity": item.entity, "id": str(item.id), "status": "failed", "error": exc.body()}
