"""Revenue by client, recurring revenue (subscriptions), renewals."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import and_, func

from sync_server.db.models import (
    Client,
    Project,
    Subscription,
)
from sync_server.db.repositories.reports.base import (
    EARNING_PROJECTS,
    LIST_LIMIT,
    SUBSCRIPTION_STATUSES,
    Period,
    Rec,
    ReportQueries,
    cycle_sums,
    in_days,
    money_sum,
    twelve_month_value,
)


class RevenueQueries(ReportQueries):
    """Money earned and recurring."""

    async def client_revenue(
        self, period: Period, *, viewer: uuid.UUID | None
    ) -> tuple[list[Rec], list[Rec]]:
        """(project revenue per client, subscription cycle sums per client)."""
        c, p, s = Client, Project, Subscription
        who = (c.id.label("client_id"), c.name.label("client"), c.status.label("status"))
        day = func.coalesce(p.project_end, p.project_start, self._sql.day(p.created_at))
        projects = (
            self._select(
                Client,
                *who,
                func.count().label("projects"),
                money_sum(twelve_month_value(p)).label("revenue"),
            )
            .join(p, and_(p.tenant_id == c.tenant_id, p.client_id == c.id))
            .where(
                self._seen("client", c, viewer),
                self._seen("project", p, viewer),
                p.project_status.in_(EARNING_PROJECTS),
                *in_days(day, period),
            )
            .group_by(c.id, c.name, c.status)
        )
        active = s.status == "active"
        subscriptions = (
            self._select(Client, *who, *cycle_sums(s, active))
            .join(s, and_(s.tenant_id == c.tenant_id, s.client_id == c.id))
            .where(
                self._seen("client", c, viewer),
                self._seen("subscription", s, viewer),
                active,
                self._started(s) <= period.end,
            )
            .group_by(c.id, c.name, c.status)
        )
        return await self._all(projects), await self._all(subscriptions)

    async def recurring(self, as_of: date, *, viewer: uuid.UUID | None) -> Rec:
        """Subscriptions started by ``as_of``: a count per status, active cycle sums."""
        s = Subscription
        counts = (func.count().filter(s.status == st).label(st) for st in SUBSCRIPTION_STATUSES)
        stmt = self._subscriptions(viewer, *counts, *cycle_sums(s, s.status == "active")).where(
            self._started(s) <= as_of
        )
        return await self._one(stmt)

    async def new_subscriptions(self, period: Period, *, viewer: uuid.UUID | None) -> list[Rec]:
        """Subscriptions started in the period, by month and status."""
        s = Subscription
        month = self._sql.month(self._started(s))
        stmt = (
            self._subscriptions(viewer, month.label("month"), s.status, func.count().label("count"))
            .add_columns(*cycle_sums(s, s.status == "active"))
            .where(*in_days(self._started(s), period))
            .group_by(month, s.status)
        )
        return await self._all(stmt)

    async def renewals(self, period: Period, *, viewer: uuid.UUID | None) -> tuple[list[Rec], Rec]:
        """(rows, totals) of active subscriptions renewing in the period."""
        s, c = Subscription, Client
        where = (s.status == "active", *in_days(s.renewal_date, period))
        rows = (
            self._subscriptions(
                viewer,
                s.id.label("subscription_id"),
                c.id.label("client_id"),
                c.name.label("client"),
                s.plan_name,
                s.billing_cycle,
                s.price,
                s.renewal_date,
            )
            .where(*where)
            .order_by(s.renewal_date, s.id)
            .limit(LIST_LIMIT)
        )
        totals = self._subscriptions(
            viewer, func.count().label("renewals"), money_sum(s.price).label("value")
        ).add_columns(*cycle_sums(s, s.status == "active"))
        return await self._all(rows), await self._one(totals.where(*where))
