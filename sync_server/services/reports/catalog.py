"""The fourteen reports of API.md: name, who may run them, the default date window, the builder.

Default windows (contracts/reports.md, "Parameters"): most reports look back 90 days to today;
snapshots (pipeline, forecast) reach back to the beginning; follow-ups look ahead 30 days too;
upcoming tasks and renewals look ahead from today.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sync_server.db.repositories.reports import Period
from sync_server.schemas.reports import ReportName
from sync_server.services.reports import operations, revenue, sales, work
from sync_server.services.reports.core import ReportBody, ReportContext


@dataclass(frozen=True, slots=True)
class Window:
    """How a missing ``start_date`` / ``end_date`` is filled in.

    Trailing windows end ``end_offset`` days after today and span ``days`` (``days=None``: from
    the beginning); forward windows start today and span ``days``.
    """

    days: int | None = 90
    forward: bool = False
    end_offset: int = 0

    def resolve(self, start: date | None, end: date | None, today: date) -> Period:
        if self.forward:
            start = start or today
            return Period(start, end or start + timedelta(days=(self.days or 1) - 1))
        end = end or today + timedelta(days=self.end_offset)
        if start is None and self.days is not None:
            start = end - timedelta(days=self.days - 1)
        return Period(start, end)


Builder = Callable[[ReportContext], Awaitable[ReportBody]]


@dataclass(frozen=True, slots=True)
class ReportDefinition:
    name: ReportName
    summary: str
    build: Builder
    window: Window = Window()
    admin_only: bool = False


SINCE_EVER = Window(days=None)

REPORTS: dict[str, ReportDefinition] = {
    d.name: d
    for d in (
        ReportDefinition(
            "pipeline",
            "Leads and projects by status: count and 12-month worth",
            sales.pipeline,
            SINCE_EVER,
        ),
        ReportDefinition(
            "lead-source", "Leads by source, with their status mix", sales.lead_source
        ),
        ReportDefinition(
            "conversion-rate",
            "Converted / created leads, per source and overall",
            sales.conversion_rate,
        ),
        ReportDefinition(
            "revenue-by-client",
            "Project revenue (active and completed) and subscription MRR/ARR per client",
            revenue.revenue_by_client,
        ),
        ReportDefinition(
            "user-activity",
            "Changes per user and action, from the activity log (admin)",
            operations.user_activity,
            admin_only=True,
        ),
        ReportDefinition(
            "follow-ups",
            "Follow-up risk: pending follow-ups by how overdue they are",
            work.follow_ups,
            Window(days=None, end_offset=30),
        ),
        ReportDefinition(
            "client-retention",
            "Clients at the start still active now, and new clients",
            work.client_retention,
        ),
        ReportDefinition(
            "project-performance",
            "Projects by status: count, worth, average duration of completed ones",
            work.project_performance,
        ),
        ReportDefinition(
            "upcoming-tasks",
            "Pending follow-ups due in the window (default: the next 14 days)",
            work.upcoming_tasks,
            Window(days=14, forward=True),
        ),
        ReportDefinition(
            "revenue-forecast",
            "Weighted pipeline of open projects, with MRR/ARR",
            sales.revenue_forecast,
            SINCE_EVER,
        ),
        ReportDefinition(
            "subscriptions/income",
            "Subscription MRR/ARR month by month, and new MRR",
            revenue.subscriptions_income,
        ),
        ReportDefinition(
            "subscriptions/upcoming-renewals",
            "Active subscriptions renewing in the window (default: the next 30 days)",
            revenue.upcoming_renewals,
            Window(days=30, forward=True),
        ),
        ReportDefinition(
            "converted-leads",
            "Converted leads and the clients made from them (traceability)",
            sales.converted_leads,
        ),
        ReportDefinition(
            "sync-health",
            "Devices and their last sync, changes waiting, conflicts (admin)",
            operations.sync_health,
            admin_only=True,
        ),
    )
}
