"""What every report query shares: the period, scope, Trash and dialect helpers.

Scope is a required keyword on every method: ``viewer=None`` reads the whole tenant (admins);
a user id applies ``visible_clause`` (the one visibility module) to every record table the
report reads, so a user's report covers exactly the records their own lists show. Records in
Trash never count, nor do children (subscriptions, interactions) of a client or lead in Trash.

Where the dialects differ (the UTC day of a timestamp, a month label, a difference in days) the
``_Dialect`` helper picks the spelling. Constants that end up inside a GROUP BY expression are
inlined as SQL literals: PostgreSQL cannot tell that two bound parameters hold the same value.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    Date,
    Numeric,
    Select,
    and_,
    case,
    cast,
    collate,
    exists,
    extract,
    func,
    literal_column,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from sync_server.db.models import Subscription
from sync_server.db.repositories.base import ScopedRepository
from sync_server.db.repositories.visibility import visible_clause
from sync_server.entities import ENTITIES

Rec = Mapping[str, Any]
LIST_LIMIT = 1000  # rows of a list report (upcoming tasks, renewals, ...); totals count them all
PENDING_CAP = 1000  # sync-health counts a device's waiting changes up to this many
MONEY_SUM = Numeric(18, 2)
EARNING_PROJECTS = ("active", "completed")
FORECAST_PROJECTS = ("pending", "active")
LOST_CLIENT = ("inactive", "cancelled")
ACTIVITY_ACTIONS = ("create", "update", "delete", "restore", "convert", "purge")
SUBSCRIPTION_STATUSES = ("active", "paused", "cancelled")


@dataclass(frozen=True, slots=True)
class Period:
    """Whole UTC days, both ends inclusive; ``start=None`` reaches back to the beginning."""

    start: date | None
    end: date

    @property
    def since(self) -> datetime | None:
        return None if self.start is None else datetime.combine(self.start, time(), UTC)

    @property
    def until(self) -> datetime:
        """Exclusive upper bound of timestamps: the day after ``end`` at 00:00 UTC."""
        return datetime.combine(self.end + timedelta(days=1), time(), UTC)


class _Dialect:
    def __init__(self, name: str) -> None:
        self.pg = name == "postgresql"

    def day(self, ts: Any) -> ColumnElement[date]:
        """The UTC calendar day of a timestamp column."""
        if self.pg:
            return cast(func.timezone(literal_column("'UTC'"), ts), Date)
        return type_coerce(func.date(ts), Date)  # SQLite stores UTC as 'YYYY-MM-DD HH:MM:SS'

    def binary(self, text: Any) -> ColumnElement[str]:
        """Text ordered by code point, as Python orders strings (SQLite's default)."""
        return collate(text, "C") if self.pg else text

    def month(self, day: Any) -> ColumnElement[str]:
        """``YYYY-MM`` of a date expression."""
        if self.pg:
            return func.to_char(day, literal_column("'YYYY-MM'"))
        return func.strftime(literal_column("'%Y-%m'"), day)

    def days(self, later: Any, earlier: Any, *, timestamps: bool) -> ColumnElement[Any]:
        """``later - earlier`` in days (fractional for timestamps)."""
        if not self.pg:
            return func.julianday(later) - func.julianday(earlier)
        if timestamps:
            return extract("epoch", later - earlier) / 86400
        whole_days: ColumnElement[Any] = later - earlier  # date - date: a number of days
        return whole_days


def twelve_month_value(p: Any) -> ColumnElement[Any]:
    """A project's 12-month value: worth x 12 when billed monthly, else its worth."""
    worth = func.coalesce(p.project_worth, 0)
    return case((p.value_type == "monthly", worth * 12), else_=worth)


def money_sum(expr: Any, where: ColumnElement[bool] | None = None) -> ColumnElement[Any]:
    total = func.sum(expr) if where is None else func.sum(expr).filter(where)
    return type_coerce(func.coalesce(total, 0), MONEY_SUM)


def cycle_sums(s: Any, where: ColumnElement[bool]) -> tuple[ColumnElement[Any], ...]:
    """Price sums by billing cycle (MRR = monthly + yearly / 12, computed by the caller)."""
    return (
        money_sum(s.price, and_(where, s.billing_cycle == "monthly")).label("monthly"),
        money_sum(s.price, and_(where, s.billing_cycle == "yearly")).label("yearly"),
    )


def in_times(col: Any, period: Period) -> list[ColumnElement[bool]]:
    out = [col < period.until]
    return out if period.since is None else [col >= period.since, *out]


def in_days(col: Any, period: Period) -> list[ColumnElement[bool]]:
    out = [col <= period.end]
    return out if period.start is None else [col >= period.start, *out]


class ReportQueries(ScopedRepository):
    """What every report query shares: scope, Trash, dialect and row helpers."""

    @property
    def _sql(self) -> _Dialect:
        return _Dialect(self._session.get_bind().dialect.name)

    def _seen(self, entity: str, t: Any, viewer: uuid.UUID | None) -> ColumnElement[bool]:
        """Out of Trash and, for a viewer, visible to them (the one visibility rule)."""
        live = t.deleted_at.is_(None)
        return live if viewer is None else and_(live, visible_clause(ENTITIES[entity], t, viewer))

    def _live(self, t: Any, field: str, entity: str) -> ColumnElement[bool]:
        """``t.<field>`` names a record of ``entity`` that is out of Trash.

        Asked as "names one, and it is not in Trash" (foreign keys guarantee it exists):
        PostgreSQL then hashes the few ids in Trash once per query instead of probing the parent
        table once per row, and still probes when Trash is large."""
        parent, column = aliased(ENTITIES[entity].model), getattr(t, field)
        trashed = select(parent.id).where(
            parent.tenant_id == t.tenant_id, parent.id == column, parent.deleted_at.is_not(None)
        )
        return and_(column.is_not(None), ~exists(trashed))

    def _parent_live(self, t: Any) -> ColumnElement[bool]:
        """A child counts only while its client or lead is out of Trash."""
        return or_(self._live(t, "client_id", "client"), self._live(t, "lead_id", "lead"))

    def _started(self, s: Any) -> ColumnElement[date]:
        """A subscription's effective start: start_date, else the day it was created."""
        return func.coalesce(s.start_date, self._sql.day(s.created_at))

    async def _all(self, stmt: Select[Any]) -> list[Rec]:
        # On the session's connection, not through the ORM: report rows are plain values, and
        # ORM result loading costs more than the query itself for a few thousand rows.
        conn = await self._session.connection()
        return list((await conn.execute(stmt)).mappings())

    async def _one(self, stmt: Select[Any]) -> Rec:
        conn = await self._session.connection()
        row: Rec = (await conn.execute(stmt)).mappings().one()
        return row

    def _subscriptions(self, viewer: uuid.UUID | None, *columns: Any) -> Select[Any]:
        """Subscriptions that count: out of Trash, their client too, visible to the viewer
        (through their client: the visibility rule of subscriptions)."""
        s = Subscription
        return self._select(Subscription, *columns).where(
            self._seen("subscription", s, viewer), self._live(s, "client_id", "client")
        )
