"""Follow-ups, upcoming tasks, client retention, project performance."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, func, not_, or_
from sqlalchemy.orm import aliased

from sync_server.db.models import (
    Client,
    Interaction,
    Lead,
    Project,
    User,
)
from sync_server.db.repositories.reports.base import (
    LIST_LIMIT,
    LOST_CLIENT,
    Period,
    Rec,
    ReportQueries,
    in_days,
    in_times,
    money_sum,
    twelve_month_value,
)


class WorkQueries(ReportQueries):
    """Day-to-day work and how clients and projects fare."""

    async def follow_ups(self, period: Period, now: datetime, *, viewer: uuid.UUID | None) -> Rec:
        """Pending follow-ups in the period, counted by how overdue (or due) they are."""
        i, week, month = Interaction, timedelta(days=7), timedelta(days=30)
        due = i.follow_up
        buckets = {
            "overdue_over_30d": due < now - month,
            "overdue_8_30d": and_(due >= now - month, due < now - week),
            "overdue_0_7d": and_(due >= now - week, due < now),
            "due_next_7d": and_(due >= now, due < now + week),
            "due_later": due >= now + week,
        }
        stmt = self._select(
            Interaction,
            func.count().label("pending"),
            *(func.count().filter(cond).label(key) for key, cond in buckets.items()),
            func.min(due).filter(due < now).label("oldest_overdue"),
        ).where(
            self._seen("interaction", i, viewer),
            self._parent_live(i),
            i.followup_status == "pending",
            due.is_not(None),
            *in_times(due, period),
        )
        return await self._one(stmt)

    async def upcoming_tasks(
        self, period: Period, *, viewer: uuid.UUID | None
    ) -> tuple[list[Rec], int]:
        """(rows, total) of pending follow-ups due in the period, with their client or lead."""
        i, c, lead, u = Interaction, aliased(Client), aliased(Lead), aliased(User)

        def joined(stmt: Select[Any]) -> Select[Any]:
            return (
                stmt.select_from(Interaction)
                .outerjoin(
                    c, and_(c.tenant_id == i.tenant_id, c.id == i.client_id, c.deleted_at.is_(None))
                )
                .outerjoin(
                    lead,
                    and_(
                        lead.tenant_id == i.tenant_id,
                        lead.id == i.lead_id,
                        lead.deleted_at.is_(None),
                    ),
                )
                .where(
                    self._seen("interaction", i, viewer),
                    or_(c.id.is_not(None), lead.id.is_not(None)),
                    i.followup_status == "pending",
                    *in_times(i.follow_up, period),
                )
            )

        rows = joined(
            self._select(
                Interaction,
                i.id.label("interaction_id"),
                i.follow_up,
                i.type,
                i.summary,
                i.contact_person,
                i.created_by.label("owner_id"),
                u.name.label("owner_name"),
                u.email.label("owner_email"),
                c.id.label("client_id"),
                c.name.label("client"),
                lead.id.label("lead_id"),
                lead.name.label("lead"),
            )
        ).outerjoin(u, and_(u.tenant_id == i.tenant_id, u.id == i.created_by))
        rows = rows.order_by(i.follow_up, i.id).limit(LIST_LIMIT)
        total = joined(self._select(Interaction, func.count().label("tasks")))
        return await self._all(rows), int((await self._one(total))["tasks"])

    async def client_retention(self, period: Period, *, viewer: uuid.UUID | None) -> Rec:
        """Clients at the period's start by their status now; clients new in the period."""
        c, since = Client, period.since
        assert since is not None, "retention needs a start"
        already_lost = and_(c.status.in_(LOST_CLIENT), c.updated_at < since)
        at_start = and_(c.created_at < since, c.status != "prospect", not_(already_lost))
        new = and_(c.created_at >= since, c.created_at < period.until)
        stmt = self._select(
            Client,
            func.count().filter(at_start).label("at_start"),
            *(
                func.count().filter(and_(at_start, c.status == s)).label(s)
                for s in ("active", *LOST_CLIENT)
            ),
            func.count().filter(new).label("new"),
            func.count().filter(and_(new, c.status == "active")).label("new_active"),
        ).where(self._seen("client", c, viewer))
        return await self._one(stmt)

    async def project_performance(self, period: Period, *, viewer: uuid.UUID | None) -> list[Rec]:
        """Per project_status: count, worth, and durations of completed projects."""
        p = Project
        day = func.coalesce(p.project_start, self._sql.day(p.created_at))
        timed = and_(
            p.project_status == "completed",
            p.project_start.is_not(None),
            p.project_end.is_not(None),
        )
        duration = self._sql.days(p.project_end, p.project_start, timestamps=False)
        stmt = (
            self._select(
                Project,
                p.project_status.label("status"),
                func.count().label("projects"),
                money_sum(twelve_month_value(p)).label("worth"),
                func.count().filter(timed).label("timed"),
                func.sum(duration).filter(timed).label("days"),
            )
            .where(self._seen("project", p, viewer), *in_days(day, period))
            .group_by(p.project_status)
        )
        return await self._all(stmt)
