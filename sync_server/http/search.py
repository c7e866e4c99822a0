"""``GET /api/v1/search``."""

from __future__ import annotations

from aiohttp import web

from sync_server.http.keys import repos
from sync_server.http.parsing import json_response, query_params, validate
from sync_server.http.routing import Access, RouteTable
from sync_server.schemas.search import SearchQuery, SearchResponse
from sync_server.services import search as search_service

routes = RouteTable()


@routes.route(
    "GET",
    "/api/v1/search",
    access=Access.USER,
    tag="search",
    summary="Leads, clients, projects, contacts and users found by word prefix",
    query_model=SearchQuery,
    response_model=SearchResponse,
)
async def search(request: web.Request) -> web.Response:
    query = validate(SearchQuery, query_params(request))
    found = await search_service.search(repos(request), query)
    return json_response(SearchResponse.model_validate(found).model_dump(mode="json"))
