"""Admin reports: user activity and sync health (whole tenant, or one user with ``user_id``)."""

from __future__ import annotations

from sync_server.db.repositories.reports import ACTIVITY_ACTIONS, PENDING_CAP
from sync_server.schemas.reports import Cell
from sync_server.services.reports.core import (
    ReportBody,
    ReportContext,
    chart,
    columns,
    ident,
    int_sum,
    moment,
)

ACTIVITY = columns(
    ("user_id", "User id", "uuid"),
    ("user", "User", "string"),
    ("email", "Email", "string"),
    ("active", "Active account", "boolean"),
    *((a, a.capitalize(), "integer") for a in ACTIVITY_ACTIONS),
    ("other", "Other", "integer"),
    ("total", "Total", "integer"),
    ("last_activity_at", "Last activity", "datetime"),
)


async def user_activity(ctx: ReportContext) -> ReportBody:
    found = await ctx.queries.user_activity(ctx.period, user_id=ctx.user_id)
    found.sort(key=lambda r: (-r["total"], r["email"]))
    rows: list[dict[str, Cell]] = []
    for r in found:
        counts = {a: int(r[f"n_{a}"]) for a in ACTIVITY_ACTIONS}
        rows.append(
            {
                "user_id": ident(r["user_id"]),
                "user": r["name"] or r["email"],
                "email": r["email"],
                "active": bool(r["is_active"]),
                **counts,
                "other": int(r["total"]) - sum(counts.values()),
                "total": int(r["total"]),
                "last_activity_at": moment(r["last_activity_at"]),
            }
        )
    summary: dict[str, Cell] = {
        "users": len(rows),
        "active_users": sum(1 for r in found if r["total"]),
        "actions": int_sum(found, "total"),
    }
    return ReportBody(ACTIVITY, rows, summary, chart("bar", "user", "total"))


SYNC_HEALTH = columns(
    ("client_id", "Device (client id)", "uuid"),
    ("user_id", "User id", "uuid"),
    ("user", "User", "string"),
    ("user_agent", "User agent", "string"),
    ("registered_at", "First seen", "datetime"),
    ("last_seen_at", "Last sync", "datetime"),
    ("last_mutation_id", "Last mutation id", "integer"),
    ("last_pull_seq", "Pulled up to seq", "integer"),
    ("pending_changes", f"Changes waiting (counted up to {PENDING_CAP})", "integer"),
    ("needs_reset", "Needs a full resync", "boolean"),
    ("open_conflicts", "Open conflicts", "integer"),
    ("auto_resolved", "Auto-resolved conflicts", "integer"),
)


async def sync_health(ctx: ReportContext) -> ReportBody:
    totals = await ctx.queries.sync_totals(ctx.period, user_id=ctx.user_id)
    horizon = int(totals["horizon_seq"] or 0)
    found = await ctx.queries.devices(ctx.period, user_id=ctx.user_id)
    rows: list[dict[str, Cell]] = [
        {
            "client_id": ident(r["client_id"]),
            "user_id": ident(r["user_id"]),
            "user": r["email"],
            "user_agent": r["user_agent"],
            "registered_at": moment(r["created_at"]),
            "last_seen_at": moment(r["last_seen_at"]),
            "last_mutation_id": int(r["last_mutation_id"]),
            "last_pull_seq": int(r["last_pull_seq"]),
            "pending_changes": int(r["pending"]),
            "needs_reset": int(r["last_pull_seq"]) < horizon,
            "open_conflicts": int(r["open_conflicts"]),
            "auto_resolved": int(r["auto_resolved"]),
        }
        for r in found
    ]
    keys = ("devices", "devices_behind", "devices_needing_reset", "open_conflicts")
    summary: dict[str, Cell] = {k: int(totals[k]) for k in keys}
    summary |= {k: int(totals[k]) for k in ("auto_resolved", "resolved")}
    summary |= {"tenant_seq": int(totals["tenant_seq"] or 0), "horizon_seq": horizon}
    summary["truncated"] = int(totals["devices"]) > len(rows)
    return ReportBody(SYNC_HEALTH, rows, summary)
