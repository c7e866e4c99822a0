"""Tombstone retention: drop change-log rows older than ``sync_retention_days`` (SYNC.md "Pull").

Compacting a tenant deletes its ``change_log`` and ``change_audience`` rows older than the
retention and advances ``tenant_clock.horizon_seq`` to the newest seq it dropped. A device whose
pull cursor is older than the horizon can no longer be served its missed changes (evictions and
purges included), so its next pull answers ``reset: true`` with a full snapshot; a device that
synced within the retention never notices. Records and conflicts are not touched.

Running it for every tenant (``pathsix sync compact``) needs two things this module may not do
on its own:

- **the tenant list**: under PostgreSQL RLS (forced, so even the table owner is filtered) no
  role can list tenants without a tenant setting. ``tenant_ids`` reads them on the migration
  (owner) URL, ``PATHSIX_MIGRATION_DATABASE_URL``, where the ``login_lookup`` policy lets the
  owner read ``login_identities`` (see ``db/repositories/conflicts.operator_tenant_ids``).
  Callers may pass the ids instead.
- **tenant contexts**: only the CLI may mint platform contexts (tests/unit/test_structure.py),
  so the CLI passes ``mint_for_platform`` in: ``main_compact(settings, mint_for_platform)``.

Each tenant is then compacted in its own transaction on the application URL, with RLS as usual.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from sync_server.db.engine import Database, create_engine
from sync_server.db.repositories import Repositories
from sync_server.db.repositories.conflicts import operator_tenant_ids
from sync_server.errors import ApiError, ErrorCode
from sync_server.settings import Settings
from sync_server.tenancy import TenantContext

Minter = Callable[[uuid.UUID], TenantContext]


async def compact_tenant(repos: Repositories, retention_days: int) -> int:
    """Compact ``repos``' tenant; returns its horizon seq afterwards (unchanged when nothing was
    old enough)."""
    if retention_days < 1:
        raise ValueError("retention_days must be at least 1")
    before = datetime.now(UTC) - timedelta(days=retention_days)
    return await repos.sync.compact(before)


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


async def compact_all(
    db: Database,
    settings: Settings,
    mint: Minter,
    tenants: Iterable[uuid.UUID] | None = None,
) -> dict[uuid.UUID, int]:
    """Compact every tenant (or the given ones), each in its own transaction; returns each
    tenant's horizon seq."""
    ids = list(tenants) if tenants is not None else await tenant_ids(settings)
    horizons: dict[uuid.UUID, int] = {}
    for tenant_id in ids:
        ctx = mint(tenant_id)
        async with db.session(ctx) as session:
            horizons[tenant_id] = await compact_tenant(
                Repositories(ctx, session), settings.sync_retention_days
            )
    return horizons


def main_compact(settings: Settings, mint: Minter) -> int:
    """``pathsix sync compact``: compact every tenant; prints one line per tenant, exit status.

    Refusals (``ApiError``) and database errors propagate to the CLI's handlers."""

    async def run() -> dict[uuid.UUID, int]:
        db = Database(create_engine(settings))
        try:
            return await compact_all(db, settings, mint)
        finally:
            await db.dispose()

    horizons = asyncio.run(run())
    for tenant_id, horizon in horizons.items():
        print(f"tenant {tenant_id}: horizon seq {horizon}")
    print(f"compacted {len(horizons)} tenant(s); retention {settings.sync_retention_days} day(s)")
    return 0
