"""Every report's rows and summary re-derived in plain Python, straight from contracts/reports.md,
over the tenant's rows read from the database, with API.md's visibility re-derived in Python
(tests/property/oracle.py). Nothing here calls the report code or its SQL."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sync_server.db.models import (
    ActivityLog,
    ChangeAudience,
    Conflict,
    SyncClient,
    TenantClock,
    User,
)
from tests.property.oracle import tenant_records, visible_view
from tests.support.records import db_rows
from tests.support.report_world import ReportWorld

Row = dict[str, Any]
LEAD_STATUSES = ("new", "contacted", "qualified", "lost", "converted")
PROJECT_STATUSES = ("active", "pending", "completed", "cancelled")
LEAD_WEIGHTS = {
    "new": "0.10",
    "contacted": "0.25",
    "qualified": "0.50",
    "lost": "0.00",
    "converted": "1.00",
}
PROJECT_WEIGHTS = {"pending": "0.50", "active": "1.00"}
ACTIONS = ("create", "update", "delete", "restore", "convert", "purge")


def dec(value: Any) -> Decimal:
    return Decimal(0) if value is None else Decimal(str(value))


def cents(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), ROUND_HALF_UP))


def rate(part: int, whole: int) -> str | None:
    return None if whole == 0 else cents(Decimal(part) * 100 / whole)


def tenth(total: Decimal, n: int) -> str | None:
    return None if n == 0 else str((total / n).quantize(Decimal("0.1"), ROUND_HALF_UP))


def when(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value.replace("Z", "+00:00"))


def day_of(value: str | None) -> date | None:
    if value is None:
        return None
    return date.fromisoformat(value) if len(value) == 10 else when(value).astimezone(UTC).date()


def z(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def acv(p: Row) -> Decimal:
    worth = dec(p["project_worth"])
    return worth * 12 if p["value_type"] == "monthly" else worth


def mrr(monthly: Decimal, yearly: Decimal) -> Decimal:
    return monthly + yearly / 12


@dataclass
class Period:
    start: date | None
    end: date

    def has(self, d: date | None) -> bool:
        return d is not None and d <= self.end and (self.start is None or d >= self.start)


@dataclass
class Snapshot:
    """The tenant's rows, once the world is built (reports only read)."""

    records: dict[str, dict[str, Row]]
    users: list[User]
    activity: list[ActivityLog]
    devices: list[SyncClient]
    audience: list[ChangeAudience]
    conflicts: list[Conflict]
    clock: TenantClock

    @classmethod
    async def read(cls, w: ReportWorld) -> Snapshot:
        client, tid = w.t.admin.client, w.t.tenant_id
        tables = [
            await db_rows(client, tid, m)
            for m in (User, ActivityLog, SyncClient, ChangeAudience, Conflict, TenantClock)
        ]
        return cls(await tenant_records(client, tid), *tables[:5], tables[5][0])


