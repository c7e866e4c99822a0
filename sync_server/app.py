"""The application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator

import structlog
from aiohttp import web
from redis.asyncio import Redis

from sync_server.db.engine import Database, create_engine
from sync_server.http import (
    admin,
    admin_conflicts,
    auth,
    config,
    docs,
    health,
    records,
    reports,
    search,
    static,
    sync,
    trash,
    users,
)
from sync_server.http.keys import DB, METRICS, ROUTES, SERVICES, SETTINGS
from sync_server.http.middleware import authenticate, errors, headers_and_cors, observe
from sync_server.http.routing import RouteTable, check_all_declared
from sync_server.observability import Metrics, configure_logging, configure_sentry
from sync_server.services import pokes
from sync_server.services.container import build_services
from sync_server.settings import Settings

log = structlog.get_logger("sync_server.app")


def route_table() -> RouteTable:
    table = RouteTable()
    # static is last: its catch-all path must not shadow API routes.
    modules = (health, auth, records, search, trash, sync, admin_conflicts, admin, users)
    for module in (*modules, config, reports, docs, static):
        table.extend(module.routes)
    return table


async def _close_pokes(app: web.Application) -> None:
    """Open poke sockets would hold a stopping process until their heartbeats fail (~45 s)."""
    await app[SERVICES].pokes.close_all()


async def _resources(app: web.Application) -> AsyncIterator[None]:
    """Engine and Redis live exactly as long as the application."""
    settings = app[SETTINGS]
    db = Database(create_engine(settings))
    redis = Redis.from_url(settings.redis_url) if settings.redis_url else None
    app[DB] = db
    app[SERVICES] = services = build_services(settings, db, redis)
    async with pokes.running(services.pokes, redis):
        yield
    if redis is not None:
        await redis.aclose()
    await db.dispose()


def create_app(settings: Settings | None = None) -> web.Application:
    settings = (settings or Settings()).with_secrets()
    configure_logging(settings)
    configure_sentry(settings)
    app = web.Application(
        middlewares=[observe, errors, headers_and_cors, authenticate],
        client_max_size=settings.max_body_bytes,
    )
    app[SETTINGS] = settings
    app[METRICS] = Metrics()
    app[ROUTES] = route_table().install(app)
    check_all_declared(app, app[ROUTES])
    app.cleanup_ctx.append(_resources)
    app.on_shutdown.append(_close_pokes)
    return app
