"""Shared fixtures. Integration tests run against the backend chosen by PATHSIX_TEST_BACKEND;
each test works in tenants of its own, so tests never see each other's rows."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from scripts import pg_setup
from sync_server.app import create_app
from sync_server.db import migrate
from sync_server.http.keys import DB, SERVICES
from sync_server.settings import Settings
from tests.support.backends import REDIS_TEST_URL, is_postgres, make_settings
from tests.support.tenants import TenantHandle, build_tenant


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """PostgreSQL-only tests (RLS, catalog) are deselected, not skipped, on the SQLite run:
    the test command runs the suite on both backends, so each of them runs somewhere."""
    if is_postgres():
        return
    keep = [i for i in items if i.get_closest_marker("postgres_only") is None]
    dropped = [i for i in items if i.get_closest_marker("postgres_only") is not None]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    s = make_settings(tmp_path_factory.mktemp("pathsix"))
    if is_postgres():
        import redis

        redis.Redis.from_url(REDIS_TEST_URL).flushdb()
    migrate.upgrade(s)
    yield s
    if is_postgres():
        pg_setup.drop_database(s.database_url.rsplit("/", 1)[1])


@pytest.fixture
async def app(settings: Settings) -> web.Application:
    return create_app(settings)


@pytest.fixture
async def client(app: web.Application) -> AsyncIterator[TestClient[Any, Any]]:
    async with TestClient(TestServer(app)) as c:
        yield c


MakeTenant = Callable[..., Awaitable[TenantHandle]]


@pytest.fixture
def make_tenant(client: TestClient[Any, Any], settings: Settings) -> MakeTenant:
    async def make(n_users: int = 2) -> TenantHandle:
        app = client.app
        assert app is not None
        return await build_tenant(
            client, app[DB], app[SERVICES].tokens, settings.bcrypt_rounds, n_users
        )

    return make


@pytest.fixture
async def tenant(make_tenant: MakeTenant) -> TenantHandle:
    return await make_tenant()


@pytest.fixture
async def other_tenant(make_tenant: MakeTenant) -> TenantHandle:
    return await make_tenant()
