"""Engines and the unit of work: one transaction per request, committed in one place.

On PostgreSQL every transaction starts with ``set_config('app.tenant_id', ..., true)`` so RLS
filters by the same tenant the repositories filter by. On SQLite the embedded default uses one
connection (writes are serialised by SQLite anyway; a single connection avoids lock upgrades
failing with SQLITE_BUSY) with foreign keys switched on.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import structlog
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from sync_server.settings import Settings
from sync_server.tenancy import TenantContext

log = structlog.get_logger("sync_server.db")


def create_engine(settings: Settings) -> AsyncEngine:
    url = settings.effective_database_url
    if settings.is_sqlite:
        engine = create_async_engine(url, pool_size=1, max_overflow=0, pool_timeout=30)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    else:
        engine = create_async_engine(
            url,
            pool_size=15,
            max_overflow=5,
            pool_timeout=30,
            pool_recycle=3600,
            pool_pre_ping=True,
            # JIT compilation costs more than it saves on these short OLTP queries (measured:
            # 223 of 388 ms of a snapshot page), so it is off for the app's connections.
            connect_args={"server_settings": {"jit": "off"}},
        )
    _log_slow_queries(engine, settings.slow_query_ms)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _log_slow_queries(engine: AsyncEngine, threshold_ms: int) -> None:
    def before(conn: Any, _cursor: Any, _stmt: str, _params: Any, _ctx: Any, _many: bool) -> None:
        conn.info.setdefault("query_start", []).append(time.perf_counter())

    def after(conn: Any, _cursor: Any, stmt: str, _params: Any, _ctx: Any, _many: bool) -> None:
        elapsed_ms = (time.perf_counter() - conn.info["query_start"].pop()) * 1000
        if elapsed_ms > threshold_ms:
            # Statement text only, never parameters (they can hold personal data).
            log.warning("slow_query", ms=round(elapsed_ms, 1), statement=stmt[:500])

    event.listen(engine.sync_engine, "before_cursor_execute", before)
    event.listen(engine.sync_engine, "after_cursor_execute", after)


class Database:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sessions = async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
        snapshot_engine = (
            engine.execution_options(isolation_level="REPEATABLE READ")
            if engine.dialect.name == "postgresql"
            else engine  # SQLite transactions are serializable already
        )
        self._snapshot_sessions = async_sessionmaker(
            snapshot_engine, expire_on_commit=False, autoflush=False
        )

    @asynccontextmanager
    async def session(
        self, ctx: TenantContext, *, snapshot: bool = False
    ) -> AsyncIterator[AsyncSession]:
        """A transaction scoped to ``ctx``'s tenant: committed on success, rolled back on error."""
        maker = self._snapshot_sessions if snapshot else self._sessions
        async with maker() as session, session.begin():
            await self.enter_tenant(session, ctx)
            yield session

    async def enter_tenant(self, session: AsyncSession, ctx: TenantContext) -> None:
        """Scope an open platform transaction to a tenant found inside it (login)."""
        if self.engine.dialect.name == "postgresql":
            await session.execute(
                text("SELECT set_config('app.tenant_id', :tid, true)"), {"tid": str(ctx.tenant_id)}
            )

    @asynccontextmanager
    async def platform_session(self) -> AsyncIterator[AsyncSession]:
        """A transaction with no tenant: under RLS it sees no tenant rows at all."""
        async with self._sessions() as session, session.begin():
            yield session

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
