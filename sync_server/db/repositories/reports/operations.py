"""Admin reports: user activity and sync health."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.sql.elements import ColumnElement

from sync_server.db.models import (
    ActivityLog,
    ChangeAudience,
    Conflict,
    SyncClient,
    TenantClock,
    User,
)
from sync_server.db.repositories.reports.base import (
    ACTIVITY_ACTIONS,
    LIST_LIMIT,
    PENDING_CAP,
    Period,
    Rec,
    ReportQueries,
    in_times,
)


class OperationsQueries(ReportQueries):
    """Who does what, and how devices keep up."""

    async def user_activity(self, period: Period, *, user_id: uuid.UUID | None) -> list[Rec]:
        """Every user of the tenant with their activity_log rows in the period, by action."""
        u, log = User, ActivityLog
        on = and_(
            log.tenant_id == u.tenant_id, log.user_id == u.id, *in_times(log.created_at, period)
        )
        stmt = (
            self._select(
                User,
                u.id.label("user_id"),
                u.name,
                u.email,
                u.is_active,
                # Counting ``action`` (never null) and not ``id`` keeps every column this reads
                # in ix_activity_log_user_activity: an index-only scan.
                *(
                    func.count(log.action).filter(log.action == a).label(f"n_{a}")
                    for a in ACTIVITY_ACTIONS
                ),
                func.count(log.action).label("total"),
                func.max(log.created_at).label("last_activity_at"),
            )
            .select_from(User)
            .outerjoin(log, on)
            .group_by(u.id, u.name, u.email, u.is_active)
        )
        if user_id is not None:
            stmt = stmt.where(u.id == user_id)
        return await self._all(stmt)

    async def devices(self, period: Period, *, user_id: uuid.UUID | None) -> list[Rec]:
        """Devices seen in the period, with what waits for them and their conflicts."""
        d, u, conflict = SyncClient, User, Conflict
        # Counted up to PENDING_CAP: a device far behind would otherwise cost a scan of every
        # change it missed, on every run of the report.
        waiting = (
            self._select(ChangeAudience, ChangeAudience.seq)
            .where(ChangeAudience.user_id == d.user_id, ChangeAudience.seq > d.last_pull_seq)
            .limit(PENDING_CAP)
            .correlate(d)
            .subquery()
        )
        pending = select(func.count()).select_from(waiting).scalar_subquery()

        def conflicts(*conds: ColumnElement[bool]) -> Any:
            q = self._select(Conflict, func.count()).where(conflict.client_id == d.id, *conds)
            return q.correlate(d).scalar_subquery()

        auto = conflicts(conflict.status == "auto_resolved", *in_times(conflict.created_at, period))
        stmt = (
            self._select(
                SyncClient,
                d.id.label("client_id"),
                d.user_id,
                u.email,
                d.user_agent,
                d.created_at,
                d.last_seen_at,
                d.last_mutation_id,
                d.last_pull_seq,
                pending.label("pending"),
                conflicts(conflict.status == "open").label("open_conflicts"),
                auto.label("auto_resolved"),
            )
            .join(u, and_(u.tenant_id == d.tenant_id, u.id == d.user_id))
            .where(*self._device_filter(period, user_id))
            .order_by(d.last_seen_at.desc(), d.id)
            .limit(LIST_LIMIT)
        )
        return await self._all(stmt)

    def _device_filter(self, period: Period, user_id: uuid.UUID | None) -> list[Any]:
        d = SyncClient
        return [*in_times(d.last_seen_at, period), *([d.user_id == user_id] if user_id else [])]

    async def sync_totals(self, period: Period, *, user_id: uuid.UUID | None) -> Rec:
        """Device counts, conflict counts and the tenant's clock, in one row."""
        d, conflict, clock = SyncClient, Conflict, TenantClock
        horizon = self._select(TenantClock, clock.horizon_seq).scalar_subquery()
        behind = exists(
            self._select(ChangeAudience, ChangeAudience.seq).where(
                ChangeAudience.user_id == d.user_id, ChangeAudience.seq > d.last_pull_seq
            )
        ).correlate(d)

        def conflicts(*conds: Any) -> Any:
            mine = [conflict.user_id == user_id] if user_id else []
            return self._select(Conflict, func.count()).where(*conds, *mine).scalar_subquery()

        stmt = self._select(
            SyncClient,
            func.count().label("devices"),
            func.count().filter(behind).label("devices_behind"),
            func.count().filter(d.last_pull_seq < horizon).label("devices_needing_reset"),
            conflicts(conflict.status == "open").label("open_conflicts"),
            conflicts(
                conflict.status == "auto_resolved", *in_times(conflict.created_at, period)
            ).label("auto_resolved"),
            conflicts(conflict.status == "resolved", *in_times(conflict.resolved_at, period)).label(
                "resolved"
            ),
            self._select(TenantClock, clock.seq).scalar_subquery().label("tenant_seq"),
            horizon.label("horizon_seq"),
        ).where(*self._device_filter(period, user_id))
        return await self._one(stmt)
