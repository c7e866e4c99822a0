"""Liveness, readiness and metrics (outside /api/v1, public)."""

from __future__ import annotations

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from sync_server.db.migrate import is_at_head
from sync_server.http.keys import DB, METRICS, SERVICES
from sync_server.http.parsing import json_response
from sync_server.http.routing import Access, RouteTable

routes = RouteTable()


@routes.route("GET", "/healthz", access=Access.PUBLIC, summary="Liveness", tag="health")
async def healthz(_request: web.Request) -> web.Response:
    return json_response({"status": "ok"})


@routes.route("GET", "/readyz", access=Access.PUBLIC, summary="Readiness", tag="health")
async def readyz(request: web.Request) -> web.Response:
    checks: dict[str, str] = {}
    try:
        await request.app[DB].ping()
        checks["database"] = "ok"
        checks["migrations"] = "ok" if await is_at_head(request.app[DB].engine) else "behind"
    except Exception as exc:
        checks["database"] = f"error: {type(exc).__name__}"
    redis = request.app[SERVICES].redis
    if redis is not None:
        try:
            await redis.ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {type(exc).__name__}"
    ready = all(v == "ok" for v in checks.values())
    body: dict[str, object] = {"status": "ready" if ready else "not_ready", "checks": checks}
    if not ready:
        body.update(error="Service is not ready", code="unavailable", details={"checks": checks})
    return json_response(body, status=200 if ready else 503)


@routes.route("GET", "/metrics", access=Access.PUBLIC, summary="Prometheus metrics", tag="health")
async def metrics(request: web.Request) -> web.Response:
    body = request.app[METRICS].render()
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