class Oracle:
    def __init__(
        self, snap: Snapshot, viewer: str | None, user_id: str | None, period: Period, now: datetime
    ) -> None:
        self.s, self.period, self.now, self.user_id = snap, period, now, user_id
        self.seen = (
            snap.records if viewer is None else visible_view(snap.records, uuid.UUID(viewer))
        )

    def live(self, entity: str) -> list[Row]:
        return [r for r in self.seen[entity].values() if r["deleted_at"] is None]

    def live_one(self, entity: str, rid: str | None) -> Row | None:
        r = self.seen[entity].get(rid) if rid else None
        return r if r is not None and r["deleted_at"] is None else None

    def parent_live(self, r: Row) -> bool:
        return any(
            r[f] is not None and self.s.records[e][r[f]]["deleted_at"] is None
            for f, e in (("client_id", "client"), ("lead_id", "lead"))
        )

    def created_in(self, r: Row) -> bool:
        return self.period.has(day_of(r["created_at"]))

    # --- sales ---------------------------------------------------------------------------------

    def pipeline(self) -> tuple[list[Row], Row]:
        leads = [lead for lead in self.live("lead") if self.created_in(lead)]
        projects = [p for p in self.live("project") if self.created_in(p)]
        lead_worth = {
            lead["id"]: sum(
                (
                    acv(p)
                    for p in self.live("project")
                    if p["lead_id"] == lead["id"] and p["project_status"] != "cancelled"
                ),
                Decimal(0),
            )
            for lead in leads
        }
        rows: list[Row] = []
        for status in LEAD_STATUSES:
            mine = [lead for lead in leads if lead["lead_status"] == status]
            rows.append(
                {
                    "entity": "lead",
                    "status": status,
                    "count": len(mine),
                    "worth": cents(sum((lead_worth[x["id"]] for x in mine), Decimal(0))),
                }
            )
        for status in PROJECT_STATUSES:
            mine = [p for p in projects if p["project_status"] == status]
            rows.append(
                {
                    "entity": "project",
                    "status": status,
                    "count": len(mine),
                    "worth": cents(sum((acv(p) for p in mine), Decimal(0))),
                }
            )
        summary = {
            "leads": len(leads),
            "lead_worth": cents(sum(lead_worth.values(), Decimal(0))),
            "projects": len(projects),
            "project_worth": cents(sum((acv(p) for p in projects), Decimal(0))),
        }
        return rows, summary

    def _sources(self) -> list[tuple[str | None, list[Row]]]:
        groups: dict[str | None, list[Row]] = {}
        for lead in self.live("lead"):
            if self.created_in(lead):
                groups.setdefault(lead["lead_source"], []).append(lead)
        return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0] is None, kv[0] or ""))

    def lead_source(self) -> tuple[list[Row], Row]:
        groups = self._sources()
        total = sum(len(g) for _, g in groups)
        rows = []
        for source, group in groups:
            counts = Counter(lead["lead_status"] for lead in group)
            rows.append(
                {
                    "lead_source": source,
                    "leads": len(group),
                    **{s: counts[s] for s in LEAD_STATUSES},
                    "share": rate(len(group), total),
                }
            )
        return rows, {"leads": total, "sources": len(groups)}

    @staticmethod
    def _days_to_convert(leads: Iterable[Row]) -> tuple[Decimal, int]:
        spans = [
            Decimal(str((when(x["converted_on"]) - when(x["created_at"])).total_seconds())) / 86400
            for x in leads
            if x["converted_on"] is not None
        ]
        return sum(spans, Decimal(0)), len(spans)

    def conversion_rate(self) -> tuple[list[Row], Row]:
        rows, all_leads = [], []
        for source, group in self._sources():
            converted = [x for x in group if x["lead_status"] == "converted"]
            all_leads += group
            rows.append(
                {
                    "lead_source": source,
                    "leads": len(group),
                    "converted": len(converted),
                    "conversion_rate": rate(len(converted), len(group)),
                    "avg_days_to_convert": tenth(*self._days_to_convert(converted)),
                }
            )
        converted = [x for x in all_leads if x["lead_status"] == "converted"]
        summary = {
            "leads": len(all_leads),
            "converted": len(converted),
            "conversion_rate": rate(len(converted), len(all_leads)),
            "avg_days_to_convert": tenth(*self._days_to_convert(converted)),
        }
        return rows, summary

    def recurring(
        self, as_of: date, starting: Callable[[date], bool] | None = None
    ) -> tuple[Counter[str], Decimal, Decimal]:
        counts: Counter[str] = Counter()
        monthly = yearly = Decimal(0)
        for s in self.live("subscription"):
            client = self.live_one("client", s["client_id"])
            start = day_of(s["start_date"]) or day_of(s["created_at"])
            if (
                client is None
                or start is None
                or start > as_of
                or (starting and not starting(start))
            ):
                continue
            counts[s["status"]] += 1
            if s["status"] == "active":
                if s["billing_cycle"] == "monthly":
                    monthly += dec(s["price"])
                else:
                    yearly += dec(s["price"])
        return counts, monthly, yearly

    def revenue_forecast(self) -> tuple[list[Row], Row]:
        stages: dict[tuple[str, str], list[Any]] = {}
        for p in self.live("project"):
            if p["project_status"] not in ("pending", "active") or not self.created_in(p):
                continue
            lead = self.live_one("lead", p["lead_id"])
            if p["project_status"] == "pending" and p["client_id"] is None and lead is not None:
                key = ("lead", lead["lead_status"])
            else:
                key = ("project", p["project_status"])
            acc = stages.setdefault(key, [0, Decimal(0)])
            acc[0] += 1
            acc[1] += acv(p)
        rows, total, weighted = [], Decimal(0), Decimal(0)
        for stage, weights in (("lead", LEAD_WEIGHTS), ("project", PROJECT_WEIGHTS)):
            for status, weight in weights.items():
                n, worth = stages.get((stage, status), [0, Decimal(0)])
                total, weighted = total + worth, weighted + worth * Decimal(weight)
                rows.append(
                    {
                        "stage": stage,
                        "status": status,
                        "count": n,
                        "worth": cents(worth),
                        "weight": weight,
                        "weighted": cents(worth * Decimal(weight)),
                    }
                )
        counts, monthly, yearly = self.recurring(self.period.end)
        arr = monthly * 12 + yearly
        summary = {
            "pipeline_worth": cents(total),
            "weighted_pipeline": cents(weighted),
            "mrr": cents(mrr(monthly, yearly)),
            "arr": cents(arr),
            "expected_12m": cents(weighted + arr),
            "active_subscriptions": counts["active"],
        }
        return rows, summary

    def converted_leads(self) -> tuple[list[Row], Row]:
        def basis(x: Row) -> datetime:
            return when(x["converted_on"] or x["created_at"])

        leads = [
            x
            for x in self.live("lead")
            if x["lead_status"] == "converted" and self.period.has(basis(x).date())
        ]
        leads.sort(key=lambda x: x["id"])
        leads.sort(key=basis, reverse=True)
        rows = []
        for x in leads:
            client = self.live_one("client", x["converted_client_id"])
            total, n = self._days_to_convert([x])
            rows.append(
                {
                    "lead_id": x["id"],
                    "lead": x["name"],
                    "lead_source": x["lead_source"],
                    "lead_created_at": x["created_at"],
                    "converted_on": x["converted_on"],
                    "days_to_convert": tenth(total, n),
                    "client_id": x["converted_client_id"],
                    "client": client and client["name"],
                    "client_status": client and client["status"],
                    "traceable": client is not None and client["source_lead_id"] == x["id"],
                }
            )
        summary = {
            "converted": len(rows),
            "traceable": sum(1 for r in rows if r["traceable"]),
            "avg_days_to_convert": tenth(*self._days_to_convert(leads)),
            "truncated": False,
        }
        return rows, summary

    # --- revenue -------------------------------------------------------------------------------

    def revenue_by_client(self) -> tuple[list[Row], Row]:
        per: dict[str, dict[str, Any]] = {}
        clients = {c["id"]: c for c in self.live("client")}

        def acc(cid: str) -> dict[str, Any]:
            return per.setdefault(
                cid,
                {"projects": 0, "revenue": Decimal(0), "monthly": Decimal(0), "yearly": Decimal(0)},
            )

        for p in self.live("project"):
            day = day_of(p["project_end"]) or day_of(p["project_start"]) or day_of(p["created_at"])
            if (
                p["client_id"] in clients
                and p["project_status"] in ("active", "completed")
                and self.period.has(day)
            ):
                acc(p["client_id"])["projects"] += 1
                acc(p["client_id"])["revenue"] += acv(p)
        for s in self.live("subscription"):
            start = day_of(s["start_date"]) or day_of(s["created_at"])
            if s["client_id"] in clients and s["status"] == "active" and start <= self.period.end:
                acc(s["client_id"])[s["billing_cycle"]] += dec(s["price"])
        rows = []
        for cid, a in per.items():
            arr = a["monthly"] * 12 + a["yearly"]
            rows.append(
                {
                    "client_id": cid,
                    "client": clients[cid]["name"],
                    "status": clients[cid]["status"],
                    "projects": a["projects"],
                    "project_revenue": cents(a["revenue"]),
                    "mrr": cents(mrr(a["monthly"], a["yearly"])),
                    "arr": cents(arr),
                    "total": cents(a["revenue"] + arr),
                    "_total": a["revenue"] + arr,
                }
            )
        rows.sort(key=lambda r: (-r["_total"], r["client"], r["client_id"]))
        for r in rows:
            del r["_total"]
        monthly = sum((a["monthly"] for a in per.values()), Decimal(0))
        yearly = sum((a["yearly"] for a in per.values()), Decimal(0))
        revenue = sum((a["revenue"] for a in per.values()), Decimal(0))
        summary = {
            "clients": len(rows),
            "project_revenue": cents(revenue),
            "mrr": cents(mrr(monthly, yearly)),
            "arr": cents(monthly * 12 + yearly),
            "total": cents(revenue + monthly * 12 + yearly),
            "truncated": False,
        }
        return rows, summary

    def subscriptions_income(self) -> tuple[list[Row], Row]:
        start, end = self.period.start, self.period.end
        assert start is not None
        counts, monthly, yearly = self.recurring(end)
        months = []
        cursor = start.replace(day=1)
        while cursor <= end:
            months.append(cursor)
            cursor = (cursor + timedelta(days=32)).replace(day=1)
        rows, new_count, new_mrr = [], 0, Decimal(0)
        for first in months:
            last = min((first + timedelta(days=32)).replace(day=1) - timedelta(days=1), end)

            def started(d: date, first: date = first, last: date = last) -> bool:
                return max(first, start) <= d <= last

            c, m, y = self.recurring(last, started)
            _, m_all, y_all = self.recurring(last)
            n = sum(c.values())
            new_count, new_mrr = new_count + n, new_mrr + mrr(m, y)
            rows.append(
                {
                    "month": f"{first:%Y-%m}",
                    "new_subscriptions": n,
                    "new_mrr": cents(mrr(m, y)),
                    "mrr": cents(mrr(m_all, y_all)),
                    "arr": cents(m_all * 12 + y_all),
                }
            )
        summary = {
            "mrr": cents(mrr(monthly, yearly)),
            "arr": cents(monthly * 12 + yearly),
            "active": counts["active"],
            "paused": counts["paused"],
            "cancelled": counts["cancelled"],
            "new_subscriptions": new_count,
            "new_mrr": cents(new_mrr),
        }
        return rows, summary

    def upcoming_renewals(self) -> tuple[list[Row], Row]:
        subs = [
            s
            for s in self.live("subscription")
            if s["status"] == "active"
            and self.live_one("client", s["client_id"])
            and self.period.has(day_of(s["renewal_date"]))
        ]
        subs.sort(key=lambda s: (s["renewal_date"], s["id"]))
        today = self.now.date()
        rows = []
        monthly = yearly = Decimal(0)
        for s in subs:
            price = dec(s["price"])
            if s["billing_cycle"] == "monthly":
                monthly += price
            else:
                yearly += price
            rows.append(
                {
                    "subscription_id": s["id"],
                    "client_id": s["client_id"],
                    "client": self.s.records["client"][s["client_id"]]["name"],
                    "plan_name": s["plan_name"],
                    "billing_cycle": s["billing_cycle"],
                    "price": cents(price),
                    "mrr": cents(price / 12 if s["billing_cycle"] == "yearly" else price),
                    "renewal_date": s["renewal_date"],
                    "days_until": (day_of(s["renewal_date"]) - today).days,
                }
            )
        summary = {
            "renewals": len(rows),
            "renewal_value": cents(monthly + yearly),
            "mrr": cents(mrr(monthly, yearly)),
            "truncated": False,
        }
        return rows, summary

    # --- work ----------------------------------------------------------------------------------

    def _pending(self) -> list[Row]:
        return [
            i
            for i in self.live("interaction")
            if i["followup_status"] == "pending"
            and i["follow_up"] is not None
            and self.parent_live(i)
            and self.period.has(day_of(i["follow_up"]))
        ]

    def follow_ups(self) -> tuple[list[Row], Row]:
        now, week, month = self.now, timedelta(days=7), timedelta(days=30)
        due = [when(i["follow_up"]) for i in self._pending()]
        buckets = {
            "overdue_over_30d": ("Overdue more than 30 days", lambda d: d < now - month),
            "overdue_8_30d": ("Overdue 8 to 30 days", lambda d: now - month <= d < now - week),
            "overdue_0_7d": ("Overdue up to 7 days", lambda d: now - week <= d < now),
            "due_next_7d": ("Due in the next 7 days", lambda d: now <= d < now + week),
            "due_later": ("Due later", lambda d: d >= now + week),
        }
        rows = [
            {"bucket": k, "label": label, "count": sum(1 for d in due if test(d))}
            for k, (label, test) in buckets.items()
        ]
        overdue = [d for d in due if d < now]
        summary = {
            "pending": len(due),
            "overdue": len(overdue),
            "overdue_rate": rate(len(overdue), len(due)),
            "oldest_overdue": z(min(overdue)) if overdue else None,
        }
        return rows, summary

    def upcoming_tasks(self) -> tuple[list[Row], Row]:
        tasks = sorted(self._pending(), key=lambda i: (when(i["follow_up"]), i["id"]))
        names = {str(u.id): u.name or u.email for u in self.s.users}
        rows = []
        for i in tasks:
            entity = "client" if i["client_id"] else "lead"
            parent = self.s.records[entity][i[f"{entity}_id"]]
            rows.append(
                {
                    "interaction_id": i["id"],
                    "follow_up": i["follow_up"],
                    "type": i["type"],
                    "summary": i["summary"],
                    "parent": entity,
                    "parent_id": parent["id"],
                    "parent_name": parent["name"],
                    "contact_person": i["contact_person"],
                    "owner_id": i["created_by"],
                    "owner": names[i["created_by"]],
                }
            )
        return rows, {"tasks": len(rows), "truncated": False}

    def client_retention(self) -> tuple[list[Row], Row]:
        assert self.period.start is not None
        since = datetime.combine(self.period.start, datetime.min.time(), UTC)
        clients = self.live("client")
        at_start = [
            c
            for c in clients
            if when(c["created_at"]) < since
            and c["status"] != "prospect"
            and not (c["status"] in ("inactive", "cancelled") and when(c["updated_at"]) < since)
        ]
        counts = Counter(c["status"] for c in at_start)
        labels = {
            "active": "Still active",
            "inactive": "Now inactive",
            "cancelled": "Now cancelled",
        }
        rows = [
            {
                "outcome": s,
                "label": label,
                "clients": counts[s],
                "share": rate(counts[s], len(at_start)),
            }
            for s, label in labels.items()
        ]
        new = [c for c in clients if when(c["created_at"]) >= since and self.created_in(c)]
        n, kept = len(at_start), counts["active"]
        summary = {
            "clients_at_start": n,
            "retained": kept,
            "churned": n - kept,
            "retention_rate": rate(kept, n),
            "churn_rate": rate(n - kept, n),
            "new_clients": len(new),
            "new_active_clients": sum(1 for c in new if c["status"] == "active"),
        }
        return rows, summary

    def project_performance(self) -> tuple[list[Row], Row]:
        projects = [
            p
            for p in self.live("project")
            if self.period.has(day_of(p["project_start"]) or day_of(p["created_at"]))
        ]
        rows, durations_all = [], []
        for status in PROJECT_STATUSES:
            mine = [p for p in projects if p["project_status"] == status]
            worth = sum((acv(p) for p in mine), Decimal(0))
            durations = [
                Decimal((day_of(p["project_end"]) - day_of(p["project_start"])).days)
                for p in mine
                if status == "completed" and p["project_start"] and p["project_end"]
            ]
            durations_all += durations
            rows.append(
                {
                    "status": status,
                    "projects": len(mine),
                    "total_worth": cents(worth),
                    "average_worth": cents(worth / len(mine)) if mine else None,
                    "average_duration_days": tenth(sum(durations, Decimal(0)), len(durations)),
                }
            )
        count = Counter(p["project_status"] for p in projects)
        summary = {
            "projects": len(projects),
            "total_worth": cents(sum((acv(p) for p in projects), Decimal(0))),
            "completion_rate": rate(count["completed"], count["completed"] + count["cancelled"]),
            "average_duration_days": tenth(sum(durations_all, Decimal(0)), len(durations_all)),
        }
        return rows, summary

    # --- operations ------------------------------------------------------------------------------

    def _timed(self, moment: datetime | None) -> bool:
        return moment is not None and self.period.has(moment.astimezone(UTC).date())

    def user_activity(self) -> tuple[list[Row], Row]:
        rows = []
        for u in self.s.users:
            if self.user_id and str(u.id) != self.user_id:
                continue
            logs = [a for a in self.s.activity if a.user_id == u.id and self._timed(a.created_at)]
            counts = Counter(a.action for a in logs)
            known = {a: counts[a] for a in ACTIONS}
            last = max((a.created_at for a in logs), default=None)
            rows.append(
                {
                    "user_id": str(u.id),
                    "user": u.name or u.email,
                    "email": u.email,
                    "active": u.is_active,
                    **known,
                    "other": len(logs) - sum(known.values()),
                    "total": len(logs),
                    "last_activity_at": z(last),
                }
            )
        rows.sort(key=lambda r: (-r["total"], r["email"]))
        return rows, {
            "users": len(rows),
            "active_users": sum(1 for r in rows if r["total"]),
            "actions": sum(r["total"] for r in rows),
        }

    def sync_health(self) -> tuple[list[Row], Row]:
        mine = lambda uid: self.user_id is None or str(uid) == self.user_id  # noqa: E731
        devices = [d for d in self.s.devices if mine(d.user_id) and self._timed(d.last_seen_at)]
        devices.sort(key=lambda d: str(d.id))
        devices.sort(key=lambda d: d.last_seen_at, reverse=True)
        emails = {u.id: u.email for u in self.s.users}
        horizon = self.s.clock.horizon_seq
        rows = []
        for d in devices:
            waiting = [
                a for a in self.s.audience if a.user_id == d.user_id and a.seq > d.last_pull_seq
            ]
            pending = min(len(waiting), 1000)
            own = [c for c in self.s.conflicts if c.client_id == d.id]
            rows.append(
                {
                    "client_id": str(d.id),
                    "user_id": str(d.user_id),
                    "user": emails[d.user_id],
                    "user_agent": d.user_agent,
                    "registered_at": z(d.created_at),
                    "last_seen_at": z(d.last_seen_at),
                    "last_mutation_id": d.last_mutation_id,
                    "last_pull_seq": d.last_pull_seq,
                    "pending_changes": pending,
                    "needs_reset": d.last_pull_seq < horizon,
                    "open_conflicts": sum(1 for c in own if c.status == "open"),
                    "auto_resolved": sum(
                        1 for c in own if c.status == "auto_resolved" and self._timed(c.created_at)
                    ),
                }
            )
        conflicts = [c for c in self.s.conflicts if mine(c.user_id)]
        summary = {
            "devices": len(rows),
            "devices_behind": sum(1 for r in rows if r["pending_changes"]),
            "devices_needing_reset": sum(1 for r in rows if r["needs_reset"]),
            "open_conflicts": sum(1 for c in conflicts if c.status == "open"),
            "auto_resolved": sum(
                1 for c in conflicts if c.status == "auto_resolved" and self._timed(c.created_at)
            ),
            "resolved": sum(
                1 for c in conflicts if c.status == "resolved" and self._timed(c.resolved_at)
            ),
            "tenant_seq": self.s.clock.seq,
            "horizon_seq": horizon,
            "truncated": False,
        }
        return rows, summary

    def run(self, name: str) -> tuple[list[Row], Row]:
        special = {"subscriptions/income": "subscriptions_income"}
        special["subscriptions/upcoming-renewals"] = "upcoming_renewals"
        method: Callable[[], tuple[list[Row], Row]] = getattr(
            self, special.get(name, name.replace("-", "_"))
        )
        return method()


# The default window of each report (contracts/reports.md, "Parameters"), from ``today``.
def default_period(name: str, today: date) -> Period:
    if name in ("pipeline", "revenue-forecast"):
        return Period(None, today)
    if name == "follow-ups":
        return Period(None, today + timedelta(days=30))
    if name == "upcoming-tasks":
        return Period(today, today + timedelta(days=13))
    if name == "subscriptions/upcoming-renewals":
        return Period(today, today + timedelta(days=29))
    return Period(today - timedelta(days=89), today)
