"""Revenue reports: revenue by client, subscription income (MRR/ARR by month), renewals."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sync_server.db.repositories.reports import SUBSCRIPTION_STATUSES
from sync_server.schemas.reports import Cell
from sync_server.services.reports.core import (
    ReportBody,
    ReportContext,
    arr,
    chart,
    columns,
    day,
    exact_sum,
    ident,
    int_sum,
    money,
    mrr,
    number,
    recurring,
)

BY_CLIENT = columns(
    ("client_id", "Client id", "uuid"),
    ("client", "Client", "string"),
    ("status", "Client status", "string"),
    ("projects", "Projects", "integer"),
    ("project_revenue", "Project revenue (12 months)", "money"),
    ("mrr", "MRR", "money"),
    ("arr", "ARR", "money"),
    ("total", "Total", "money"),
)


async def revenue_by_client(ctx: ReportContext) -> ReportBody:
    found = await ctx.queries.client_revenue(ctx.period, viewer=ctx.viewer)
    rows: list[dict[str, Cell]] = []
    for r in found:
        rows.append(
            {
                "client_id": ident(r["client_id"]),
                "client": r["client"],
                "status": r["status"],
                "projects": int(r["projects"]),
                "project_revenue": money(r["revenue"]),
                **recurring(r["monthly"], r["yearly"]),
                "total": money(number(r["revenue"]) + arr(r["monthly"], r["yearly"])),
            }
        )
    totals = found[0] if found else {}
    revenue, monthly, yearly = (totals.get(f"all_{k}") for k in ("revenue", "monthly", "yearly"))
    clients = int(totals.get("n_clients", 0))
    summary: dict[str, Cell] = {
        "clients": clients,
        "project_revenue": money(revenue),
        **recurring(monthly, yearly),
        "total": money(number(revenue) + arr(monthly, yearly)),
        "truncated": clients > len(rows),
    }
    return ReportBody(BY_CLIENT, rows, summary, chart("bar", "client", "total"))


INCOME = columns(
    ("month", "Month", "string"),
    ("new_subscriptions", "New subscriptions", "integer"),
    ("new_mrr", "New MRR", "money"),
    ("mrr", "MRR at month end", "money"),
    ("arr", "ARR at month end", "money"),
)


def _months(start: date, end: date) -> list[str]:
    out, current = [], start.replace(day=1)
    while current <= end:
        out.append(f"{current:%Y-%m}")
        current = (current + timedelta(days=32)).replace(day=1)
    return out


async def subscriptions_income(ctx: ReportContext) -> ReportBody:
    start, end = ctx.period.start, ctx.period.end
    assert start is not None, "income has a trailing default window"
    before = await ctx.queries.recurring(start - timedelta(days=1), viewer=ctx.viewer)
    found = await ctx.queries.new_subscriptions(ctx.period, viewer=ctx.viewer)
    counts = {s: int(before[s]) for s in SUBSCRIPTION_STATUSES}
    monthly, yearly = number(before["monthly"]), number(before["yearly"])
    new_count, new_mrr = 0, Decimal(0)
    rows: list[dict[str, Cell]] = []
    for month in _months(start, end):
        in_month = [r for r in found if r["month"] == month]
        count = int_sum(in_month, "count")
        add_monthly, add_yearly = exact_sum(in_month, "monthly"), exact_sum(in_month, "yearly")
        for r in in_month:
            counts[r["status"]] += int(r["count"])
        monthly, yearly = monthly + add_monthly, yearly + add_yearly
        new_count, new_mrr = new_count + count, new_mrr + mrr(add_monthly, add_yearly)
        rows.append(
            {
                "month": month,
                "new_subscriptions": count,
                "new_mrr": money(mrr(add_monthly, add_yearly)),
                **recurring(monthly, yearly),
            }
        )
    summary: dict[str, Cell] = {
        **recurring(monthly, yearly),
        **counts,
        "new_subscriptions": new_count,
        "new_mrr": money(new_mrr),
    }
    return ReportBody(INCOME, rows, summary, chart("line", "month", "mrr"))


RENEWALS = columns(
    ("subscription_id", "Subscription id", "uuid"),
    ("client_id", "Client id", "uuid"),
    ("client", "Client", "string"),
    ("plan_name", "Plan", "string"),
    ("billing_cycle", "Billing cycle", "string"),
    ("price", "Price", "money"),
    ("mrr", "MRR", "money"),
    ("renewal_date", "Renews on", "date"),
    ("days_until", "Days until renewal", "integer"),
)


async def upcoming_renewals(ctx: ReportContext) -> ReportBody:
    found, totals = await ctx.queries.renewals(ctx.period, viewer=ctx.viewer)
    rows: list[dict[str, Cell]] = [
        {
            "subscription_id": ident(r["subscription_id"]),
            "client_id": ident(r["client_id"]),
            "client": r["client"],
            "plan_name": r["plan_name"],
            "billing_cycle": r["billing_cycle"],
            "price": money(r["price"]),
            "mrr": money(number(r["price"]) / (12 if r["billing_cycle"] == "yearly" else 1)),
            "renewal_date": day(r["renewal_date"]),
            "days_until": (r["renewal_date"] - ctx.today).days,
        }
        for r in found
    ]
    summary: dict[str, Cell] = {
        "renewals": int(totals["renewals"]),
        "renewal_value": money(totals["value"]),
        "mrr": money(mrr(totals["monthly"], totals["yearly"])),
        "truncated": int(totals["renewals"]) > len(rows),
    }
    return ReportBody(RENEWALS, rows, summary)
