"""Request ids, security headers, CORS, Cache-Control, health, readiness and metrics."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from sync_server.app import create_app
from sync_server.settings import Settings
from tests.support.backends import REDIS_TEST_URL, make_settings
from tests.support.redis_server import throwaway_redis
from tests.support.tenants import PASSWORD, TenantHandle

LOGIN, ME = "/api/v1/auth/login", "/api/v1/auth/me"
ORIGIN, STRANGER = "https://app.pathsix.test", "https://evil.test"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


@pytest.fixture
async def cors(settings: Settings) -> AsyncIterator[TestClient[Any, Any]]:
    s = settings.model_copy(update={"cors_origins": [ORIGIN]})
    async with TestClient(TestServer(create_app(s))) as client:
        yield client


def error_keys(body: dict[str, Any]) -> bool:
    return {"error", "code", "details"} <= set(body)


# --- request id ----------------------------------------------------------------------------------


async def test_request_id_generated_and_unique(client: TestClient[Any, Any]) -> None:
    ids = [(await client.get("/healthz")).headers["X-Request-ID"] for _ in range(2)]
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    assert ids[0] != ids[1]


@pytest.mark.parametrize("path", ["/healthz", ME, "/api/v1/nowhere"])
async def test_request_id_echoed(client: TestClient[Any, Any], path: str) -> None:
    r = await client.get(path, headers={"X-Request-ID": "trace-abc-123"})
    assert r.headers["X-Request-ID"] == "trace-abc-123"


async def test_request_id_is_bounded(client: TestClient[Any, Any]) -> None:
    r = await client.get("/healthz", headers={"X-Request-ID": "a" * 500})
    assert r.headers["X-Request-ID"] == "a" * 100


# --- headers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status"), [("/healthz", 200), (ME, 401), ("/no-such-file.txt", 404)]
)
async def test_security_headers(client: TestClient[Any, Any], path: str, status: int) -> None:
    r = await client.get(path)
    assert r.status == status
    for name, value in SECURITY_HEADERS.items():
        assert r.headers.get(name) == value, (path, name)


async def test_cache_control_no_store_on_api(tenant: TenantHandle) -> None:
    c = tenant.admin.client
    responses = [
        await c.post(LOGIN, json={"email": tenant.admin.email, "password": PASSWORD}),
        await tenant.admin.get(ME),
        await c.get(ME),  # 401
        await c.post(LOGIN, json={}),  # 422
        await c.get("/api/v1/nowhere"),  # 404
    ]
    assert [r.status for r in responses] == [200, 200, 401, 422, 404]
    assert all(r.headers.get("Cache-Control") == "no-store" for r in responses)


# --- CORS ----------------------------------------------------------------------------------------


async def test_cors_allowed_origin(cors: TestClient[Any, Any]) -> None:
    r = await cors.get("/healthz", headers={"Origin": ORIGIN})
    assert r.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "Origin" in r.headers["Vary"]
    assert "X-Request-ID" in r.headers["Access-Control-Expose-Headers"]


async def test_cors_other_origin_gets_nothing(cors: TestClient[Any, Any]) -> None:
    r = await cors.get("/healthz", headers={"Origin": STRANGER})
    assert r.status == 200
    assert not any(h.startswith("Access-Control-") for h in r.headers)


async def test_cors_on_error_responses(cors: TestClient[Any, Any]) -> None:
    """A browser can only read an error's body when CORS headers come with it."""
    r = await cors.get(ME, headers={"Origin": ORIGIN})
    assert r.status == 401
    assert r.headers.get("Access-Control-Allow-Origin") == ORIGIN


async def test_cors_preflight(cors: TestClient[Any, Any]) -> None:
    ask = {"Access-Control-Request-Method": "PATCH", "Access-Control-Request-Headers": "If-Match"}
    r = await cors.options(LOGIN, headers={"Origin": ORIGIN, **ask})
    assert r.status == 204
    assert r.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "PATCH" in r.headers["Access-Control-Allow-Methods"]
    for header in ("Authorization", "If-Match", "Content-Type"):
        assert header in r.headers["Access-Control-Allow-Headers"]

    refused = await cors.options(LOGIN, headers={"Origin": STRANGER, **ask})
    assert refused.status == 403
    assert "Access-Control-Allow-Origin" not in refused.headers
    body = await refused.json()
    assert error_keys(body) and body["code"] == "forbidden"


# --- health, readiness, metrics ------------------------------------------------------------------


async def test_healthz(client: TestClient[Any, Any]) -> None:
    r = await client.get("/healthz")
    assert r.status == 200
    assert await r.json() == {"status": "ok"}


async def test_readyz(client: TestClient[Any, Any], settings: Settings) -> None:
    r = await client.get("/readyz")
    body = await r.json()
    assert r.status == 200, body
    expected = {"database": "ok", "migrations": "ok"}
    if settings.redis_url:
        expected["redis"] = "ok"
    assert body == {"status": "ready", "checks": expected}


async def test_readyz_reports_pending_migrations(tmp_path: Path) -> None:
    fresh = make_settings(tmp_path, name="unmigrated", redis_url="")
    async with TestClient(TestServer(create_app(fresh))) as client:
        r = await client.get("/readyz")
        body = await r.json()
    assert r.status == 503, body
    assert error_keys(body) and body["code"] == "unavailable"
    assert body["checks"]["migrations"] == "behind"


async def test_readyz_reports_redis_down(settings: Settings, tmp_path: Path) -> None:
    with throwaway_redis(tmp_path) as server:
        s = settings.model_copy(update={"redis_url": server.url})
        async with TestClient(TestServer(create_app(s))) as client:
            assert (await client.get("/readyz")).status == 200
            server.stop()
            r = await client.get("/readyz")
            body = await r.json()
    assert r.status == 503, body
    assert body["checks"]["redis"].startswith("error")
    assert body["checks"]["database"] == "ok"
    assert error_keys(body) and body["code"] == "unavailable"


async def test_metrics(client: TestClient[Any, Any]) -> None:
    for path in ("/healthz", "/healthz", "/api/v1/no-such/8b1d2c"):
        await client.get(path)
    r = await client.get("/metrics")
    assert r.status == 200
    assert r.headers["Content-Type"].startswith("text/plain")
    text = await r.text()
    line = re.search(
        r'pathsix_http_requests_total\{method="GET",route="/healthz",status="200"\} (\S+)', text
    )
    assert line is not None, text
    assert float(line.group(1)) == 2.0
    assert 'route="unmatched",status="404"' in text
    assert "8b1d2c" not in text  # raw paths never become labels
    assert "pathsix_http_request_duration_seconds_bucket" in text


async def test_shutdown_right_after_startup_is_prompt(settings: Settings) -> None:
    """A deploy or restart may stop an instance a moment after it started: the Redis listeners
    must not swallow the cancellation and hold shutdown forever."""
    s = settings.model_copy(update={"redis_url": REDIS_TEST_URL})
    for _ in range(3):
        client = TestClient(TestServer(create_app(s)))
        await client.start_server()
        assert (await client.get("/healthz")).status == 200
        close = asyncio.ensure_future(client.close())
        done, _ = await asyncio.wait({close}, timeout=10)
        assert done, "application shutdown hangs"
