"""/api/v1/openapi.json and the Swagger UI at /api/docs, served from the installed package."""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp.test_utils import TestClient

from sync_server.contracts import CONTRACTS_DIR


async def test_openapi_is_the_committed_contract(client: TestClient[Any, Any]) -> None:
    r = await client.get("/api/v1/openapi.json")
    assert r.status == 200 and r.content_type == "application/json"
    committed = json.loads((CONTRACTS_DIR / "openapi.json").read_text())
    assert await r.json() == committed


async def test_docs_page_and_its_assets_load(client: TestClient[Any, Any]) -> None:
    r = await client.get("/api/docs")
    assert r.status == 200 and r.content_type == "text/html"
    page = await r.text()
    assets = re.findall(r'(?:src|href)="(/api/docs/[^"]+)"', page)
    assert "/api/docs/static/swagger-ui-bundle.js" in assets and "/api/docs/init.js" in assets
    for url in assets:
        asset = await client.get(url)
        assert asset.status == 200, url
        assert len(await asset.read()) > 0
    init = await (await client.get("/api/docs/init.js")).text()
    assert '"/api/v1/openapi.json"' in init
    css = await client.get("/api/docs/static/swagger-ui.css")
    assert css.content_type == "text/css"


async def test_only_bundle_assets_are_served(client: TestClient[Any, Any]) -> None:
    for name in ("index.html", "nope.js", "..%2F__init__.py", "%2e%2e"):
        r = await client.get(f"/api/docs/static/{name}")
        assert r.status == 404, name
        body = await r.json()
        assert body["code"] == "not_found"
