"""Rate limits on login and forgot-password: in process and in Redis, and with Redis gone."""

from __future__ import annotations

import io
import json
import random
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from sync_server.app import create_app
from sync_server.http.keys import DB, SERVICES
from sync_server.services.ratelimit import InProcessLimiter, RedisLimiter
from sync_server.services.tenants import NewUser, create_tenant
from sync_server.settings import Settings
from tests.support.backends import REDIS_TEST_URL
from tests.support.redis_server import throwaway_redis
from tests.support.tenants import PASSWORD, unique_email

LOGIN, FORGOT = "/api/v1/auth/login", "/api/v1/auth/forgot-password"
MODES = ["in_process", "redis"]
WINDOW = 60


def make_app(settings: Settings, redis_url: str, log: io.StringIO | None = None, **kw: Any) -> Any:
    """An app behind a proxy that reports the client's address in Fly-Client-IP, as on Fly.io."""
    update = {
        "redis_url": redis_url,
        "login_window_seconds": WINDOW,
        "client_ip_header": "Fly-Client-IP",
    }
    s = settings.model_copy(update={**update, **kw})
    if log is None:
        return create_app(s)
    real = sys.stderr
    sys.stderr = log  # structlog binds the stream when create_app configures logging
    try:
        return create_app(s)
    finally:
        sys.stderr = real


@asynccontextmanager
async def running(app: web.Application) -> AsyncIterator[TestClient[Any, Any]]:
    async with TestClient(TestServer(app)) as client:
        yield client


def url_for(mode: str) -> str:
    return REDIS_TEST_URL if mode == "redis" else ""


def new_ip() -> str:
    """A client address of its own, so Redis counters never collide across tests or runs."""
    return "10." + ".".join(str(random.randint(0, 255)) for _ in range(3))


async def user_in(client: TestClient[Any, Any]) -> str:
    email = unique_email("limited")
    await create_tenant(client.app[DB], "Limits", NewUser(email, PASSWORD), 4)
    return email


async def attempt(client: TestClient[Any, Any], email: str, password: str, ip: str) -> Any:
    body = {"email": email, "password": password}
    return await client.post(LOGIN, json=body, headers={"Fly-Client-IP": ip})


async def assert_limited(response: Any, window: int = WINDOW) -> None:
    assert response.status == 429, await response.text()
    body = await response.json()
    assert set(body) == {"error", "code", "details"}
    assert body["code"] == "rate_limited"
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= window
    assert body["details"]["retry_after"] == retry_after


async def redis_count(url: str, key: str) -> int:
    redis = Redis.from_url(url)
    try:
        return int(await redis.zcard(f"pathsix:rl:{key}"))
    finally:
        await redis.aclose()


@pytest.mark.parametrize("mode", MODES)
async def test_per_email_limit(settings: Settings, mode: str) -> None:
    app = make_app(settings, url_for(mode), login_limit_per_email=3, login_limit_per_ip=1000)
    async with running(app) as client:
        expected = RedisLimiter if mode == "redis" else InProcessLimiter
        assert isinstance(client.app[SERVICES].limiter, expected)
        email, other, ip = await user_in(client), await user_in(client), new_ip()
        for _ in range(3):
            assert (await attempt(client, email, "wrong password", ip)).status == 401
        # Even the right password, in another spelling of the address, is refused now.
        await assert_limited(await attempt(client, email.upper(), PASSWORD, ip))
        assert (await attempt(client, other, PASSWORD, ip)).status == 200
        if mode == "redis":
            assert await redis_count(REDIS_TEST_URL, f"login:email:{email}") == 3


