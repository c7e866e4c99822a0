"""The reporting suite's wire shapes (``GET /api/v1/reports/...``): one query model and one
generic, typed report shape for all fourteen reports, so the PWA renders any of them with one
component. What each number means: ``contracts/reports.md``.

A report is a table (``columns`` describe ``rows``: each row maps a column ``key`` to a cell), a
``summary`` of named totals and a ``chart`` hint naming which columns to plot. Cells are JSON
scalars: money and other decimals travel as decimal strings (``"1250.00"``, ``"33.33"``), dates
as ``YYYY-MM-DD``, timestamps as ISO 8601 UTC with ``Z``.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Annotated, Literal, get_args

from pydantic import BeforeValidator, Field, WithJsonSchema

from sync_server.schemas.base import Response, Strict
from sync_server.schemas.types import UtcDateTime

ReportName = Literal[
    "pipeline",
    "lead-source",
    "conversion-rate",
    "revenue-by-client",
    "user-activity",
    "follow-ups",
    "client-retention",
    "project-performance",
    "upcoming-tasks",
    "revenue-forecast",
    "subscriptions/income",
    "subscriptions/upcoming-renewals",
    "converted-leads",
    "sync-health",
]
REPORT_NAMES: tuple[str, ...] = get_args(ReportName)
ColumnType = Literal[
    "string", "integer", "money", "decimal", "percent", "date", "datetime", "uuid", "boolean"
]
NUMERIC_TYPES: frozenset[str] = frozenset({"integer", "money", "decimal", "percent"})
ChartType = Literal["bar", "line", "pie", "table"]
ExportFormat = Literal["json", "csv", "xlsx"]
Cell = str | int | bool | None

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_day(value: object) -> object:
    # Only the plain ISO form: Pydantic alone would also take timestamps and datetimes.
    if not isinstance(value, str) or not _ISO_DAY.match(value):
        raise ValueError("must be an ISO date (YYYY-MM-DD)")
    return value


IsoDay = Annotated[
    date,
    BeforeValidator(_iso_day),
    Field(ge=FIRST_DAY, le=LAST_DAY),
    WithJsonSchema({"type": "string", "format": "date", "pattern": _ISO_DAY.pattern}),
]


class ReportQuery(Strict):
    """Query string of every report (unknown or repeated parameters answer 422)."""

    start_date: IsoDay | None = Field(
        default=None,
        description="First day (inclusive, UTC). Default per report: see contracts/reports.md",
    )
    end_date: IsoDay | None = Field(
        default=None, description="Last day (inclusive, UTC). Default per report (mostly today)"
    )
    user_id: uuid.UUID | None = Field(
        default=None,
        description=(
            "Admins: the report as this user sees it (user-activity, sync-health: this user's "
            "activity or devices). Others may only pass their own id (another one answers 403)."
        ),
    )
    format: ExportFormat = Field(
        default="json",
        description="json, or a download: csv (the rows) | xlsx (the rows and a Summary sheet)",
    )


class ReportColumn(Response):
    key: str = Field(description="The key of this column's cell in every row")
    label: str
    type: ColumnType = Field(description="How to read and format the cells")


class ReportChart(Response):
    type: ChartType
    x: str | None = Field(description="Column key of the categories (null for a table)")
    y: list[str] = Field(description="Column keys of the plotted series (empty for a table)")


class ReportParams(Response):
    start_date: date | None = Field(description="null: from the beginning")
    end_date: date
    user_id: uuid.UUID | None
    generated_at: UtcDateTime = Field(description="The server's clock when the report ran")


class ReportResponse(Response):
    report: ReportName
    params: ReportParams
    columns: list[ReportColumn]
    rows: list[dict[str, Cell]]
    summary: dict[str, Cell]
    chart: ReportChart
