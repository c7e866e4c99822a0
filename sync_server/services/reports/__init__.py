"""The reporting suite (API.md "Reports"; every formula: contracts/reports.md).

A report runs in three steps: the query string is checked (``parse_query``), the caller's scope
is decided (``report_scope``), and the report's builder turns one or two aggregate queries of
``ReportsRepository`` into the one generic report shape (``ReportResponse``).

Scope: an admin's report covers the whole tenant, or with ``user_id`` exactly what that user
sees; anyone else's covers what they see (``visible_clause``), and naming another user is
refused with 403 rather than silently ignored, so nobody mistakes their own numbers for a
colleague's. The admin-only reports (user-activity, sync-health) read the whole tenant and use
``user_id`` as a filter on whose activity or devices.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

from sync_server.db.repositories import Repositories
from sync_server.errors import ApiError, ErrorCode, validation_error
from sync_server.http.parsing import validate
from sync_server.schemas.reports import ReportName, ReportParams, ReportQuery, ReportResponse
from sync_server.services.reports.catalog import REPORTS, ReportDefinition, Window
from sync_server.services.reports.core import ReportContext

QUERY_PARAMS: tuple[str, ...] = tuple(ReportQuery.model_fields)
MAX_SPAN_DAYS = 3660  # ten years: month-by-month reports stay a readable size

__all__ = ["MAX_SPAN_DAYS", "REPORTS", "ReportDefinition", "Window", "parse_query", "run_report"]


def parse_query(params: Mapping[str, str]) -> ReportQuery:
    """The query string (one value each: ``http.parsing.query_params``) as a ReportQuery:
    unknown parameters and bad dates -> 422 (the order of the two dates is checked once
    defaults fill them in, by ``run_report``)."""
    if unknown := sorted(set(params) - set(QUERY_PARAMS)):
        problem = f"unknown parameter; allowed: {', '.join(QUERY_PARAMS)}"
        raise validation_error({name: [problem] for name in unknown})
    return validate(ReportQuery, dict(params))


async def report_scope(
    repos: Repositories, definition: ReportDefinition, requested: uuid.UUID | None
) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """(viewer whose visibility applies or None for the whole tenant, user filter)."""
    ctx = repos.ctx
    if requested is not None and requested != ctx.actor_id and not ctx.is_admin:
        raise ApiError(ErrorCode.FORBIDDEN, "Only admins may run a report for another user")
    if requested is not None and ctx.is_admin and await repos.users.get(requested) is None:
        raise validation_error({"user_id": ["no such user in this tenant"]})
    if definition.admin_only:
        return None, requested
    return (requested, None) if ctx.is_admin else (ctx.actor_id, None)


async def run_report(
    repos: Repositories, name: ReportName, query: ReportQuery, now: datetime
) -> ReportResponse:
    definition = REPORTS[name]
    period = definition.window.resolve(query.start_date, query.end_date, now.astimezone(UTC).date())
    if period.start is not None and period.end < period.start:
        problem = f"must not be before start_date (end_date is {period.end})"
        raise validation_error({"end_date": [problem]})
    if period.start is not None and (period.end - period.start).days >= MAX_SPAN_DAYS:
        raise validation_error({"start_date": [f"the range may span at most {MAX_SPAN_DAYS} days"]})
    viewer, user_id = await report_scope(repos, definition, query.user_id)
    body = await definition.build(ReportContext(repos.reports, period, viewer, user_id, now))
    params = ReportParams(
        start_date=period.start, end_date=period.end, user_id=query.user_id, generated_at=now
    )
    return ReportResponse(
        report=name,
        params=params,
        columns=body.columns,
        rows=body.rows,
        summary=body.summary,
        chart=body.chart,
    )