@pytest.mark.parametrize("mode", MODES)
async def test_per_ip_limit(settings: Settings, mode: str) -> None:
    app = make_app(settings, url_for(mode), login_limit_per_email=1000, login_limit_per_ip=3)
    async with running(app) as client:
        email, ip = await user_in(client), new_ip()
        for _ in range(3):
            assert (await attempt(client, unique_email("spray"), "guess123", ip)).status == 401
        await assert_limited(await attempt(client, email, PASSWORD, ip))
        assert (await attempt(client, email, PASSWORD, new_ip())).status == 200
        if mode == "redis":
            assert await redis_count(REDIS_TEST_URL, f"login:ip:{ip}") == 3


async def test_client_ip_header_is_ignored_unless_a_proxy_is_configured(settings: Settings) -> None:
    """Without a trusted proxy, a client that invents Fly-Client-IP per request is still one
    address: it cannot spread a password spray over fresh rate-limit buckets."""
    app = make_app(
        settings, "", client_ip_header=None, login_limit_per_email=1000, login_limit_per_ip=3
    )
    async with running(app) as client:
        email = await user_in(client)
        for _ in range(3):
            assert (
                await attempt(client, unique_email("spray"), "guess123", new_ip())
            ).status == 401
        await assert_limited(await attempt(client, email, PASSWORD, new_ip()))


@pytest.mark.parametrize("mode", MODES)
async def test_counters_shared_across_instances_only_in_redis(
    settings: Settings, mode: str
) -> None:
    limits: dict[str, Any] = {"login_limit_per_email": 3, "login_limit_per_ip": 1000}
    first = make_app(settings, url_for(mode), **limits)
    second = make_app(settings, url_for(mode), **limits)
    async with running(first) as one, running(second) as two:
        email, ip = await user_in(one), new_ip()
        for client in (one, one, two):
            assert (await attempt(client, email, "wrong password", ip)).status == 401
        response = await attempt(two, email, PASSWORD, ip)
        if mode == "redis":
            await assert_limited(response)
        else:
            assert response.status == 200  # each process counts alone without Redis


async def test_still_limited_with_redis_stopped(settings: Settings, tmp_path: Path) -> None:
    log = io.StringIO()
    with throwaway_redis(tmp_path) as server:
        app = make_app(settings, server.url, log, login_limit_per_email=3, login_limit_per_ip=1000)
        async with running(app) as client:
            email, ip = await user_in(client), new_ip()
            assert (await attempt(client, email, "wrong password", ip)).status == 401
            assert await redis_count(server.url, f"login:email:{email}") == 1
            server.stop()
            assert not server.ping()
            # The in-process fallback counts from here on: never unlimited.
            for _ in range(3):
                assert (await attempt(client, email, "wrong password", ip)).status == 401
            await assert_limited(await attempt(client, email, PASSWORD, ip))
            await assert_limited(await attempt(client, email, PASSWORD, ip))
    events = [json.loads(line) for line in log.getvalue().splitlines() if line.startswith("{")]
    warnings = [e for e in events if e["event"] == "rate_limit_redis_unavailable"]
    assert warnings, log.getvalue()
    assert all(e["level"] == "warning" for e in warnings)


@pytest.mark.parametrize("mode", MODES)
async def test_forgot_password_is_limited(settings: Settings, mode: str) -> None:
    app = make_app(settings, url_for(mode), forgot_limit=2, forgot_window_seconds=600)
    async with running(app) as client:
        ip, email = new_ip(), unique_email("forgetful")  # unknown: limited all the same
        headers = {"Fly-Client-IP": ip}
        for _ in range(2):
            r = await client.post(FORGOT, json={"email": email}, headers=headers)
            assert r.status == 202
        await assert_limited(await client.post(FORGOT, json={"email": email}, headers=headers), 600)
        # Per IP: four times the per-email limit, whatever the addresses.
        ip = new_ip()
        for _ in range(8):
            r = await client.post(
                FORGOT, json={"email": unique_email("x")}, headers={"Fly-Client-IP": ip}
            )
            assert r.status == 202
        r = await client.post(
            FORGOT, json={"email": unique_email("x")}, headers={"Fly-Client-IP": ip}
        )
        await assert_limited(r, 600)
