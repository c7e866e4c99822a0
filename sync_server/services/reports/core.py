"""What every report builder shares: its context, the body it returns, and the cell formats of
contracts/reports.md (money to the cent, rates and averages rounded half up, once, at the end)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sync_server.db.repositories.reports import Period, Rec, ReportsRepository
from sync_server.schemas.reports import Cell, ChartType, ColumnType, ReportChart, ReportColumn

CENT, TENTH = Decimal("0.01"), Decimal("0.1")
TABLE = ReportChart(type="table", x=None, y=[])


@dataclass(frozen=True, slots=True)
class ReportContext:
    queries: ReportsRepository
    period: Period
    # Whose visibility applies to record tables: None = the whole tenant (an admin's report).
    viewer: uuid.UUID | None
    # Admin-only reports: the one user whose activity or devices to show (None = everyone).
    user_id: uuid.UUID | None
    now: datetime

    @property
    def today(self) -> date:
        return self.now.astimezone(UTC).date()


@dataclass(slots=True)
class ReportBody:
    columns: list[ReportColumn]
    rows: list[dict[str, Cell]]
    summary: dict[str, Cell]
    chart: ReportChart = field(default_factory=lambda: TABLE)


def columns(*specs: tuple[str, str, ColumnType]) -> list[ReportColumn]:
    return [ReportColumn(key=key, label=label, type=kind) for key, label, kind in specs]


def chart(kind: ChartType, x: str, *y: str) -> ReportChart:
    return ReportChart(type=kind, x=x, y=list(y))


def number(value: Any) -> Decimal:
    """A SQL aggregate as an exact Decimal (None is 0; SQLite's floats go through their text)."""
    if value is None:
        return Decimal(0)
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def money(value: Any) -> str:
    return str(number(value).quantize(CENT, ROUND_HALF_UP))


def percent(part: int, whole: int) -> str | None:
    """``part / whole`` in percent with two decimals; null when ``whole`` is 0."""
    if not whole:
        return None
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(CENT, ROUND_HALF_UP))


def average(total: Any, count: int) -> str | None:
    """``total / count`` to one decimal (days); null when ``count`` is 0."""
    if not count:
        return None
    return str((number(total) / count).quantize(TENTH, ROUND_HALF_UP))


def mrr(monthly: Any, yearly: Any) -> Decimal:
    """Monthly recurring revenue, exact: monthly prices + yearly prices / 12."""
    return number(monthly) + number(yearly) / 12


def arr(monthly: Any, yearly: Any) -> Decimal:
    """Annual recurring revenue, exact in cents: 12 x monthly prices + yearly prices."""
    return number(monthly) * 12 + number(yearly)


def recurring(monthly: Any, yearly: Any) -> dict[str, Cell]:
    """The ``mrr`` and ``arr`` cells of the summed monthly and yearly subscription prices."""
    return {"mrr": money(mrr(monthly, yearly)), "arr": money(arr(monthly, yearly))}


def exact_sum(found: Iterable[Rec], key: str) -> Decimal:
    """One money or decimal column summed over aggregate rows, exactly (see ``number``)."""
    return sum((number(r[key]) for r in found), Decimal(0))


def int_sum(found: Iterable[Rec], key: str) -> int:
    """One count column summed over aggregate rows."""
    return sum(int(r[key]) for r in found)


def per_status(
    found: Iterable[Rec], statuses: tuple[str, ...], empty: Mapping[str, Any]
) -> list[tuple[str, Rec]]:
    """Rows grouped by ``status``, one per status of the closed list and in its order: a
    report shows every status, those no record has with the ``empty`` row (zero counts)."""
    got = {r["status"]: r for r in found}
    return [(status, got.get(status, empty)) for status in statuses]


def day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def moment(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def ident(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)
