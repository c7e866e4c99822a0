"""Operator commands that work over every tenant (``pathsix sync compact``, ``pathsix search
reindex``): the tenant list, and each tenant's work in its own transaction.

- **The tenant list**: under PostgreSQL RLS (forced, so even the table owner is filtered) no
  role can list tenants without a tenant setting. ``tenant_ids`` reads them on the migration
  (owner) URL, ``PATHSIX_MIGRATION_DATABASE_URL``, where the ``login_lookup`` policy lets the
  owner read ``login_identities`` (see ``db/repositories/conflicts.operator_tenant_ids``).
- **Tenant contexts**: only the CLI may mint platform contexts (tests/unit/test_structure.py),
  so the CLI passes ``mint_for_platform`` in.

Each tenant's work then runs in its own transaction on the application URL, with RLS as usual.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from sync_server.db.engine import Database, create_engine
from sync_server.db.repositories import Repositories
from sync_server.db.repositories.conflicts import operator_tenant_ids
from sync_server.errors import ApiError, ErrorCode
from sync_server.settings import Settings
from sync_server.tenancy import TenantContext

T = TypeVar("T")
Minter = Callable[[uuid.UUID], TenantContext]
Work = Callable[[Repositories], Awaitable[T]]


async def tenant_ids(settings: Settings) -> list[uuid.UUID]:
    """Every tenant id, read on the migration (owner) URL; see the module docstring."""
    if not settings.is_sqlite and not settings.migration_database_url:
        raise ApiError(
            ErrorCode.BAD_REQUEST,
            "Listing tenants needs PATHSIX_MIGRATION_DATABASE_URL (the table owner's URL): "
            "row-level security hides the tenant list from the application role",
        )
    engine = create_async_engine(settings.effective_migration_url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            return await operator_tenant_ids(conn)
    finally:
        await engine.dispose()


async def each_tenant(
    db: Database,
    settings: Settings,
    mint: Minter,
    work: Work[T],
    tenants: Iterable[uuid.UUID] | None = None,
) -> dict[uuid.UUID, T]:
    """``work`` for every tenant (or the given ones), each in its own transaction."""
    ids = list(tenants) if tenants is not None else await tenant_ids(settings)
    out: dict[uuid.UUID, T] = {}
    for tenant_id in ids:
        ctx = mint(tenant_id)
        async with db.session(ctx) as session:
            out[tenant_id] = await work(Repositories(ctx, session))
    return out


def on_every_tenant(settings: Settings, mint: Minter, work: Work[T]) -> dict[uuid.UUID, T]:
    """``each_tenant`` from synchronous code (the CLI), with an engine of its own."""

    async def run() -> dict[uuid.UUID, T]:
        db = Database(create_engine(settings))
        try:
            return await each_tenant(db, settings, mint, work)
        finally:
            await db.dispose()

    return asyncio.run(run())
