"""Queries of the sync protocol: devices, the change log and its batched writes, a user's slice
of it, snapshot pages, conflicts, compaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    CursorResult,
    Integer,
    Row,
    Select,
    Table,
    Uuid,
    and_,
    bindparam,
    false,
    func,
    insert,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import aliased

from sync_server.db.models import (
    ActivityLog,
    ChangeAudience,
    ChangeLog,
    Conflict,
    SyncClient,
    SyncResult,
    Tenant,
    TenantClock,
)
from sync_server.db.repositories.base import ScopedRepository, scoped
from sync_server.db.repositories.visibility import visible_clause
from sync_server.entities import ENTITIES, EntitySpec, Rule


@dataclass(slots=True)
class PendingChanges:
    """The seqs and change-log rows of a batch of writes, written together at its end.

    Seqs are handed out here, under the tenant clock's row lock taken when the batch began, so
    the numbers are those a per-change ``UPDATE tenant_clock ... RETURNING`` would have given,
    and the clock is written once (``SyncRepository.write_pending``).
    """

    tenant_id: uuid.UUID
    base: int  # the clock's seq when the batch began
    seq: int  # the last seq handed out
    changes: list[dict[str, Any]] = field(default_factory=list)
    audience: list[dict[str, Any]] = field(default_factory=list)
    activity: list[dict[str, Any]] = field(default_factory=list)

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def mark(self) -> tuple[int, int, int, int]:
        return self.seq, len(self.changes), len(self.audience), len(self.activity)

    def reset(self, mark: tuple[int, int, int, int]) -> None:
        """Forget what was added after ``mark`` (its writes were rolled back)."""
        self.seq = mark[0]
        del self.changes[mark[1] :], self.audience[mark[2] :], self.activity[mark[3] :]

    def change(
        self,
        change: dict[str, Any],
        visible: Iterable[uuid.UUID],
        evicted: Iterable[uuid.UUID],
    ) -> None:
        """A change-log row (``seq``, ``entity``, ``record_id``, ``op``, ``action``, ``user_id``,
        ``client_id``, ``mid``, ``fields``) and who it concerns (see ChangeAudience)."""
        tid, seq, entity, rid = self.tenant_id, change["seq"], change["entity"], change["record_id"]
        self.changes.append({"tenant_id": tid, "created_at": datetime.now(UTC), **change})
        for users, is_visible in ((visible, True), (evicted, False)):
            self.audience.extend(
                {"tenant_id": tid, "user_id": u, "seq": seq, "entity": entity,
                 "record_id": rid, "visible": is_visible}
                for u in users
            )  # fmt: skip

    def activity_entry(self, entry: dict[str, Any]) -> None:
        self.activity.append(
            {"tenant_id": self.tenant_id, "id": uuid.uuid4(), "created_at": datetime.now(UTC)}
            | entry
        )


@dataclass(frozen=True, slots=True)
class PullClock:
    """What a pull needs of the tenant's clock and row, read in one statement (``pull_clock``)."""

    seq: int  # the last committed change
    horizon: int  # change-log rows at or below it were compacted away
    epoch: int  # the tenant's permission epoch


class SyncRepository(ScopedRepository):
    # The open batch of change-log writes of this unit of work (services/sync_events.changes).
    pending: PendingChanges | None = None

    async def lock_clock(self) -> int:
        """Lock the tenant's clock row (before any record row: see ClockRepository) and read it."""
        stmt = self._select(TenantClock, TenantClock.seq).with_for_update()
        return int((await self._session.execute(stmt)).scalar_one())

    def begin_pending(self, base: int) -> PendingChanges:
        self.pending = PendingChanges(self.ctx.tenant_id, base, base)
        return self.pending

    async def write_pending(self, pending: PendingChanges) -> None:
        """The clock moved to the batch's last seq, and its rows, one statement per table."""
        if pending.seq != pending.base:
            stmt = (
                self._update(TenantClock)
                .where(TenantClock.seq == pending.base)
                .values(seq=pending.seq)
            )
            result = cast(CursorResult[Any], await self._session.execute(stmt))
            if result.rowcount != 1:
                # Only possible if something advanced the clock outside the batch: fail the
                # transaction rather than hand out a seq twice.
                raise RuntimeError("the tenant clock moved during a batch of writes")
        for model, rows in (
            (ChangeLog, pending.changes),
            (ChangeAudience, pending.audience),
            (ActivityLog, pending.activity),
        ):
            if rows:
                await self._session.execute(insert(cast(Table, model.__table__)), rows)
        pending.base = pending.seq
        pending.changes, pending.audience, pending.activity = [], [], []

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

    async def pull_clock(self) -> PullClock:
        """The clock's seq and horizon and the tenant's permission epoch, in one statement (a
        pull reads them once, in its snapshot)."""
        stmt = self._select(
            TenantClock, TenantClock.seq, TenantClock.horizon_seq, Tenant.permission_epoch
        ).join(Tenant, Tenant.id == TenantClock.tenant_id)
        row = (await self._session.execute(stmt)).one_or_none()
        if row is None:
            return PullClock(0, 0, 1)
        return PullClock(int(row.seq), int(row.horizon_seq), int(row.permission_epoch))

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
    ) -> list[Row[Any]]:
        """Up to ``limit`` records ``user_id`` may see with ``version <= until``, after the
        ``(version, id)`` keyset ``after``, in that order: rows of the Read fields, in the Read
        model's order (see ``read_columns``)."""
        params = {"uid": user_id, "until": until, "limit": limit}
        if after is not None:
            params |= {"after_version": after[0], "after_id": after[1]}
        return await self._run_rows(_snapshot_query(spec, after is not None), params)

    async def visible_records(
        self, spec: EntitySpec, user_id: uuid.UUID, ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, Row[Any]]:
        """Those of ``ids`` the user may see, as rows of the Read fields (``read_columns``)."""
        if not ids:
            return {}
        rows = await self._run_rows(_visible_query(spec), {"uid": user_id, "ids": ids})
        return {r.id: r for r in rows}

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
        return await self.was_seen_by(entity, record_id, user_id, op="delete")

    async def was_seen_by(
        self, entity: str, record_id: uuid.UUID, user_id: uuid.UUID, *, op: str | None = None
    ) -> bool:
        """True when a change of the record (of kind ``op``, if given) went to ``user_id``: they
        could see it then. Only as far back as the change log reaches (compaction)."""
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
            .where(ChangeLog.entity == entity, ChangeLog.record_id == record_id)
            .limit(1)
        )
        if op is not None:
            stmt = stmt.where(ChangeLog.op == op)
        return (await self._session.execute(stmt)).first() is not None

    async def save_results(self, client_id: uuid.UUID, results: list[dict[str, Any]]) -> None:
        """What each mutation of a push did (``mid``, ``status``, ``seq``, ``conflict_id``,
        ``error``), in one statement."""
        if results:
            now = datetime.now(UTC)
            rows = [
                {"tenant_id": self.ctx.tenant_id, "client_id": client_id, "created_at": now, **r}
                for r in results
            ]
            await self._session.execute(insert(cast(Table, SyncResult.__table__)), rows)

    async def results_for(self, client_id: uuid.UUID, mids: list[int]) -> dict[int, SyncResult]:
        if not mids:
            return {}
        stmt = self._select(SyncResult).where(
            SyncResult.client_id == client_id, SyncResult.mid.in_(mids)
        )
        return {r.mid: r for r in (await self._session.execute(stmt)).scalars()}

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
        # Push answers as old as the compacted log: a retry that late gets no original_status.
        await self._session.execute(self._delete(SyncResult).where(SyncResult.created_at < before))
        return int(horizon)


