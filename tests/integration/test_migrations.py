"""Migrations: upgrade from an empty database, downgrade to base, upgrade again (both backends),
and the result matches the models."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from sync_server.db import migrate
from sync_server.db.models import Base
from sync_server.settings import Settings
from tests.support.backends import is_postgres, make_settings

MODEL_TABLES = set(Base.metadata.tables)


@asynccontextmanager
async def connect(url: str) -> AsyncIterator[AsyncConnection]:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            yield conn
    finally:
        await engine.dispose()


async def tables(settings: Settings) -> set[str]:
    async with connect(settings.effective_migration_url) as conn:
        return await conn.run_sync(lambda c: set(inspect(c).get_table_names()))


async def revision(settings: Settings) -> str | None:
    def current(c: Connection) -> str | None:
        return MigrationContext.configure(c).get_current_revision()

    async with connect(settings.effective_migration_url) as conn:
        return await conn.run_sync(current)


async def scalar(settings: Settings, sql: str, *, as_app: bool = False) -> Any:
    url = settings.effective_database_url if as_app else settings.effective_migration_url
    async with connect(url) as conn:
        return (await conn.execute(text(sql))).scalar()


async def assert_fully_upgraded(settings: Settings) -> None:
    assert await tables(settings) == MODEL_TABLES | {"alembic_version"}
    assert await revision(settings) == migrate.head_revision()
    roles = await scalar(settings, "SELECT count(*) FROM roles WHERE name IN ('admin', 'user')")
    assert roles == 2
    if is_postgres():
        # RLS and the application role's grants are (re)created with the tables.
        forced = "SELECT relforcerowsecurity FROM pg_class WHERE relname = 'leads'"
        assert await scalar(settings, forced) is True
        assert await scalar(settings, "SELECT count(*) FROM users", as_app=True) == 0
        lookup = "SELECT count(*) FROM pg_proc WHERE proname = 'pathsix_login_lookup'"
        assert await scalar(settings, lookup) == 1


async def test_upgrade_downgrade_upgrade(tmp_path: Path) -> None:
    fresh = make_settings(tmp_path, name="migr")
    assert await tables(fresh) == set()

    # env.py runs its own event loop (asyncio.run), so Alembic runs in a thread.
    await asyncio.to_thread(migrate.upgrade, fresh)
    await assert_fully_upgraded(fresh)

    await asyncio.to_thread(migrate.downgrade, fresh)
    assert await tables(fresh) == {"alembic_version"}
    assert await revision(fresh) is None
    if is_postgres():
        lookup = "SELECT count(*) FROM pg_proc WHERE proname = 'pathsix_login_lookup'"
        assert await scalar(fresh, lookup) == 0

    await asyncio.to_thread(migrate.upgrade, fresh)
    await assert_fully_upgraded(fresh)
    await asyncio.to_thread(migrate.upgrade, fresh)  # already at head: a no-op
    await assert_fully_upgraded(fresh)


async def test_migrated_schema_matches_models(settings: Settings) -> None:
    """Autogenerate finds nothing to do: every model change came with its migration."""

    def diff(c: Connection) -> list[Any]:
        return list(compare_metadata(MigrationContext.configure(c), Base.metadata))

    async with connect(settings.effective_migration_url) as conn:
        changes = await conn.run_sync(diff)
    assert changes == []
