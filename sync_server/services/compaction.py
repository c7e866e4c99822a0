"""Tombstone retention: drop change-log rows older than ``sync_retention_days`` (SYNC.md "Pull").

Compacting a tenant deletes its ``change_log`` and ``change_audience`` rows older than the
retention and advances ``tenant_clock.horizon_seq`` to the newest seq it dropped. A device whose
pull cursor is older than the horizon can no longer be served its missed changes (evictions and
purges included), so its next pull answers ``reset: true`` with a full snapshot; a device that
synced within the retention never notices. Records and conflicts are not touched.

Running it for every tenant (``pathsix sync compact``) goes through ``services/operator.py``:
each tenant in its own transaction on the application URL, with RLS as usual.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sync_server.db.engine import Database
from sync_server.db.repositories import Repositories
from sync_server.services.operator import Minter, Work, each_tenant, on_every_tenant
from sync_server.settings import Settings


async def compact_tenant(repos: Repositories, retention_days: int) -> int:
    """Compact ``repos``' tenant; returns its horizon seq afterwards (unchanged when nothing was
    old enough)."""
    if retention_days < 1:
        raise ValueError("retention_days must be at least 1")
    before = datetime.now(UTC) - timedelta(days=retention_days)
    return await repos.sync.compact(before)


async def compact_all(
    db: Database,
    settings: Settings,
    mint: Minter,
    tenants: Iterable[uuid.UUID] | None = None,
) -> dict[uuid.UUID, int]:
    """Compact every tenant (or the given ones), each in its own transaction; returns each
    tenant's horizon seq."""
    return await each_tenant(db, settings, mint, _compact(settings), tenants)


def _compact(settings: Settings) -> Work[int]:
    async def work(repos: Repositories) -> int:
        return await compact_tenant(repos, settings.sync_retention_days)

    return work


def main_compact(settings: Settings, mint: Minter) -> int:
    """``pathsix sync compact``: compact every tenant; prints one line per tenant, exit status.

    Refusals (``ApiError``) and database errors propagate to the CLI's handlers."""
    horizons = on_every_tenant(settings, mint, _compact(settings))
    for tenant_id, horizon in horizons.items():
        print(f"tenant {tenant_id}: horizon seq {horizon}")
    print(f"compacted {len(horizons)} tenant(s); retention {settings.sync_retention_days} day(s)")
    return 0