# Pull queries are templates (``scoped``) built once per entity and shape, with the user and the
# bounds as parameters: building one costs milliseconds of Python a page would otherwise pay.
_UID: Any = bindparam("uid", type_=Uuid())  # stands for the user's id in visible_clause


@cache
def read_columns(spec: EntitySpec) -> tuple[Any, ...]:
    """The columns of the entity's Read model, in its order (what a pull sends)."""
    return tuple(getattr(spec.model, name) for name in spec.read.model_fields)


@cache
def _visible_query(spec: EntitySpec) -> Select[Any]:
    m = spec.model
    return scoped(m, *read_columns(spec)).where(
        m.id.in_(bindparam("ids", expanding=True)), visible_clause(spec, m, _UID)
    )


@cache
def _snapshot_query(spec: EntitySpec, keyset: bool) -> Select[Any]:
    """Each branch of the visibility rule is read in ``(version, id)`` index order and the
    branches are merged, so a page reads about ``limit`` rows, not every visible row of the
    table sorted (owned records: the assignee and creator indexes by version; children: their
    version index, each row's parent checked by its primary key)."""
    m = spec.model
    limit = bindparam("limit", type_=Integer())

    def branch(visible: ColumnElement[bool]) -> Select[Any]:
        stmt = scoped(m, *read_columns(spec)).where(
            visible, m.version <= bindparam("until", type_=BigInteger())
        )
        if keyset:
            after = tuple_(
                bindparam("after_version", type_=BigInteger()), bindparam("after_id", type_=Uuid())
            )
            stmt = stmt.where(tuple_(m.version, m.id) > after)
        return stmt.order_by(m.version, m.id).limit(limit)

    branches = [branch(v) for v in _snapshot_visibility(spec, m, _UID)]
    if len(branches) == 1:
        return branches[0]
    merged = union_all(*(select(b.subquery()) for b in branches)).subquery()
    return select(merged).order_by(merged.c.version, merged.c.id).limit(limit)


def _snapshot_visibility(spec: EntitySpec, t: Any, uid: Any) -> tuple[ColumnElement[bool], ...]:
    """``visible_clause`` shaped for pages in index order: an owned record as two disjoint
    branches (assigned to the user; created by the user and assigned to someone else or no
    one), each read from its own index and merged; a child or note as "one of its governing
    parents is visible", each parent tested by a scalar subquery on its primary key. (As
    ``EXISTS`` inside an ``OR``, PostgreSQL hashes every visible parent on every page instead:
    60 of the 65 ms of an interactions page.) A property test holds the two to the same rows
    (tests/integration/test_sync_snapshot_visibility.py)."""
    if spec.rule is Rule.OWNED:
        return (
            t.assigned_to == uid,
            and_(t.created_by == uid, t.assigned_to.is_distinct_from(uid)),
        )
    if spec.rule is Rule.CHILD:
        links = [(getattr(t, p.field), p.entity) for p in spec.parents if p.governs_visibility]
        return (
            or_(
                false(),
                *(and_(col.is_not(None), _parent_visible(t, col, e, uid)) for col, e in links),
            ),
        )
    if spec.rule is Rule.NOTE:
        return (
            or_(
                *(
                    and_(t.entity == e, _parent_visible(t, t.entity_id, e, uid))
                    for e in ("lead", "client", "project")
                )
            ),
        )
    return (visible_clause(spec, t, uid),)


def _parent_visible(t: Any, column: Any, entity: str, uid: Any) -> Any:
    spec = ENTITIES[entity]
    parent = aliased(spec.model)
    return (
        select(visible_clause(spec, parent, uid))
        .where(parent.tenant_id == t.tenant_id, parent.id == column)
        .scalar_subquery()
    )
