"""Who may run which report and on whose records, the 422s of the query string, and the CSV and
XLSX downloads (they parse back to the JSON rows, with formula-looking text neutralised)."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from sync_server.schemas.reports import NUMERIC_TYPES, REPORT_NAMES
from sync_server.settings import Settings
from tests.support.report_world import (
    FORMULA_NAME,
    FORMULA_SOURCE,
    MINUS_SOURCE,
    ReportWorld,
    report_world,
)

R = "/api/v1/reports"
ADMIN_ONLY = ("user-activity", "sync-health")
USER_REPORTS = [n for n in REPORT_NAMES if n not in ADMIN_ONLY]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
async def world(settings: Settings) -> AsyncIterator[ReportWorld]:
    async with report_world(settings) as built:
        yield built


async def call(w: ReportWorld, who: str, path: str) -> tuple[int, Any]:
    r = await w.actor(who).get(path)
    return r.status, await r.json()


def fields(body: dict[str, Any]) -> dict[str, list[str]]:
    assert body["code"] == "validation_error", body
    named: dict[str, list[str]] = body["details"]["fields"]
    return named


# --- scope ---------------------------------------------------------------------------------------


async def test_admin_only_reports_refuse_users(world: ReportWorld) -> None:
    for name in ADMIN_ONLY:
        for query in ("", "?format=csv", f"?user_id={world.user_id('u1')}"):
            status, body = await call(world, "u1", f"{R}/{name}{query}")
            assert (status, body["code"]) == (403, "forbidden"), (name, query)


async def test_reports_need_a_token(world: ReportWorld) -> None:
    client = world.t.admin.client
    for name in REPORT_NAMES:
        r = await client.get(f"{R}/{name}")
        assert r.status == 401 and (await r.json())["code"] == "unauthorized"


@pytest.mark.parametrize("name", USER_REPORTS)
async def test_a_user_names_only_themselves(world: ReportWorld, name: str) -> None:
    status, body = await call(world, "u2", f"{R}/{name}?user_id={world.user_id('u1')}")
    assert (status, body["code"]) == (403, "forbidden")
    status, mine = await call(world, "u2", f"{R}/{name}?user_id={world.user_id('u2')}")
    _, plain = await call(world, "u2", f"{R}/{name}")
    assert status == 200 and (mine["rows"], mine["summary"]) == (plain["rows"], plain["summary"])


async def test_a_users_report_leaves_out_what_they_cannot_see(world: ReportWorld) -> None:
    ids = world.ids
    _, sources = await call(world, "u2", f"{R}/lead-source")
    assert FORMULA_SOURCE not in {r["lead_source"] for r in sources["rows"]}
    assert MINUS_SOURCE in {r["lead_source"] for r in sources["rows"]}
    _, admin_sources = await call(world, "admin", f"{R}/lead-source")
    assert {FORMULA_SOURCE, MINUS_SOURCE} <= {r["lead_source"] for r in admin_sources["rows"]}
    _, converted = await call(world, "u2", f"{R}/converted-leads")
    assert [r["lead_id"] for r in converted["rows"]] == [ids["u2L_conv"]]
    _, by_client = await call(world, "u2", f"{R}/revenue-by-client")
    shown = {r["client_id"] for r in by_client["rows"]}
    assert ids["u1C1"] not in shown and {ids["u2C1"], ids["A_client_u2"]} <= shown
    # The project u1 assigned to u2 counts for u2 (it is visible), though its client is not.
    _, u2_pipeline = await call(world, "u2", f"{R}/pipeline")
    _, u1_pipeline = await call(world, "u1", f"{R}/pipeline")
    assert u2_pipeline["summary"]["projects"] == u1_pipeline["summary"]["projects"] == 10
    _, tasks = await call(world, "u1", f"{R}/upcoming-tasks")
    assert {r["owner_id"] for r in tasks["rows"]} == {world.user_id("u1")}
    _, admin_tasks = await call(world, "admin", f"{R}/upcoming-tasks")
    assert len(admin_tasks["rows"]) == len(tasks["rows"]) * 2


# --- the query string ----------------------------------------------------------------------------

BAD_DATES = ["2024-13-01", "2024-1-1", "20240101", "2024-01-01T00:00:00", "1899-12-31", "tomorrow"]


@pytest.mark.parametrize("name", ["pipeline", "subscriptions/income", "sync-health"])
async def test_bad_queries_answer_422(world: ReportWorld, name: str) -> None:
    async def refused(query: str, field: str) -> str:
        status, body = await call(world, "admin", f"{R}/{name}?{query}")
        assert status == 422, (query, body)
        return " ".join(fields(body)[field])

    assert "allowed: start_date, end_date, user_id, format" in await refused("limit=5", "limit")
    assert "more than once" in await refused("end_date=2024-01-02&end_date=2024-01-03", "end_date")
    for bad in BAD_DATES:
        await refused(f"start_date={bad}", "start_date")
        await refused(f"end_date={bad}", "end_date")
    assert "before start_date" in await refused(
        "start_date=2024-02-01&end_date=2024-01-31", "end_date"
    )
    assert "at most 3660 days" in await refused(
        "start_date=2000-01-01&end_date=2024-01-01", "start_date"
    )
    await refused("format=pdf", "format")
    await refused("user_id=not-a-uuid", "user_id")
    assert "no such user" in await refused(f"user_id={uuid.uuid4()}", "user_id")


async def test_a_one_day_window_and_the_longest_window_are_fine(world: ReportWorld) -> None:
    status, _ = await call(
        world, "admin", f"{R}/pipeline?start_date=2024-02-29&end_date=2024-02-29"
    )
    assert status == 200
    status, body = await call(
        world, "admin", f"{R}/subscriptions/income?start_date=2015-01-01&end_date=2025-01-07"
    )
    assert status == 200 and len(body["rows"]) == 121


# --- downloads -----------------------------------------------------------------------------------


def as_text(value: Any, kind: str) -> str:
    """What a CSV cell holds for a JSON cell of a column of type ``kind``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if kind not in NUMERIC_TYPES and text.startswith(TRIGGERS):
        return "'" + text
    return text


