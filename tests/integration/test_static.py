"""The built PWA is served at / with an SPA fallback that never swallows API paths."""

from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from sync_server.app import create_app
from sync_server.settings import Settings


async def test_app_shell_and_fallback(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<html>shell</html>")
    (tmp_path / "assets" / "app-1a2b.js").write_text("console.log(1)")
    app = create_app(settings.model_copy(update={"static_dir": tmp_path}))
    async with TestClient(TestServer(app)) as c:
        root = await c.get("/")
        assert root.status == 200 and "shell" in await root.text()
        assert root.headers["Cache-Control"] == "no-cache"
        deep = await c.get("/leads/42/edit")
        assert deep.status == 200 and "shell" in await deep.text()
        asset = await c.get("/assets/app-1a2b.js")
        assert "immutable" in asset.headers["Cache-Control"]
        assert (await c.get("/assets/missing.js")).status == 404
        for method in ("GET", "POST"):
            r = await c.request(method, "/api/v1/no-such-thing")
            assert r.status == 404
            assert (await r.json())["code"] == "not_found"
        escape = await c.get("/..%2f..%2fetc/passwd")
        assert "root:" not in await escape.text()


async def test_no_build_means_json_404(settings: Settings, tmp_path: Path) -> None:
    app = create_app(settings.model_copy(update={"static_dir": tmp_path / "absent"}))
    async with TestClient(TestServer(app)) as c:
        r = await c.get("/")
        assert r.status == 404 and (await r.json())["code"] == "not_found"
