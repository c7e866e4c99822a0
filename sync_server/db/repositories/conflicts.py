"""Queries of the admin conflict queue: filtered keyset pages over the whole tenant, one conflict
(locked for resolution), and the platform-level tenant list the compaction command needs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from sync_server.db.models import Conflict, LoginIdentity
from sync_server.db.repositories.base import ScopedRepository


@dataclass(frozen=True, slots=True)
class ConflictFilter:
    status: str | None = None
    kind: str | None = None
    entity: str | None = None
    record_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    client_id: uuid.UUID | None = None
    created_from: datetime | None = None  # inclusive
    created_before: datetime | None = None  # exclusive


@dataclass(frozen=True, slots=True)
class ConflictPage:
    rows: list[Conflict]
    has_more: bool
    total: int | None


class ConflictsRepository(ScopedRepository):
    def _filtered(self, f: ConflictFilter) -> Any:
        stmt = self._select(Conflict)
        for column, value in (
            (Conflict.status, f.status),
            (Conflict.kind, f.kind),
            (Conflict.entity, f.entity),
            (Conflict.record_id, f.record_id),
            (Conflict.user_id, f.user_id),
            (Conflict.client_id, f.client_id),
        ):
            if value is not None:
                stmt = stmt.where(column == value)
        if f.created_from is not None:
            stmt = stmt.where(Conflict.created_at >= f.created_from)
        if f.created_before is not None:
            stmt = stmt.where(Conflict.created_at < f.created_before)
        return stmt

    async def page(
        self,
        f: ConflictFilter,
        *,
        limit: int,
        after: tuple[datetime, uuid.UUID] | None = None,
        count: bool = False,
    ) -> ConflictPage:
        """Newest first, keyset on (created_at, id) descending."""
        stmt = self._filtered(f)
        total = None
        if count:
            count_stmt = select(func.count()).select_from(stmt.order_by(None).subquery())
            total = int((await self._session.execute(count_stmt)).scalar_one())
        if after is not None:
            at, last_id = after
            stmt = stmt.where(
                or_(
                    Conflict.created_at < at,
                    and_(Conflict.created_at == at, Conflict.id < last_id),
                )
            )
        stmt = stmt.order_by(Conflict.created_at.desc(), Conflict.id.desc()).limit(limit + 1)
        rows = list((await self._session.execute(stmt)).scalars())
        return ConflictPage(rows[:limit], len(rows) > limit, total)

    async def get(self, conflict_id: uuid.UUID, *, lock: bool = False) -> Conflict | None:
        stmt = self._select(Conflict).where(Conflict.id == conflict_id)
        if lock:
            stmt = stmt.with_for_update()
        found: Conflict | None = (await self._session.execute(stmt)).scalar_one_or_none()
        return found

    async def held_create(
        self, entity: str, record_id: uuid.UUID, user_id: uuid.UUID
    ) -> Conflict | None:
        """The user's open ``access`` conflict holding the create of this record, locked (one
        held earlier in this very push included: the session is flushed first)."""
        await self._flush()
        stmt = (
            self._select(Conflict)
            .where(
                Conflict.entity == entity,
                Conflict.record_id == record_id,
                Conflict.user_id == user_id,
                Conflict.kind == "access",
                Conflict.status == "open",
            )
            .order_by(Conflict.created_at)
            .limit(1)
            .with_for_update()
        )
        found: Conflict | None = (await self._session.execute(stmt)).scalar_one_or_none()
        return found

    async def flush(self) -> None:
        await self._flush()


async def operator_tenant_ids(conn: AsyncConnection) -> list[uuid.UUID]:
    """Platform-level: every tenant id, for operator jobs (``pathsix sync compact``).

    Under PostgreSQL RLS (forced, so the table owner is filtered too) no role can list
    ``tenants`` without a tenant setting. The one platform-wide read the schema grants is the
    ``login_lookup`` policy on ``login_identities``, for the *migration (owner) role* only, so this
    must run on a connection of ``PATHSIX_MIGRATION_DATABASE_URL``. Every tenant has at least one
    login identity (a tenant is created with its first admin in one transaction, and users are
    deactivated, never deleted), so the distinct tenant ids there are every tenant.
    On SQLite there is no RLS and the same query works on the one URL.
    """
    stmt = select(LoginIdentity.tenant_id).distinct().order_by(LoginIdentity.tenant_id)
    return list((await conn.execute(stmt)).scalars())
