"""Every report, for the admin and for two users, equals what the oracle derives in plain Python
from the fixture tenant's rows (tests/support/report_oracle.py), on the default window and on
explicit windows. The tenant is built once for the module through the REST and sync APIs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sync_server.schemas.reports import REPORT_NAMES
from sync_server.services.reports import REPORTS
from sync_server.settings import Settings
from tests.support.report_oracle import Oracle, Period, Snapshot, default_period
from tests.support.report_world import ReportWorld, report_world

R = "/api/v1/reports"
ADMIN_ONLY = {"user-activity", "sync-health"}


@dataclass
class Built:
    world: ReportWorld
    snapshot: Snapshot


@pytest.fixture(scope="module")
async def built(settings: Settings) -> AsyncIterator[Built]:
    async with report_world(settings) as world:
        yield Built(world, await Snapshot.read(world))


async def fetch(world: ReportWorld, who: str, name: str, query: str = "") -> Any:
    r = await world.actor(who).get(f"{R}/{name}" + (f"?{query}" if query else ""))
    body = await r.json()
    assert r.status == 200, body
    return body


def expect(b: Built, name: str, viewer: str | None, period: Period, user: str | None = None) -> Any:
    oracle = Oracle(b.snapshot, viewer, user, period, datetime.now(UTC))
    return oracle.run(name)


def test_the_fourteen_reports_of_api_md() -> None:
    assert tuple(REPORTS) == REPORT_NAMES and len(REPORT_NAMES) == 14
    assert {n for n, d in REPORTS.items() if d.admin_only} == ADMIN_ONLY


@pytest.mark.parametrize("who", ["admin", "u1", "u2"])
@pytest.mark.parametrize("name", REPORT_NAMES)
async def test_report_equals_the_oracle(built: Built, name: str, who: str) -> None:
    w = built.world
    if name in ADMIN_ONLY and who != "admin":
        r = await w.actor(who).get(f"{R}/{name}")
        assert r.status == 403 and (await r.json())["code"] == "forbidden"
        return
    body = await fetch(w, who, name)
    period = default_period(name, w.today)
    viewer = None if who == "admin" else w.user_id(who)
    rows, summary = expect(built, name, viewer, period)
    assert body["report"] == name
    assert body["params"]["start_date"] == (period.start and period.start.isoformat())
    assert body["params"]["end_date"] == period.end.isoformat()
    assert body["rows"] == rows
    assert body["summary"] == summary
    keys = [c["key"] for c in body["columns"]]
    assert all(list(row) == keys for row in body["rows"]), "rows carry the columns, in order"
    chart = body["chart"]
    assert chart["x"] in (None, *keys) and set(chart["y"]) <= set(keys)


async def test_the_fixture_makes_every_report_say_something(built: Built) -> None:
    """Guards the oracle comparison against trivially empty reports."""
    w = built.world
    for name in REPORT_NAMES:
        body = await fetch(w, "admin", name)
        numbers = [v for v in body["summary"].values() if v not in (None, 0, "0.00", False)]
        assert numbers, f"{name}: {body['summary']}"
    pipeline = (await fetch(w, "admin", "pipeline"))["summary"]
    assert (pipeline["leads"], pipeline["projects"]) == (15, 20)
    forecast = (await fetch(w, "u1", "revenue-forecast"))["rows"]
    assert {(r["stage"], r["status"]) for r in forecast if r["count"]} >= {
        ("lead", "qualified"),
        ("lead", "converted"),
        ("project", "pending"),
        ("project", "active"),
    }
    retention = (await fetch(w, "u1", "client-retention"))["summary"]
    assert (retention["clients_at_start"], retention["retained"]) == (2, 1)
    health = (await fetch(w, "admin", "sync-health"))["summary"]
    assert health["devices"] == 2 and health["devices_behind"] >= 1
    assert health["open_conflicts"] >= 1 and health["auto_resolved"] >= 1


async def test_hand_checked_numbers(built: Built) -> None:
    """A few numbers worked out by hand from report_world.py, independent of the oracle too."""
    w = built.world
    income = (await fetch(w, "u1", "subscriptions/income"))["summary"]
    # u1: monthly 49.99 (S_base) + yearly (1200 + 100.06) / 12; S_paused, S_cxl, S_future and
    # the two subscriptions in Trash (or under a client in Trash) do not count.
    assert income["mrr"] == "158.33" and income["arr"] == "1899.94"
    assert (income["active"], income["paused"], income["cancelled"]) == (3, 1, 1)
    u2_income = (await fetch(w, "u2", "subscriptions/income"))["summary"]
    # u2: 98.99 + 10 (the admin's client assigned to u2) + (2400 + 200.06) / 12.
    assert u2_income["mrr"] == "325.66" and u2_income["arr"] == "3907.94"
    conversion = (await fetch(w, "u1", "converted-leads"))["rows"]
    assert [r["days_to_convert"] for r in conversion] == ["10.0"]
    assert conversion[0]["traceable"] is True and conversion[0]["client_status"] == "active"
    performance = {r["status"]: r for r in (await fetch(w, "u1", "project-performance"))["rows"]}
    # completed in the window: P_done (40 days) and P_solo (6 days); P_old started long ago.
    assert performance["completed"]["average_duration_days"] == "23.0"
    assert performance["completed"]["projects"] == 2


WINDOWS = [
    ("lead-source", -250, -150),
    ("conversion-rate", -30, 0),
    ("pipeline", -400, -1),
    ("pipeline", -5, 0),
    ("revenue-by-client", -250, -150),
    ("follow-ups", -35, -1),
    ("client-retention", -150, -100),
    ("client-retention", 1, 3),
    ("project-performance", -300, -100),
    ("upcoming-tasks", 15, 25),
    ("revenue-forecast", -1, 0),
    ("subscriptions/income", -400, -40),
    ("subscriptions/upcoming-renewals", 40, 50),
    ("converted-leads", -5, 0),
    ("converted-leads", -40, -20),
    ("user-activity", 1, 2),
    ("sync-health", -3, 0),
]


@pytest.mark.parametrize("who", ["admin", "u2"])
@pytest.mark.parametrize(("name", "start", "end"), WINDOWS)
async def test_explicit_windows(built: Built, name: str, start: int, end: int, who: str) -> None:
    w = built.world
    if name in ADMIN_ONLY and who != "admin":
        return
    first, last = w.today + timedelta(days=start), w.today + timedelta(days=end)
    body = await fetch(w, who, name, f"start_date={first}&end_date={last}")
    viewer = None if who == "admin" else w.user_id(who)
    rows, summary = expect(built, name, viewer, Period(first, last))
    assert (body["rows"], body["summary"]) == (rows, summary)
    assert body["params"]["start_date"] == first.isoformat()


async def test_one_sided_windows_fill_the_other_side(built: Built) -> None:
    w, today = built.world, built.world.today
    body = await fetch(w, "admin", "lead-source", f"end_date={today - timedelta(days=150)}")
    assert body["params"]["start_date"] == str(today - timedelta(days=239))
    body = await fetch(w, "u1", "upcoming-tasks", f"start_date={today + timedelta(days=2)}")
    assert body["params"]["end_date"] == str(today + timedelta(days=15))
    rows, _ = expect(
        built,
        "upcoming-tasks",
        w.user_id("u1"),
        Period(today + timedelta(2), today + timedelta(15)),
    )
    assert body["rows"] == rows
    body = await fetch(w, "admin", "pipeline", f"end_date={today - timedelta(days=1)}")
    assert body["params"]["start_date"] is None
    only_old = {
        r["status"]: r["count"] for r in body["rows"] if r["entity"] == "lead" and r["count"]
    }
    assert only_old == {"qualified": 2, "converted": 2}  # L_old and the backdated L_conv, per user


async def test_admin_user_id_is_the_report_as_that_user_sees_it(built: Built) -> None:
    w = built.world
    for name in sorted(set(REPORT_NAMES) - ADMIN_ONLY):
        as_u1 = await fetch(w, "admin", name, f"user_id={w.user_id('u1')}")
        own = await fetch(w, "u1", name)
        assert (as_u1["rows"], as_u1["summary"]) == (own["rows"], own["summary"]), name
        assert as_u1["params"]["user_id"] == w.user_id("u1")
    for name in ADMIN_ONLY:
        body = await fetch(w, "admin", name, f"user_id={w.user_id('u2')}")
        rows, summary = expect(built, name, None, default_period(name, w.today), w.user_id("u2"))
        assert (body["rows"], body["summary"]) == (rows, summary)
        assert {r["user_id"] for r in body["rows"]} == {w.user_id("u2")}
