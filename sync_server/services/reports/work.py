"""Work reports: follow-up risk, upcoming tasks, client retention, project performance."""

from __future__ import annotations

from sync_server.schemas.reports import Cell
from sync_server.schemas.types import PROJECT_STATUSES
from sync_server.services.reports.core import (
    ReportBody,
    ReportContext,
    average,
    chart,
    columns,
    exact_sum,
    ident,
    moment,
    money,
    number,
    per_status,
    percent,
)

FOLLOW_UP_BUCKETS = {
    "overdue_over_30d": "Overdue more than 30 days",
    "overdue_8_30d": "Overdue 8 to 30 days",
    "overdue_0_7d": "Overdue up to 7 days",
    "due_next_7d": "Due in the next 7 days",
    "due_later": "Due later",
}
OVERDUE = ("overdue_over_30d", "overdue_8_30d", "overdue_0_7d")
FOLLOW_UPS = columns(
    ("bucket", "Bucket", "string"), ("label", "When", "string"), ("count", "Follow-ups", "integer")
)


async def follow_ups(ctx: ReportContext) -> ReportBody:
    found = await ctx.queries.follow_ups(ctx.period, ctx.now, viewer=ctx.viewer)
    rows: list[dict[str, Cell]] = [
        {"bucket": key, "label": label, "count": int(found[key])}
        for key, label in FOLLOW_UP_BUCKETS.items()
    ]
    pending, overdue = int(found["pending"]), sum(int(found[k]) for k in OVERDUE)
    summary: dict[str, Cell] = {
        "pending": pending,
        "overdue": overdue,
        "overdue_rate": percent(overdue, pending),
        "oldest_overdue": moment(found["oldest_overdue"]),
    }
    return ReportBody(FOLLOW_UPS, rows, summary, chart("bar", "label", "count"))


TASKS = columns(
    ("interaction_id", "Interaction id", "uuid"),
    ("follow_up", "Follow-up due", "datetime"),
    ("type", "Type", "string"),
    ("summary", "Summary", "string"),
    ("parent", "For", "string"),
    ("parent_id", "Client or lead id", "uuid"),
    ("parent_name", "Client or lead", "string"),
    ("contact_person", "Contact person", "string"),
    ("owner_id", "Logged by (id)", "uuid"),
    ("owner", "Logged by", "string"),
)


async def upcoming_tasks(ctx: ReportContext) -> ReportBody:
    found, total = await ctx.queries.upcoming_tasks(ctx.period, viewer=ctx.viewer)
    rows: list[dict[str, Cell]] = [
        {
            "interaction_id": ident(r["interaction_id"]),
            "follow_up": moment(r["follow_up"]),
            "type": r["type"],
            "summary": r["summary"],
            "parent": "client" if r["client_id"] is not None else "lead",
            "parent_id": ident(r["client_id"] or r["lead_id"]),
            "parent_name": r["client"] if r["client_id"] is not None else r["lead"],
            "contact_person": r["contact_person"],
            "owner_id": ident(r["owner_id"]),
            "owner": r["owner_name"] or r["owner_email"],
        }
        for r in found
    ]
    return ReportBody(TASKS, rows, {"tasks": total, "truncated": total > len(rows)})


OUTCOMES = {"active": "Still active", "inactive": "Now inactive", "cancelled": "Now cancelled"}
RETENTION = columns(
    ("outcome", "Status now", "string"),
    ("label", "Outcome", "string"),
    ("clients", "Clients", "integer"),
    ("share", "Share of clients at start", "percent"),
)


async def client_retention(ctx: ReportContext) -> ReportBody:
    found = await ctx.queries.client_retention(ctx.period, viewer=ctx.viewer)
    at_start, retained = int(found["at_start"]), int(found["active"])
    rows: list[dict[str, Cell]] = [
        {
            "outcome": status,
            "label": label,
            "clients": int(found[status]),
            "share": percent(int(found[status]), at_start),
        }
        for status, label in OUTCOMES.items()
    ]
    summary: dict[str, Cell] = {
        "clients_at_start": at_start,
        "retained": retained,
        "churned": at_start - retained,
        "retention_rate": percent(retained, at_start),
        "churn_rate": percent(at_start - retained, at_start),
        "new_clients": int(found["new"]),
        "new_active_clients": int(found["new_active"]),
    }
    return ReportBody(RETENTION, rows, summary, chart("pie", "label", "clients"))


PERFORMANCE = columns(
    ("status", "Project status", "string"),
    ("projects", "Projects", "integer"),
    ("total_worth", "Worth (12 months)", "money"),
    ("average_worth", "Average worth", "money"),
    ("average_duration_days", "Average duration (days, completed)", "decimal"),
)
PERFORMANCE_EMPTY = {"projects": 0, "worth": 0, "timed": 0, "days": None}


async def project_performance(ctx: ReportContext) -> ReportBody:
    found = await ctx.queries.project_performance(ctx.period, viewer=ctx.viewer)
    by_status = per_status(found, PROJECT_STATUSES, PERFORMANCE_EMPTY)
    rows: list[dict[str, Cell]] = []
    for status, r in by_status:
        n, worth = int(r["projects"]), number(r["worth"])
        rows.append(
            {
                "status": status,
                "projects": n,
                "total_worth": money(worth),
                "average_worth": money(worth / n) if n else None,
                "average_duration_days": average(r["days"], int(r["timed"])),
            }
        )
    count = {status: int(r["projects"]) for status, r in by_status}
    done = dict(by_status)["completed"]
    summary: dict[str, Cell] = {
        "projects": sum(count.values()),
        "total_worth": money(exact_sum(found, "worth")),
        "completion_rate": percent(count["completed"], count["completed"] + count["cancelled"]),
        "average_duration_days": average(done["days"], int(done["timed"])),
    }
    return ReportBody(PERFORMANCE, rows, summary, chart("bar", "status", "projects"))
