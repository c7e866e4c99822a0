"""The tenant's white-label configuration and the user's own view preferences."""

from __future__ import annotations

from aiohttp import web

from sync_server.http.keys import repos
from sync_server.http.parsing import json_response, parse_body
from sync_server.http.routing import Access, Handler, RouteTable
from sync_server.schemas.preferences import Preferences
from sync_server.schemas.tenant_config import TenantConfig
from sync_server.services import preferences, tenant_config

routes = RouteTable()
API = "/api/v1"


def _config_response(config: TenantConfig) -> web.Response:
    return json_response(config.model_dump(mode="json"))


def _config_reader() -> Handler:
    """A fresh handler reading the config: the app's and the admin's routes answer the same,
    but the route table keys its declarations by handler, so each route needs its own."""

    async def get_config(request: web.Request) -> web.Response:
        return _config_response(await tenant_config.load(repos(request)))

    return get_config


routes.add(
    "GET",
    f"{API}/config",
    _config_reader(),
    access=Access.USER,
    tag="config",
    summary="The tenant's white-label configuration for the app",
    response_model=TenantConfig,
)
routes.add(
    "GET",
    f"{API}/admin/config",
    _config_reader(),
    access=Access.ADMIN,
    tag="admin",
    summary="The tenant's white-label configuration (admin)",
    response_model=TenantConfig,
)


@routes.route(
    "PUT",
    f"{API}/admin/config",
    access=Access.ADMIN,
    tag="admin",
    summary="Replace the tenant's configuration; devices receive it by sync (admin)",
    request_model=TenantConfig,
    response_model=TenantConfig,
)
async def put_config(request: web.Request) -> web.Response:
    body = await parse_body(request, TenantConfig)
    saved = await tenant_config.save(repos(request), body)
    return _config_response(saved)


@routes.route(
    "GET",
    f"{API}/preferences",
    access=Access.USER,
    tag="preferences",
    summary="Your view preferences (page size, sort, columns per list view)",
    response_model=Preferences,
)
async def get_preferences(request: web.Request) -> web.Response:
    prefs = await preferences.load(repos(request))
    return json_response(prefs.model_dump(mode="json", exclude_none=True))


@routes.route(
    "PUT",
    f"{API}/preferences",
    access=Access.USER,
    tag="preferences",
    summary="Replace your view preferences",
    request_model=Preferences,
    response_model=Preferences,
)
async def put_preferences(request: web.Request) -> web.Response:
    body = await parse_body(request, Preferences)
    prefs = await preferences.save(repos(request), body)
    return json_response(prefs.model_dump(mode="json", exclude_none=True))
