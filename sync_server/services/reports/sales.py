"""Sales reports: pipeline, lead sources, conversion rate, weighted forecast, converted leads."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sync_server.db.repositories.reports import Rec
from sync_server.schemas.reports import Cell
from sync_server.schemas.types import LEAD_STATUSES, PROJECT_STATUSES
from sync_server.services.reports.core import (
    ReportBody,
    ReportContext,
    arr,
    average,
    chart,
    columns,
    exact_sum,
    ident,
    int_sum,
    moment,
    money,
    number,
    per_status,
    percent,
    recurring,
)

# Probability that an open deal becomes revenue, by the stage it is in (contracts/reports.md).
LEAD_WEIGHTS = {
    "new": Decimal("0.10"),
    "contacted": Decimal("0.25"),
    "qualified": Decimal("0.50"),
    "lost": Decimal("0.00"),
    "converted": Decimal("1.00"),
}
PROJECT_WEIGHTS = {"pending": Decimal("0.50"), "active": Decimal("1.00")}

PIPELINE = columns(
    ("entity", "Record", "string"),
    ("status", "Status", "string"),
    ("count", "Count", "integer"),
    ("worth", "Worth (12 months)", "money"),
)


def _status_rows(entity: str, statuses: tuple[str, ...], found: list[Rec]) -> list[dict[str, Cell]]:
    return [
        {"entity": entity, "status": s, "count": int(r["count"]), "worth": money(r["worth"])}
        for s, r in per_status(found, statuses, {"count": 0, "worth": None})
    ]


async def pipeline(ctx: ReportContext) -> ReportBody:
    leads, projects = await ctx.queries.pipeline(ctx.period, viewer=ctx.viewer)
    summary: dict[str, Cell] = {}
    for entity, found in (("lead", leads), ("project", projects)):
        summary[f"{entity}s"] = int_sum(found, "count")
        summary[f"{entity}_worth"] = money(exact_sum(found, "worth"))
    rows = _status_rows("lead", LEAD_STATUSES, leads)
    rows += _status_rows("project", PROJECT_STATUSES, projects)
    return ReportBody(PIPELINE, rows, summary, chart("bar", "status", "count"))


def _by_source(found: list[Rec]) -> list[Rec]:
    """Most leads first; the leads without a source last among equals."""
    return sorted(found, key=lambda r: (-r["leads"], r["source"] is None, r["source"] or ""))


LEAD_SOURCE = columns(
    ("lead_source", "Lead source", "string"),
    ("leads", "Leads", "integer"),
    *((s, s.capitalize(), "integer") for s in LEAD_STATUSES),
    ("share", "Share of leads", "percent"),
)


async def lead_source(ctx: ReportContext) -> ReportBody:
    found = _by_source(await ctx.queries.leads_by_source(ctx.period, viewer=ctx.viewer))
    total = int_sum(found, "leads")
    rows: list[dict[str, Cell]] = [
        {
            "lead_source": r["source"],
            "leads": int(r["leads"]),
            **{s: int(r[f"n_{s}"]) for s in LEAD_STATUSES},
            "share": percent(int(r["leads"]), total),
        }
        for r in found
    ]
    summary: dict[str, Cell] = {"leads": total, "sources": len(rows)}
    return ReportBody(LEAD_SOURCE, rows, summary, chart("pie", "lead_source", "leads"))


CONVERSION = columns(
    ("lead_source", "Lead source", "string"),
    ("leads", "Leads created", "integer"),
    ("converted", "Converted", "integer"),
    ("conversion_rate", "Conversion rate", "percent"),
    ("avg_days_to_convert", "Average days to convert", "decimal"),
)


async def conversion_rate(ctx: ReportContext) -> ReportBody:
    found = _by_source(await ctx.queries.leads_by_source(ctx.period, viewer=ctx.viewer))
    rows: list[dict[str, Cell]] = [
        {
            "lead_source": r["source"],
            "leads": int(r["leads"]),
            "converted": int(r["n_converted"]),
            "conversion_rate": percent(int(r["n_converted"]), int(r["leads"])),
            "avg_days_to_convert": average(r["days"], int(r["timed"])),
        }
        for r in found
    ]
    leads, converted = int_sum(found, "leads"), int_sum(found, "n_converted")
    summary: dict[str, Cell] = {
        "leads": leads,
        "converted": converted,
        "conversion_rate": percent(converted, leads),
        "avg_days_to_convert": average(exact_sum(found, "days"), int_sum(found, "timed")),
    }
    return ReportBody(CONVERSION, rows, summary, chart("bar", "lead_source", "conversion_rate"))


FORECAST = columns(
    ("stage", "Stage", "string"),
    ("status", "Status", "string"),
    ("count", "Projects", "integer"),
    ("worth", "Worth (12 months)", "money"),
    ("weight", "Weight", "decimal"),
    ("weighted", "Weighted worth", "money"),
)


def _stage(r: Rec) -> tuple[str, str]:
    """A pending project of a lead (no client yet) is weighed by the lead's status; every other
    open project by its own status."""
    if r["project_status"] == "pending" and bool(r["no_client"]) and r["lead_status"] is not None:
        return "lead", str(r["lead_status"])
    return "project", str(r["project_status"])


async def revenue_forecast(ctx: ReportContext) -> ReportBody:
    found = await ctx.queries.forecast(ctx.period, viewer=ctx.viewer)
    stages: dict[tuple[str, str], list[Any]] = {}
    for r in found:
        acc = stages.setdefault(_stage(r), [0, Decimal(0)])
        acc[0] += int(r["count"])
        acc[1] += number(r["worth"])
    weights = [("lead", LEAD_WEIGHTS), ("project", PROJECT_WEIGHTS)]
    rows: list[dict[str, Cell]] = []
    worth_total, weighted_total = Decimal(0), Decimal(0)
    for stage, table in weights:
        for status, weight in table.items():
            count, worth = stages.get((stage, status), [0, Decimal(0)])
            worth_total, weighted_total = worth_total + worth, weighted_total + worth * weight
            rows.append(
                {
                    "stage": stage,
                    "status": status,
                    "count": count,
                    "worth": money(worth),
                    "weight": str(weight),
                    "weighted": money(worth * weight),
                }
            )
    subscriptions = await ctx.queries.recurring(ctx.period.end, viewer=ctx.viewer)
    monthly, yearly = subscriptions["monthly"], subscriptions["yearly"]
    summary: dict[str, Cell] = {
        "pipeline_worth": money(worth_total),
        "weighted_pipeline": money(weighted_total),
        **recurring(monthly, yearly),
        "expected_12m": money(weighted_total + arr(monthly, yearly)),
        "active_subscriptions": int(subscriptions["active"]),
    }
    return ReportBody(FORECAST, rows, summary, chart("bar", "status", "weighted"))


CONVERTED = columns(
    ("lead_id", "Lead id", "uuid"),
    ("lead", "Lead", "string"),
    ("lead_source", "Lead source", "string"),
    ("lead_created_at", "Lead created", "datetime"),
    ("converted_on", "Converted on", "datetime"),
    ("days_to_convert", "Days to convert", "decimal"),
    ("client_id", "Client id", "uuid"),
    ("client", "Client", "string"),
    ("client_status", "Client status", "string"),
    ("traceable", "Client points back to the lead", "boolean"),
)


def _days_to_convert(r: Rec) -> str | None:
    if r["converted_on"] is None:
        return None
    seconds = Decimal(str((r["converted_on"] - r["created_at"]).total_seconds()))
    return average(seconds / 86400, 1)


async def converted_leads(ctx: ReportContext) -> ReportBody:
    found, totals = await ctx.queries.converted_leads(ctx.period, viewer=ctx.viewer)
    rows: list[dict[str, Cell]] = [
        {
            "lead_id": ident(r["lead_id"]),
            "lead": r["lead"],
            "lead_source": r["lead_source"],
            "lead_created_at": moment(r["created_at"]),
            "converted_on": moment(r["converted_on"]),
            "days_to_convert": _days_to_convert(r),
            "client_id": ident(r["client_id"]),
            "client": r["client"],
            "client_status": r["client_status"],
            "traceable": r["client"] is not None and r["source_lead_id"] == r["lead_id"],
        }
        for r in found
    ]
    summary: dict[str, Cell] = {
        "converted": int(totals["converted"]),
        "traceable": int(totals["traceable"]),
        "avg_days_to_convert": average(totals["days"], int(totals["timed"])),
        "truncated": int(totals["converted"]) > len(rows),
    }
    return ReportBody(CONVERTED, rows, summary)
