"""The OpenAPI document and Swagger UI, served from the installed ``swagger-ui-bundle-v2`` package
(no CDN, nothing copied into the repository). Public, like health: the API's shape is no secret.
"""

from __future__ import annotations

import functools
from pathlib import Path

import swagger_ui_bundle
from aiohttp import web

from sync_server.http.routing import Access, RouteTable

routes = RouteTable()
DOCS = "/api/docs"
OPENAPI = "/api/v1/openapi.json"
ASSETS_DIR = Path(str(swagger_ui_bundle.swagger_ui_path))
# Only the bundle's scripts, styles and icons are served; the name must be one of these files.
ASSETS = frozenset(
    p.name for p in ASSETS_DIR.iterdir() if p.suffix in {".js", ".css", ".png", ".map"}
)
PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>PathSix CRM API</title>
  <link rel="stylesheet" href="{DOCS}/static/swagger-ui.css">
  <link rel="icon" type="image/png" href="{DOCS}/static/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="{DOCS}/static/swagger-ui-bundle.js"></script>
  <script src="{DOCS}/init.js"></script>
</body>
</html>
"""
# A separate script, not inline, so a strict Content-Security-Policy can forbid inline scripts.
INIT = f"""window.onload = function () {{
  window.ui = SwaggerUIBundle({{
    url: "{OPENAPI}",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  }});
}};
"""


@functools.cache
def openapi_text() -> str:
    """The document, rendered once per process from the code (never read from disk)."""
    # Imported here: the document describes the whole route table, this module's routes included.
    from sync_server.contracts.export import render

    return render()["openapi.json"]


@routes.route("GET", OPENAPI, access=Access.PUBLIC, tag="docs", summary="This OpenAPI document")
async def openapi_document(_request: web.Request) -> web.Response:
    return web.Response(text=openapi_text(), content_type="application/json")


@routes.route("GET", DOCS, access=Access.PUBLIC, tag="docs", summary="Swagger UI")
async def swagger_page(_request: web.Request) -> web.Response:
    return web.Response(text=PAGE, content_type="text/html")


@routes.route("GET", f"{DOCS}/init.js", access=Access.PUBLIC, tag="docs", summary="UI start-up")
async def swagger_init(_request: web.Request) -> web.Response:
    return web.Response(text=INIT, content_type="text/javascript")


@routes.route(
    "GET", f"{DOCS}/static/{{name}}", access=Access.PUBLIC, tag="docs", summary="UI asset"
)
async def swagger_asset(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    if name not in ASSETS:
        raise web.HTTPNotFound()
    return web.FileResponse(ASSETS_DIR / name)
