"""Typed application and request keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from sync_server.db.engine import Database
    from sync_server.db.repositories import Repositories
    from sync_server.http.routing import Handler, RouteSpec
    from sync_server.security.tokens import AccessClaims
    from sync_server.services.container import Services
    from sync_server.settings import Settings

SETTINGS: web.AppKey[Settings] = web.AppKey("settings")
DB: web.AppKey[Database] = web.AppKey("db")
SERVICES: web.AppKey[Services] = web.AppKey("services")
ROUTES: web.AppKey[dict[Handler, RouteSpec]] = web.AppKey("routes")
METRICS: web.AppKey[Any] = web.AppKey("metrics")

# Request-scoped values (set by middlewares).
REQUEST_ID: web.RequestKey[str] = web.RequestKey("request_id")
REPOS: web.RequestKey[Repositories] = web.RequestKey("repos")
CLAIMS: web.RequestKey[AccessClaims] = web.RequestKey("claims")


def repos(request: web.Request) -> Repositories:
    return request[REPOS]


def claims(request: web.Request) -> AccessClaims:
    return request[CLAIMS]


def services(request: web.Request) -> Services:
    return request.app[SERVICES]
