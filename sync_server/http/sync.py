"""Sync protocol endpoints: push, pull and the poke WebSocket (SYNC.md)."""

from __future__ import annotations

import contextlib

from aiohttp import WSMsgType, web
from pydantic_core import to_json

from sync_server import failpoints
from sync_server.errors import ApiError, ErrorCode
from sync_server.http.keys import SERVICES, SETTINGS, repos, services
from sync_server.http.middleware import context_for_token
from sync_server.http.parsing import json_response, read_json, validate
from sync_server.http.routing import Access, RouteTable
from sync_server.schemas.sync import (
    MAX_PUSH_MUTATIONS,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
)
from sync_server.services.sync_pull import Puller
from sync_server.services.sync_push import push as push_mutations

routes = RouteTable()
S = "/api/v1/sync"
WS_PROTOCOL = "pathsix.sync.v1"


@routes.route(
    "POST",
    f"{S}/push",
    access=Access.USER,
    tag="sync",
    summary="Apply a device's queued mutations",
    request_model=PushRequest,
    response_model=PushResponse,
)
async def push(request: web.Request) -> web.Response:
    data = await read_json(request)
    mutations = data.get("mutations") if isinstance(data, dict) else None
    if isinstance(mutations, list) and len(mutations) > MAX_PUSH_MUTATIONS:
        raise ApiError(
            ErrorCode.PAYLOAD_TOO_LARGE,
            f"At most {MAX_PUSH_MUTATIONS} mutations per push; send the rest in another push",
            {"max_mutations": MAX_PUSH_MUTATIONS, "got": len(mutations)},
        )
    body = validate(PushRequest, data)
    r = repos(request)
    result = await push_mutations(r, body, request.headers.get("User-Agent"))
    hub, touched, tenant_id = services(request).pokes, set(r.records.touched), r.ctx.tenant_id

    async def poke() -> None:
        await failpoints.hit(request.app[SETTINGS], "push.after_commit")
        await hub.publish(tenant_id, touched, result.seq)

    r.after_commit.append(poke)
    r.poke_scheduled = True
    await failpoints.hit(request.app[SETTINGS], "push.before_commit")
    return json_response(result.model_dump(mode="json"))


@routes.route(
    "POST",
    f"{S}/pull",
    access=Access.USER,
    tag="sync",
    snapshot=True,
    summary="Changes since a cursor, or a consistent paged snapshot",
    request_model=PullRequest,
    response_model=PullResponse,
)
async def pull(request: web.Request) -> web.Response:
    body = validate(PullRequest, await read_json(request))
    puller = Puller(repos(request), services(request).cursors)
    result = await puller.pull(body, request.headers.get("User-Agent"))
    # Plain JSON values (see sync_pull), dumped by pydantic-core: several times faster than
    # json.dumps on a page of a thousand records.
    return web.Response(body=to_json(result), content_type="application/json", charset="utf-8")


def _token_from_protocols(request: web.Request) -> str | None:
    offered = [p.strip() for p in request.headers.get("Sec-WebSocket-Protocol", "").split(",")]
    for proto in offered:
        if proto.startswith("bearer."):
            return proto.removeprefix("bearer.")
    return None


async def _first_message_token(ws: web.WebSocketResponse) -> str | None:
    with contextlib.suppress(TimeoutError, ValueError, TypeError):
        msg = await ws.receive(timeout=10)
        if msg.type == WSMsgType.TEXT:
            data = msg.json()
            if isinstance(data, dict) and data.get("type") == "auth":
                return str(data.get("token", ""))
    return None


# Public at the routing layer because browsers cannot send an Authorization header on a
# WebSocket: the handler authenticates itself (token in Sec-WebSocket-Protocol "bearer.<jwt>" or
# in a first {"type": "auth", "token": ...} message) with the same checks as the middleware.
@routes.route(
    "GET",
    f"{S}/ws",
    access=Access.PUBLIC,
    tag="sync",
    summary="WebSocket of data-less pokes (authenticates in the handshake)",
)
async def ws(request: web.Request) -> web.WebSocketResponse:
    socket = web.WebSocketResponse(protocols=(WS_PROTOCOL,), heartbeat=30)
    await socket.prepare(request)
    token = _token_from_protocols(request) or await _first_message_token(socket)
    try:
        ctx = await context_for_token(request.app, token or "")
    except ApiError as exc:
        await socket.send_json({"type": "error", **exc.body()})
        await socket.close(code=4401, message=b"unauthorized")
        return socket
    hub = request.app[SERVICES].pokes
    hub.connect(ctx.tenant_id, ctx.actor_id, socket)
    try:
        await socket.send_json({"type": "ready"})
        async for msg in socket:
            if msg.type == WSMsgType.TEXT and msg.data == "ping":
                await socket.send_str("pong")
    finally:
        hub.disconnect(ctx.tenant_id, ctx.actor_id, socket)
    return socket
