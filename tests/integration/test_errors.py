"""The one error shape ``{"error", "code", "details"}`` for every status >= 400 (API.md,
Conventions), and start-up refusing routes without an auth declaration."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from sync_server import app as app_module
from sync_server.app import create_app
from sync_server.http.keys import ROUTES
from sync_server.http.parsing import json_response
from sync_server.http.routing import Access, Handler, RouteSpec, RouteTable, check_all_declared
from sync_server.settings import Settings
from tests.support.tenants import TenantHandle, unique_email

LOGIN, ME, FORGOT = "/api/v1/auth/login", "/api/v1/auth/me", "/api/v1/auth/forgot-password"
ADMIN_PROBE, BOOM = "/api/v1/test-only/admin", "/api/v1/test-only/boom"
SECRET = "postgres://owner:hunter2@db.internal/prod"

probe_routes = RouteTable()


@probe_routes.route("GET", ADMIN_PROBE, access=Access.ADMIN, summary="test only")
async def admin_probe(_request: web.Request) -> web.Response:
    return json_response({"ok": True})


@probe_routes.route("GET", BOOM, access=Access.USER, summary="test only")
async def boom(_request: web.Request) -> web.Response:
    raise RuntimeError(f"could not connect to {SECRET}")


def with_probes(original: Any) -> Any:
    def table() -> RouteTable:
        out: RouteTable = original()
        out.extend(probe_routes)
        return out

    return table


def create_logging_to(log: io.StringIO, settings: Settings) -> web.Application:
    real = sys.stderr
    sys.stderr = log  # structlog binds the stream when create_app configures logging
    try:
        return create_app(settings)
    finally:
        sys.stderr = real


@pytest.fixture
def log() -> io.StringIO:
    return io.StringIO()


@pytest.fixture
async def app(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, log: io.StringIO
) -> web.Application:
    monkeypatch.setattr(app_module, "route_table", with_probes(app_module.route_table))
    return create_logging_to(log, settings)


@pytest.fixture
async def tight(settings: Settings) -> AsyncIterator[TestClient[Any, Any]]:
    """An application with a 1 KiB body limit and one forgot-password per address."""
    s = settings.model_copy(update={"max_body_bytes": 1024, "forgot_limit": 1, "redis_url": ""})
    async with TestClient(TestServer(create_app(s))) as client:
        yield client


async def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    text = await response.text()
    assert response.status == status, text
    assert response.content_type == "application/json"
    body: dict[str, Any] = json.loads(text)
    assert set(body) == {"error", "code", "details"}
    assert body["code"] == code
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["details"], dict)
    assert response.headers.get("X-Request-ID")
    return body


async def test_400_bad_json(client: TestClient[Any, Any]) -> None:
    r = await client.post(
        LOGIN, data=b'{"email": "a@b.c", "password": ', headers={"Content-Type": "application/json"}
    )
    await assert_error(r, 400, "bad_json")


async def test_401_unauthorized(client: TestClient[Any, Any]) -> None:
    await assert_error(await client.get(ME), 401, "unauthorized")


async def test_403_forbidden(tenant: TenantHandle) -> None:
    await assert_error(await tenant.users[0].get(ADMIN_PROBE), 403, "forbidden")
    assert (await tenant.admin.get(ADMIN_PROBE)).status == 200


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/no-such-file.txt"])
async def test_404_not_found(client: TestClient[Any, Any], path: str) -> None:
    await assert_error(await client.get(path), 404, "not_found")


async def test_405_method_not_allowed(client: TestClient[Any, Any]) -> None:
    r = await client.get(LOGIN)
    await assert_error(r, 405, "method_not_allowed")
    assert "POST" in r.headers["Allow"]


async def test_413_payload_too_large(tight: TestClient[Any, Any]) -> None:
    body = json.dumps({"email": "a@b.c", "password": "x" * 4096})
    r = await tight.post(LOGIN, data=body, headers={"Content-Type": "application/json"})
    await assert_error(r, 413, "payload_too_large")


async def test_415_unsupported_media_type(client: TestClient[Any, Any]) -> None:
    r = await client.post(LOGIN, data="email=a", headers={"Content-Type": "text/plain"})
    await assert_error(r, 415, "unsupported_media_type")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "a@b.c"}, "password"),
        ({"email": "a@b.c", "password": "secret12", "tenant_id": "x"}, "tenant_id"),
        ({"email": 12, "password": "secret12"}, "email"),
    ],
    ids=["missing", "unknown_field", "wrong_type"],
)
async def test_422_validation(
    client: TestClient[Any, Any], payload: dict[str, Any], field: str
) -> None:
    body = await assert_error(await client.post(LOGIN, json=payload), 422, "validation_error")
    assert list(body["details"]["fields"]) == [field]
    assert all(isinstance(m, str) for m in body["details"]["fields"][field])


async def test_429_rate_limited(tight: TestClient[Any, Any]) -> None:
    email = unique_email("limited")
    assert (await tight.post(FORGOT, json={"email": email})).status == 202
    r = await tight.post(FORGOT, json={"email": email})
    await assert_error(r, 429, "rate_limited")
    assert int(r.headers["Retry-After"]) >= 1


async def test_500_hides_internals(tenant: TenantHandle, log: io.StringIO) -> None:
    r = await tenant.admin.get(BOOM, headers={"X-Request-ID": "boom-request-1"})
    body = await assert_error(r, 500, "internal_error")
    assert body["details"] == {}
    text = await r.text()
    for leak in ("hunter2", "db.internal", "Traceback", "RuntimeError", "boom"):
        assert leak not in text
    logged = log.getvalue()
    assert "hunter2" in logged and "Traceback" in logged
    record = next(json.loads(x) for x in logged.splitlines() if "unhandled_error" in x)
    assert record["request_id"] == "boom-request-1"
    assert record["error_type"] == "RuntimeError"


async def raw_handler(_request: web.Request) -> web.Response:
    return web.Response(text="nobody declared me")


async def test_undeclared_route_is_refused(settings: Settings) -> None:
    app = create_app(settings)
    check_all_declared(app, app[ROUTES])  # the real table is fully declared
    app.router.add_get("/api/v1/sneaky", raw_handler)
    with pytest.raises(RuntimeError, match="no auth declaration"):
        check_all_declared(app, app[ROUTES])


async def test_create_app_fails_on_undeclared_route(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = app_module.route_table

    class Sneaky(RouteTable):
        def install(self, app: web.Application) -> dict[Handler, RouteSpec]:
            declared = super().install(app)
            app.router.add_post("/api/v1/sneaky", raw_handler)
            return declared

    def sneaky_table() -> RouteTable:
        table = Sneaky()
        table.extend(original())
        return table

    monkeypatch.setattr(app_module, "route_table", sneaky_table)
    with pytest.raises(RuntimeError, match="POST /api/v1/sneaky"):
        create_app(settings)
