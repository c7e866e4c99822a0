"""Queries of the sync protocol: devices, a user's slice of the change log, snapshot pages,
conflicts, compaction."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import and_, func, or_

from sync_server.db.models import (
    ChangeAudience,
    ChangeLog,
    Conflict,
    RecordBase,
    SyncClient,
    TenantClock,
)
from sync_server.db.repositories.base import ScopedRepository
from sync_server.db.repositories.visibility import visible_clause
from sync_server.entities import EntitySpec


class SyncRepository(ScopedRepository):
    async def client(self, client_id: uuid.UUID, *, lock: bool) -> SyncClient | None:
        stmt = self._select(SyncClient).where(SyncClient.id == client_id)
        if lock:
            stmt = stmt.with_for_update()
        found: SyncClient | None = (await self._session.execute(stmt)).scalar_one_or_none()
        return found

    async def register(self, client_id: uuid.UUID, user_agent: str | None) -> SyncClient:
        client = SyncClient(
            id=client_id,
            user_id=self.ctx.actor_id,
            last_mutation_id=0,
            last_pull_seq=0,
            user_agent=(user_agent or "")[:300] or None,
        )
        self._add(client)
        await self._flush()
        return client

    async def touch(self, client: SyncClient, pulled_seq: int | None = None) -> None:
        client.last_seen_at = datetime.now(UTC)
        if pulled_seq is not None:
            client.last_pull_seq = pulled_seq
        # Flushed here, so a caller's savepoint really contains the UPDATE (see Puller._note).
        await self._flush()

    async def horizon(self) -> int:
        stmt = self._select(TenantClock, TenantClock.horizon_seq)
        return int((await self._session.execute(stmt)).scalar_one_or_none() or 0)

    async def changes_for(
        self, user_id: uuid.UUID, after: int, until: int, limit: int
    ) -> list[ChangeAudience]:
        """The user's rows of the change log in (after, until], oldest first."""
        stmt = (
            self._select(ChangeAudience)
            .where(
                ChangeAudience.user_id == user_id,
                ChangeAudience.seq > after,
                ChangeAudience.seq <= until,
            )
            .order_by(ChangeAudience.seq)
            .limit(limit)
        )
        return list((await self._session.execute(stmt)).scalars())

    async def snapshot_page(
        self,
        spec: EntitySpec,
        user_id: uuid.UUID,
        until: int,
        after: tuple[int, uuid.UUID] | None,
        limit: int,
    ) -> list[RecordBase]:
        m = spec.model
        stmt = self._select(m).where(visible_clause(spec, m, user_id), m.version <= until)
        if after is not None:
            version, last_id = after
            stmt = stmt.where(or_(m.version > version, and_(m.version == version, m.id > last_id)))
        stmt = stmt.order_by(m.version, m.id).limit(limit)
        return list((await self._session.execute(stmt)).scalars())

    async def visible_records(
        self, spec: EntitySpec, user_id: uuid.UUID, ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, RecordBase]:
        if not ids:
            return {}
        m = spec.model
        stmt = self._select(m).where(m.id.in_(ids), visible_clause(spec, m, user_id))
        return {r.id: r for r in (await self._session.execute(stmt)).scalars()}

    async def conflicts_for(
        self, user_id: uuid.UUID, ids: list[uuid.UUID] | None = None
    ) -> list[Conflict]:
        stmt = self._select(Conflict).where(Conflict.user_id == user_id)
        stmt = (
            stmt.where(Conflict.id.in_(ids))
            if ids is not None
            else stmt.where(Conflict.status == "open")
        )
        return list((await self._session.execute(stmt.order_by(Conflict.id))).scalars())

    async def was_purged_for(self, entity: str, record_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        """True when the record was purged while ``user_id`` could see it (so telling them
        reveals nothing they did not know)."""
        stmt = (
            self._select(ChangeLog, ChangeLog.seq)
            .join(
                ChangeAudience,
                and_(
                    ChangeAudience.tenant_id == ChangeLog.tenant_id,
                    ChangeAudience.seq == ChangeLog.seq,
                    ChangeAudience.user_id == user_id,
                ),
            )
            .where(
                ChangeLog.entity == entity,
                ChangeLog.record_id == record_id,
                ChangeLog.op == "delete",
            )
        )
        return (await self._session.execute(stmt)).first() is not None

    async def compact(self, before: datetime) -> int:
        """Drop change-log rows older than ``before``; returns the new horizon seq.

        Purge rows stay: they are how a device that edited a record purged long ago gets an
        ``update_purged`` conflict instead of a rejection (no lost write). They are few, and no
        pull reads below the horizon.
        """
        newest_old = self._select(ChangeLog, func.max(ChangeLog.seq)).where(
            ChangeLog.created_at < before
        )
        horizon = (await self._session.execute(newest_old)).scalar_one_or_none()
        if horizon is None:
            return await self.horizon()
        purges = self._select(ChangeLog, ChangeLog.seq).where(
            ChangeLog.op == "delete", ChangeLog.seq <= horizon
        )
        await self._session.execute(
            self._delete(ChangeAudience).where(
                ChangeAudience.seq <= horizon, ChangeAudience.seq.not_in(purges)
            )
        )
        await self._session.execute(
            self._delete(ChangeLog).where(ChangeLog.seq <= horizon, ChangeLog.op != "delete")
        )
        await self._session.execute(self._update(TenantClock).values(horizon_seq=horizon))
        return int(horizon)

    async def clients(self) -> list[SyncClient]:
        stmt = self._select(SyncClient).order_by(SyncClient.last_seen_at.desc())
        return list((await self._session.execute(stmt)).scalars())
