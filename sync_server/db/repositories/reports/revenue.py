"""Revenue by client, recurring revenue (subscriptions), renewals."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import and_, func, literal_column, select, type_coerce, union_all
from sqlalchemy.sql.elements import ColumnElement

from sync_server.db.models import (
    Client,
    Project,
    Subscription,
)
from sync_server.db.repositories.reports.base import (
    EARNING_PROJECTS,
    LIST_LIMIT,
    MONEY_SUM,
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

    async def client_revenue(self, period: Period, *, viewer: uuid.UUID | None) -> list[Rec]:
        """The LIST_LIMIT clients of highest total, each with its project revenue and
        subscription cycle sums; every row also carries the totals over all such clients
        (``n_clients``, ``all_revenue``, ``all_monthly``, ``all_yearly``).

        Ranked in SQL: a tenant has thousands of clients with revenue, and only the top rows
        leave the database."""
        c, p, s = Client, Project, Subscription
        zero: ColumnElement[Any] = literal_column("0")
        active = s.status == "active"
        day = func.coalesce(p.project_end, p.project_start, self._sql.day(p.created_at))
        projects = (
            self._select(
                Project,
                p.client_id.label("client_id"),
                func.count().label("projects"),
                money_sum(twelve_month_value(p)).label("revenue"),
                zero.label("monthly"),
                zero.label("yearly"),
            )
            .where(
                p.client_id.is_not(None),
                self._seen("project", p, viewer),
                p.project_status.in_(EARNING_PROJECTS),
                *in_days(day, period),
            )
            .group_by(p.client_id)
        )
        subscriptions = (
            self._select(Subscription, s.client_id, zero, zero, *cycle_sums(s, active))
            .where(
                self._seen("subscription", s, viewer),
                active,
                self._started(s) <= period.end,
            )
            .group_by(s.client_id)
        )
        both = union_all(projects, subscriptions).subquery()
        per = (
            select(
                both.c.client_id,
                func.sum(both.c.projects).label("projects"),
                type_coerce(func.sum(both.c.revenue), MONEY_SUM).label("revenue"),
                type_coerce(func.sum(both.c.monthly), MONEY_SUM).label("monthly"),
                type_coerce(func.sum(both.c.yearly), MONEY_SUM).label("yearly"),
            )
            .group_by(both.c.client_id)
            .subquery()
        )
        total = per.c.revenue + per.c.monthly * 12 + per.c.yearly
        stmt = (
            self._select(
                Client,
                per.c.client_id,
                c.name.label("client"),
                c.status,
                per.c.projects,
                per.c.revenue,
                per.c.monthly,
                per.c.yearly,
                func.count().over().label("n_clients"),
                *(
                    type_coerce(func.sum(col).over(), MONEY_SUM).label(f"all_{col.name}")
                    for col in (per.c.revenue, per.c.monthly, per.c.yearly)
                ),
            )
            .join(per, per.c.client_id == c.id)
            .where(self._seen("client", c, viewer))  # once per client, not per project
            .order_by(total.desc(), self._sql.binary(c.name), c.id)
            .limit(LIST_LIMIT)
        )
        return await self._all(stmt)

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
            .join(c, and_(c.tenant_id == s.tenant_id, c.id == s.client_id))
            .where(*where)
            .order_by(s.renewal_date, s.id)
            .limit(LIST_LIMIT)
        )
        totals = self._subscriptions(
            viewer, func.count().label("renewals"), money_sum(s.price).label("value")
        ).add_columns(*cycle_sums(s, s.status == "active"))
        return await self._all(rows), await self._one(totals.where(*where))