async def download(w: ReportWorld, who: str, name: str, fmt: str) -> tuple[Any, bytes]:
    r = await w.actor(who).get(f"{R}/{name}?format={fmt}")
    assert r.status == 200, await r.text()
    assert r.headers["Cache-Control"] == "no-store"
    disposition = r.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="' + name.replace("/", "-") + "_")
    assert disposition.endswith(f'.{fmt}"')
    return r, await r.read()


@pytest.mark.parametrize("name", REPORT_NAMES)
async def test_csv_parses_back_to_the_rows(world: ReportWorld, name: str) -> None:
    _, report = await call(world, "admin", f"{R}/{name}")
    r, raw = await download(world, "admin", name, "csv")
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    columns = report["columns"]
    assert lines[0] == [c["label"] for c in columns]
    expected = [[as_text(row[c["key"]], c["type"]) for c in columns] for row in report["rows"]]
    assert lines[1:] == expected


async def test_csv_neutralises_formulas(world: ReportWorld) -> None:
    _, raw = await download(world, "admin", "converted-leads", "csv")
    text = raw.decode("utf-8-sig")
    assert "\"'" + FORMULA_NAME.replace('"', '""') + '"' in text
    assert '"\'@SUM(A1)"' in text and '"\'-2+3"' in text
    assert '"' + FORMULA_NAME.replace('"', '""') + '"' not in text


def xlsx_value(value: Any, kind: str) -> Any:
    """What an XLSX cell holds for a JSON cell: numbers as numbers, text neutralised."""
    if value is None or isinstance(value, bool | int):
        return value
    if kind in NUMERIC_TYPES:
        return Decimal(value)
    return as_text(value, kind)


@pytest.mark.parametrize("name", REPORT_NAMES)
async def test_xlsx_parses_back_to_the_rows(world: ReportWorld, name: str) -> None:
    _, report = await call(world, "admin", f"{R}/{name}")
    r, raw = await download(world, "admin", name, "xlsx")
    assert r.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(raw))  # not read_only: that mode drops trailing empty cells
    assert book.sheetnames == [name.replace("/", "-"), "Summary"]
    got = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    columns = report["columns"]
    assert got[0] == [c["label"] for c in columns]
    for cells, row in zip(got[1:], report["rows"], strict=True):
        for cell, c in zip(cells, columns, strict=True):
            want = xlsx_value(row[c["key"]], c["type"])
            if isinstance(want, Decimal):
                assert Decimal(str(cell)) == want, (c["key"], cell, want)
            else:
                assert cell == want, (c["key"], cell, want)
    pairs = book.worksheets[1].iter_rows(values_only=True)
    summary = {
        row[0]: row[1] if len(row) > 1 else None for row in pairs
    }  # an empty cell ends a row
    assert summary["report"] == name and summary["end_date"] == report["params"]["end_date"]
    for key, value in report["summary"].items():
        assert summary[key] == (as_text(value, "string") if isinstance(value, str) else value)
