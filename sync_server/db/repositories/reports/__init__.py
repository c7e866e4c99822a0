"""The reporting suite's queries (formulas: contracts/reports.md): one or two aggregate queries
per report, built from SQLAlchemy constructs that run the same on SQLite and PostgreSQL.

Scope is a required keyword on every method: ``viewer=None`` reads the whole tenant (admins);
a user id applies ``visible_clause`` (the one visibility module) to every record table the
report reads. The admin-only reports take ``user_id`` instead: whose activity or devices.
"""

from __future__ import annotations

from sync_server.db.repositories.reports.base import (
    ACTIVITY_ACTIONS,
    LIST_LIMIT,
    PENDING_CAP,
    SUBSCRIPTION_STATUSES,
    Period,
    Rec,
)
from sync_server.db.repositories.reports.operations import OperationsQueries
from sync_server.db.repositories.reports.revenue import RevenueQueries
from sync_server.db.repositories.reports.sales import SalesQueries
from sync_server.db.repositories.reports.work import WorkQueries


class ReportsRepository(SalesQueries, RevenueQueries, WorkQueries, OperationsQueries):
    """Every report query, for one tenant context and session."""


__all__ = [
    "ACTIVITY_ACTIONS",
    "LIST_LIMIT",
    "PENDING_CAP",
    "SUBSCRIPTION_STATUSES",
    "Period",
    "Rec",
    "ReportsRepository",
]
