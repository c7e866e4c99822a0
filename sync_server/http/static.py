"""The built PWA (pwa/dist) served at ``/`` with an SPA fallback, so ``pathsix serve`` is the
whole product. API paths never fall back to the app: an unknown /api path stays a JSON 404."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from aiohttp import web

from sync_server.http.keys import SETTINGS
from sync_server.http.routing import Access, RouteTable

routes = RouteTable()
DEFAULT_DIST = Path(__file__).resolve().parents[2] / "pwa" / "dist"
_NO_FALLBACK = ("api/", "healthz", "readyz", "metrics")

mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("text/javascript", ".js")


def dist_dir(request: web.Request) -> Path | None:
    configured = request.app[SETTINGS].static_dir
    root = configured or DEFAULT_DIST
    return root if (root / "index.html").is_file() else None


def _cache_control(relative: str) -> str:
    # Vite fingerprints everything under assets/: cache forever. The shell and the service
    # worker must be revalidated so an update reaches devices.
    return "public, max-age=31536000, immutable" if relative.startswith("assets/") else "no-cache"


@routes.route(
    "GET",
    "/{path:(?!api/).*}",
    access=Access.PUBLIC,
    tag="app",
    summary="The offline-first web app (SPA fallback to index.html)",
)
async def app_shell(request: web.Request) -> web.StreamResponse:
    relative = request.match_info["path"]
    root = dist_dir(request)
    if root is None or relative.startswith(_NO_FALLBACK):
        raise web.HTTPNotFound()
    target = (root / relative).resolve()
    if relative and target.is_file() and target.is_relative_to(root.resolve()):
        return web.FileResponse(target, headers={"Cache-Control": _cache_control(relative)})
    if "." in relative.rsplit("/", 1)[-1]:
        raise web.HTTPNotFound()  # a missing file, not an app route
    return web.FileResponse(root / "index.html", headers={"Cache-Control": "no-cache"})
