"""Admin workspace and reports on a large data set: every report's p50/p95 for an admin and for a
non-admin, a bulk assign of 100 (and 500) leads, and streamed exports with the server's peak RSS.

    .venv/bin/python -m bench.admin_bench [--quick] [--iterations 20] [--bulk-iterations 15]
        [--only reports bulk export] [--explain]

Against a real ``python -m sync_server serve`` (PostgreSQL as the non-owner app role, RLS on,
Redis, INFO logs to a file) on the database of ``bench/seed.py`` (seeded first if absent; 10
tenants of 100,000 leads each), measured in tenant 0:

- **reports**: ``GET /api/v1/reports/{name}`` for each of the fourteen reports, default window,
  ``--iterations`` times back to back (one warm-up not counted) by the tenant's admin (whole
  tenant) and by one of its users (what that user sees; the two admin-only reports are refused
  to them and skipped); p50/p95 and the CPU the server and PostgreSQL spent per request;
- **bulk**: ``POST /api/v1/admin/leads/bulk`` assigning 100 (then 500) leads, all held by the
  user who has the most leads, to the user who has the fewest (so every id really changes hands,
  run after run), a fresh batch each call, every per-id result checked to be ``ok``;
- **export**: ``GET /api/v1/admin/leads/export`` as CSV of about 10,000, 50,000 and all leads
  (``created_from`` picks the size; the overview's ``total`` gives the expected rows and each
  file is checked to have them), then XLSX of 10,000 and 50,000, each after a small warm-up:
  time to the first byte, total time, rows/s, and the server process's RSS sampled from
  ``/proc/<pid>/status`` every 10 ms (before, peak, and peak over before). Streaming keeps the
  peak flat in the number of rows; a server that built the file in memory would grow with it.

The seed has no subscriptions, accounts, conversions, activity log or devices, which several
reports read: ``ensure_report_data`` adds them once per tenant (skipped when the tenant already
has subscriptions), in SQL as the owner role with ``app.tenant_id`` set (RLS checks each row),
bypassing the write path like the seed does. Per tenant: every tenth lead converted into a
client that points back at it; a quarter of the projects on a lead and a third billed monthly;
5,000 subscriptions and 3,000 accounts; an activity-log row per record created (and per
conversion, and an update for every third lead); 2 devices per user, with change-log and
audience rows for the last 21 days of changes so that some devices have changes waiting; 400
conflicts (a tenth open). ``--explain`` prints EXPLAIN ANALYZE of every statement each report
runs for the admin (captured from the product's own repositories).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import io
import os
import sys
import time
import uuid
import zipfile
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common
from bench.common import Result, auth, log
from bench.seed import ensure_seeded

EXPORT_SIZES = (10_000, 50_000, None)  # None: every lead
XLSX_SIZES = (10_000, 50_000)
WARMUP_EXPORT = 1_000
RSS_EVERY = 0.01  # seconds between two RSS samples
BULK_SIZES = (100, 500)
SUBSCRIPTIONS, ACCOUNTS, CONFLICTS, RECENT_DAYS = 5_000, 3_000, 400, 21

# Report data (added once per tenant) -------------------------------------------------------------

_ID = "md5($1::uuid::text || ':{kind}:' || ({n}))::uuid"

CONVERT = f"""
WITH g AS (
    SELECT i, {_ID.format(kind="lead", n="i")} AS lead_id,
           {_ID.format(kind="client", n="1 + (i / 10) % $3")} AS client_id
    FROM generate_series(7, $2, 10) AS i
), converted AS (
    UPDATE leads l SET lead_status = 'converted', converted_client_id = g.client_id,
        converted_on = least(l.created_at + make_interval(days => 1 + g.i % 40), now())
    FROM g WHERE l.tenant_id = $1 AND l.id = g.lead_id AND l.deleted_at IS NULL
    RETURNING l.id, l.converted_on, l.converted_client_id
)
UPDATE clients c SET source_lead_id = d.id, converted_on = d.converted_on
FROM converted d WHERE c.tenant_id = $1 AND c.id = d.converted_client_id
"""

PROJECTS = f"""
UPDATE projects p SET
    lead_id = CASE WHEN g.i % 4 = 0 THEN {_ID.format(kind="lead", n="1 + (g.i * 3) % $3")} END,
    value_type = (ARRAY['one_time', 'monthly', 'yearly'])[1 + (g.i / 4) % 3]
FROM generate_series(1, $2) AS g(i)
WHERE p.tenant_id = $1 AND p.id = {_ID.format(kind="project", n="g.i")}
"""

# $4 version offset, $5 the admin
SUBSCRIPTIONS_SQL = f"""
INSERT INTO subscriptions (tenant_id, id, client_id, plan_name, price, billing_cycle, start_date,
    renewal_date, status, created_at, updated_at, created_by, version, field_dots)
SELECT $1::uuid, {_ID.format(kind="subscription", n="i")},
    {_ID.format(kind="client", n="1 + (i * 4) % $3")},
    (ARRAY['Starter', 'Standard', 'Premium', 'Enterprise'])[1 + i % 4],
    (ARRAY[19.00, 49.00, 99.00, 249.00])[1 + i % 4] * CASE WHEN i % 5 = 0 THEN 10 ELSE 1 END,
    CASE WHEN i % 5 = 0 THEN 'yearly' ELSE 'monthly' END,
    current_date - i % 730, current_date - 30 + i % 400,
    CASE i % 10 WHEN 8 THEN 'paused' WHEN 9 THEN 'cancelled' ELSE 'active' END,
    now() - make_interval(days => i % 730), now() - make_interval(days => i % 730), $5, $4 + i,
    '{{}}'::jsonb
FROM generate_series(1, $2) AS i
"""

ACCOUNTS_SQL = f"""
INSERT INTO accounts (tenant_id, id, client_id, account_number, account_name, status, opened_on,
    created_at, updated_at, created_by, version, field_dots)
SELECT $1::uuid, {_ID.format(kind="account", n="i")},
    {_ID.format(kind="client", n="1 + (i * 6) % $3")},
    'ACC-' || lpad(i::text, 6, '0'), 'Account ' || i,
    (ARRAY['active', 'active', 'inactive', 'closed'])[1 + i % 4], current_date - i % 1000,
    now() - make_interval(days => i % 1000), now() - make_interval(days => i % 1000), $5, $4 + i,
    '{{}}'::jsonb
FROM generate_series(1, $2) AS i
"""

_ACTIVITY = """
INSERT INTO activity_log (tenant_id, id, user_id, entity, record_id, action, fields, seq,
    created_at)
"""
ACTIVITY_SQL = [
    f"""{_ACTIVITY} SELECT tenant_id, gen_random_uuid(), created_by, '{entity}', id, 'create',
        '{{"changed": []}}'::jsonb, version, created_at FROM {table} WHERE tenant_id = $1"""
    for entity, table in (
        ("lead", "leads"),
        ("client", "clients"),
        ("project", "projects"),
        ("interaction", "interactions"),
        ("subscription", "subscriptions"),
        ("account", "accounts"),
    )
] + [
    f"""{_ACTIVITY} SELECT tenant_id, gen_random_uuid(), assigned_to, 'lead', id, 'convert',
        '{{"changed": ["lead_status"]}}'::jsonb, version, converted_on
        FROM leads WHERE tenant_id = $1 AND converted_on IS NOT NULL""",
    f"""{_ACTIVITY} SELECT tenant_id, gen_random_uuid(), assigned_to, 'lead', id, 'update',
        '{{"changed": ["phone"]}}'::jsonb, version, least(created_at + interval '2 days', now())
        FROM leads WHERE tenant_id = $1 AND get_byte(decode(md5(id::text), 'hex'), 0) % 3 = 0""",
]

# $2 the tenant's users (admin first), $3 the clock's seq
DEVICES = """
INSERT INTO sync_clients (tenant_id, id, user_id, last_mutation_id, last_pull_seq, created_at,
    last_seen_at, user_agent)
SELECT $1::uuid, md5($1::uuid::text || ':device:' || u.n || ':' || d)::uuid, u.id, d * 40,
    greatest($3 - (u.n * 2 + d) * 700, 0), now() - interval '120 days',
    now() - make_interval(hours => ((u.n * 7 + d * 13) % 1500)::int),
    CASE d WHEN 1 THEN 'Mozilla/5.0 (iPhone) PathSix PWA' ELSE 'Mozilla/5.0 (X11) PathSix PWA' END
FROM unnest($2::uuid[]) WITH ORDINALITY AS u(id, n), generate_series(1, 2) AS d
"""

# $2 days: each record changed in that window gets its change_log row and audience rows.
CHANGES = """
WITH recent AS (
    SELECT 'lead' AS entity, id, version, created_by, assigned_to, created_at FROM leads
        WHERE tenant_id = $1 AND created_at > now() - make_interval(days => $2)
    UNION ALL SELECT 'client', id, version, created_by, assigned_to, created_at FROM clients
        WHERE tenant_id = $1 AND created_at > now() - make_interval(days => $2)
    UNION ALL SELECT 'project', id, version, created_by, assigned_to, created_at FROM projects
        WHERE tenant_id = $1 AND created_at > now() - make_interval(days => $2)
    UNION ALL SELECT 'interaction', id, version, created_by, NULL, created_at FROM interactions
        WHERE tenant_id = $1 AND created_at > now() - make_interval(days => $2)
), logged AS (
    INSERT INTO change_log (tenant_id, seq, entity, record_id, op, action, user_id, fields,
        created_at)
    SELECT $1::uuid, version, entity, id, 'put', 'create', created_by, '[]'::jsonb, created_at
    FROM recent
)
INSERT INTO change_audience (tenant_id, user_id, seq, entity, record_id, visible)
SELECT DISTINCT $1::uuid, v.who, r.version, r.entity, r.id, true
FROM recent r, LATERAL (VALUES (r.created_by), (r.assigned_to)) AS v(who)
WHERE v.who IS NOT NULL
"""

# $2 count, $3 leads, $4 the admin (who resolved the resolved ones)
CONFLICTS_SQL = f"""
WITH d AS (
    SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, user_id, count(*) OVER () AS n
    FROM sync_clients WHERE tenant_id = $1
)
INSERT INTO conflicts (tenant_id, id, entity, record_id, kind, status, fields, user_id,
    client_id, mid, base_seq, seq, client_time, created_at, resolved_at, resolved_by, resolution)
SELECT $1::uuid, {_ID.format(kind="conflict", n="i")}, 'lead',
    {_ID.format(kind="lead", n="1 + (i * 37) % $3")}, 'field',
    CASE i % 10 WHEN 0 THEN 'open' WHEN 1 THEN 'resolved' ELSE 'auto_resolved' END,
    '{{"phone": {{"base": "555-0000", "server": "555-0001", "client": "555-0002"}}}}'::jsonb,
    d.user_id, d.id, i, 1, i, now() - make_interval(hours => i % 2000 + 1),
    now() - make_interval(hours => i % 2000),
    CASE WHEN i % 10 = 1 THEN now() - make_interval(hours => i % 2000) - interval '1 hour' END,
    CASE WHEN i % 10 = 1 THEN $4::uuid END, '{{}}'::jsonb
FROM generate_series(1, $2) AS i JOIN d ON d.k = i % d.n
"""

ANALYZED = (
    "leads", "clients", "projects", "subscriptions", "accounts", "activity_log", "sync_clients",
    "change_log", "change_audience", "conflicts",
)  # fmt: skip


async def _report_data(conn: asyncpg.Connection, tenant: dict[str, Any], sizes: Any) -> bool:
    """Add the report data to one tenant unless it has it already (False then)."""
    tid = uuid.UUID(tenant["id"])
    admin = uuid.UUID(tenant["admin"]["id"])
    people = [admin, *(uuid.UUID(u["id"]) for u in (*tenant["users"], *tenant["device_users"]))]
    async with common.tenant_tx(conn, str(tid)):
        if await conn.fetchval("SELECT EXISTS (SELECT 1 FROM subscriptions)"):
            return False
        seq = int(await conn.fetchval("SELECT seq FROM tenant_clock FOR UPDATE"))
        leads, clients, projects = sizes["leads"], sizes["clients"], sizes["projects"]
        await conn.execute(CONVERT, tid, leads, clients)
        await conn.execute(PROJECTS, tid, projects, leads)
        await conn.execute(SUBSCRIPTIONS_SQL, tid, SUBSCRIPTIONS, clients, seq, admin)
        seq += SUBSCRIPTIONS
        await conn.execute(ACCOUNTS_SQL, tid, ACCOUNTS, clients, seq, admin)
        seq += ACCOUNTS
        await conn.execute("UPDATE tenant_clock SET seq = $1", seq)
        for sql in ACTIVITY_SQL:
            await conn.execute(sql, tid)
        await conn.execute(DEVICES, tid, people, seq)
        await conn.execute(CHANGES, tid, RECENT_DAYS)
        await conn.execute(CONFLICTS_SQL, tid, CONFLICTS, leads, admin)
    return True


async def ensure_report_data(manifest: dict[str, Any]) -> None:
    db = manifest["db"]
    conn = await asyncpg.connect(common.owner_dsn(db))
    try:
        added = 0
        t0 = time.perf_counter()
        for t, tenant in enumerate(manifest["tenants"]):
            if await _report_data(conn, tenant, manifest["sizes"]):
                added += 1
                log(f"tenant {t}: report data added")
        if added:
            for table_name in ANALYZED:
                await conn.execute(f"VACUUM (ANALYZE) {table_name}")
            log(f"report data: {added} tenants in {time.perf_counter() - t0:.1f} s")
    finally:
        await conn.close()


# Reports -----------------------------------------------------------------------------------------


@dataclass
class Actor:
    role: str  # "admin" or "user"
    user_id: str
    email: str
    token: str = ""


Call = Callable[[], Awaitable[bool]]


async def sequential(scenario: str, db: str, pid: int, calls: list[Call]) -> Result:
    """The calls one after the other, the first as an uncounted warm-up; latencies of the
    successful ones, and the CPU the server and PostgreSQL spent per counted call."""
    result = Result(scenario, 1)
    await calls[0]()
    meter = common.CpuMeter(db, pid)
    async with meter:
        start = time.perf_counter()
        for call in calls[1:]:
            t0 = time.perf_counter()
            if await call():
                result.latencies.append(time.perf_counter() - t0)
            else:
                result.errors += 1
        result.seconds = time.perf_counter() - start
    result.extra |= meter.per_op_ms(len(calls) - 1)
    print(f"{scenario}: p50 {result.pct(50):.1f} ms, p95 {result.pct(95):.1f} ms, "
          f"{result.errors} errors", file=sys.stderr)  # fmt: skip
    return result


async def run_reports(
    s: aiohttp.ClientSession, db: str, pid: int, actors: list[Actor], iterations: int
) -> list[Result]:
    from sync_server.services.reports import REPORTS

    results = []
    for name, definition in REPORTS.items():
        for actor in actors:
            if definition.admin_only and actor.role != "admin":
                continue

            async def once(a: Actor = actor, url: str = f"/api/v1/reports/{name}") -> bool:
                async with s.get(url, headers=auth(a.token)) as resp:
                    await resp.read()
                    return resp.status == 200

            scenario = f"{name} ({actor.role})"
            results.append(await sequential(scenario, db, pid, [once] * (iterations + 1)))
    return results


REPORT_HEADERS = (
    "report", "as", "ok", "errors", "p50 ms", "p95 ms", "max ms", "server CPU ms/req",
    "PG CPU ms/req", "p95 < 300 ms",
)  # fmt: skip


def report_rows(results: list[Result]) -> list[list[object]]:
    rows: list[list[object]] = []
    for r in results:
        name, role = r.scenario.rsplit(" (", 1)
        worst = max(r.latencies) * 1000 if r.latencies else float("nan")
        rows.append([
            name, role.rstrip(")"), r.ok, r.errors, r.pct(50), r.pct(95), worst,
            r.extra.get("server_cpu_ms_per_op", float("nan")),
            r.extra.get("db_cpu_ms_per_op", float("nan")),
            "yes" if r.pct(95) < 300 else "no",
        ])  # fmt: skip
    return rows


# Bulk --------------------------------------------------------------------------------------------


async def lead_batches(
    db: str, tenant: dict[str, Any], sizes: list[int]
) -> tuple[str, list[list[str]]]:
    """(assignee, batches): disjoint batches of live leads all assigned to the user who has the
    most leads now, to be assigned to the user who has the fewest, so that every id of every run
    really changes hands (and, run after run, the leads keep spreading evenly)."""
    users = [u["id"] for u in tenant["users"]]
    conn = await asyncpg.connect(common.app_dsn(db))
    try:
        async with common.tenant_tx(conn, tenant["id"]):
            counts = dict.fromkeys(users, 0) | {
                str(r["assigned_to"]): r["n"]
                for r in await conn.fetch(
                    """SELECT assigned_to, count(*) AS n FROM leads WHERE deleted_at IS NULL
                       AND assigned_to = ANY($1::uuid[]) GROUP BY 1""",
                    users,
                )
            }
            source = max(users, key=lambda u: counts[u])
            target = min(users, key=lambda u: counts[u])
            ids = [
                str(r["id"])
                for r in await conn.fetch(
                    """SELECT id FROM leads WHERE deleted_at IS NULL AND assigned_to = $1
                       ORDER BY created_at DESC, id LIMIT $2""",
                    uuid.UUID(source),
                    sum(sizes),
                )
            ]
    finally:
        await conn.close()
    batches, start = [], 0
    for size in sizes:
        batches.append(ids[start : start + size])
        start += size
    return target, batches


async def run_bulk(
    s: aiohttp.ClientSession,
    db: str,
    pid: int,
    admin: Actor,
    tenant: dict[str, Any],
    iterations: int,
) -> list[Result]:
    results = []
    for size in BULK_SIZES:
        n = iterations if size == BULK_SIZES[0] else max(3, iterations // 3)
        target, batches = await lead_batches(db, tenant, [size] * (n + 1))

        async def once(ids: list[str], value: str = target) -> bool:
            body = {"action": "assign", "ids": ids, "value": value}
            url, headers = "/api/v1/admin/leads/bulk", auth(admin.token)
            async with s.post(url, json=body, headers=headers) as x:
                if x.status != 200:
                    log(f"bulk: {x.status} {(await x.text())[:300]}")
                    return False
                out = await x.json()
            failed = [p for p in out["results"] if p["status"] != "ok"]
            if failed:
                log(f"bulk: {len(failed)} ids failed, first: {failed[0]}")
            return not failed and len(out["results"]) == len(ids)

        calls = [functools.partial(once, ids) for ids in batches]
        results.append(await sequential(f"assign {size}", db, pid, calls))
    return results


BULK_HEADERS = (
    "bulk assign (leads)", "calls ok", "errors", "p50 ms", "p95 ms", "ms per record (p50)",
    "server CPU ms/call", "PG CPU ms/call",
)  # fmt: skip


def bulk_rows(results: list[Result]) -> list[list[object]]:
    return [
        [r.scenario.split()[1], r.ok, r.errors, r.pct(50), r.pct(95),
         r.pct(50) / int(r.scenario.split()[1]),
         r.extra.get("server_cpu_ms_per_op", float("nan")),
         r.extra.get("db_cpu_ms_per_op", float("nan"))]
        for r in results
    ]  # fmt: skip


# Export ------------------------------------------------------------------------------------------


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@contextlib.asynccontextmanager
async def rss_peak(pid: int) -> AsyncIterator[dict[str, int]]:
    """Samples the process's RSS every RSS_EVERY seconds while the block runs:
    ``before``, ``peak`` and ``after`` in KiB."""
    out = {"before": rss_kib(pid), "peak": 0, "samples": 0}
    stop = asyncio.Event()

    async def sample() -> None:
        while not stop.is_set():
            out["peak"] = max(out["peak"], rss_kib(pid))
            out["samples"] += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), RSS_EVERY)

    task = asyncio.create_task(sample())
    try:
        yield out
    finally:
        stop.set()
        await task
        out["after"] = rss_kib(pid)
        out["peak"] = max(out["peak"], out["after"])


async def created_from(conn: asyncpg.Connection, tenant_id: str, rows: int) -> date:
    """The UTC day from which the tenant's live leads number at least ``rows``."""
    async with common.tenant_tx(conn, tenant_id):
        found = await conn.fetchval(
            """SELECT (created_at AT TIME ZONE 'UTC')::date FROM leads WHERE deleted_at IS NULL
               ORDER BY created_at DESC OFFSET $1 LIMIT 1""",
            rows - 1,
        )
    return found or date(1970, 1, 1)


@dataclass
class Export:
    fmt: str
    target: int | None
    params: dict[str, str]
    expected: int = 0
    rows: int = 0
    bytes: int = 0
    first_byte_s: float = 0.0
    seconds: float = 0.0
    status: int = 0
    rss: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items()}


async def _total(s: aiohttp.ClientSession, token: str, params: dict[str, str]) -> int:
    query = {**params, "limit": "1", "count": "true"}
    async with s.get("/api/v1/admin/leads", params=query, headers=auth(token)) as r:
        r.raise_for_status()
        return int((await r.json())["total"])


def xlsx_rows(workbook: bytes) -> int:
    """Rows of the workbook's sheet, header excluded (counted in its XML, not parsed)."""
    with zipfile.ZipFile(io.BytesIO(workbook)) as z:
        return z.read("xl/worksheets/sheet1.xml").count(b"<row ") - 1


async def export_once(s: aiohttp.ClientSession, pid: int, token: str, e: Export) -> Export:
    """One export; the CSV's lines are counted as they arrive, the XLSX (a few MB) is kept and
    its rows counted after the clock stops."""
    e.expected = await _total(s, token, e.params)
    kept: list[bytes] = []
    async with rss_peak(pid) as rss:
        t0 = time.perf_counter()
        params = {**e.params, "format": e.fmt}
        async with s.get("/api/v1/admin/leads/export", params=params, headers=auth(token)) as r:
            e.status = r.status
            e.first_byte_s = time.perf_counter() - t0
            newlines, tail = 0, b""
            async for chunk in r.content.iter_chunked(1 << 16):
                e.bytes += len(chunk)
                if e.fmt == "csv":
                    newlines += (tail + chunk).count(b"\r\n")  # may straddle two chunks
                    tail = chunk[-1:]
                else:
                    kept.append(chunk)
        e.seconds = time.perf_counter() - t0
    e.rss = rss
    e.rows = newlines - 1 if e.fmt == "csv" else xlsx_rows(b"".join(kept))  # minus the header
    if e.status != 200 or e.rows != e.expected:
        log(f"export {e.fmt} {e.target}: status {e.status}, {e.rows} rows, {e.expected} expected")
    return e


async def run_exports(
    s: aiohttp.ClientSession, db: str, pid: int, admin: Actor, tenant_id: str
) -> list[Export]:
    conn = await asyncpg.connect(common.app_dsn(db))
    try:
        days = {
            n: (await created_from(conn, tenant_id, n)).isoformat()
            for n in {WARMUP_EXPORT, *XLSX_SIZES, *(n for n in EXPORT_SIZES if n)}
        }
    finally:
        await conn.close()

    def export(fmt: str, n: int | None) -> Export:
        return Export(fmt, n, {"created_from": days[n]} if n else {})

    plan = [export("csv", WARMUP_EXPORT), *(export("csv", n) for n in EXPORT_SIZES)]
    plan += [export("xlsx", WARMUP_EXPORT), *(export("xlsx", n) for n in XLSX_SIZES)]
    done = []
    for e in plan:
        await export_once(s, pid, admin.token, e)
        print(f"export {e.fmt} {e.rows} rows: {e.seconds:.1f} s, peak RSS "
              f"{e.rss['peak'] / 1024:.0f} MiB (+{(e.rss['peak'] - e.rss['before']) / 1024:.0f})",
              file=sys.stderr)  # fmt: skip
        if e.target != WARMUP_EXPORT:
            done.append(e)
    return done


EXPORT_HEADERS = (
    "export", "rows", "MB", "first byte s", "total s", "rows/s", "RSS before MiB",
    "RSS peak MiB", "peak - before MiB",
)  # fmt: skip


def export_rows(exports: list[Export]) -> list[list[object]]:
    return [
        [e.fmt.upper(), f"{e.rows:,}", e.bytes / 1e6, e.first_byte_s, e.seconds,
         f"{e.rows / e.seconds:,.0f}" if e.seconds else "n/a",
         e.rss["before"] / 1024, e.rss["peak"] / 1024, (e.rss["peak"] - e.rss["before"]) / 1024]
        for e in exports
    ]  # fmt: skip


# EXPLAIN -----------------------------------------------------------------------------------------


async def explain_reports(manifest: dict[str, Any]) -> dict[str, str]:
    """EXPLAIN ANALYZE of every statement each report runs for tenant 0's admin, captured from
    the product's repositories (as the app role under RLS, in a tenant transaction)."""
    from sqlalchemy import event

    from scripts import pg_setup
    from sync_server.db.engine import Database, create_engine
    from sync_server.db.repositories import Repositories
    from sync_server.services.reports import REPORTS, run_report
    from sync_server.services.reports import parse_query as parse_report_query
    from sync_server.settings import Settings
    from sync_server.tenancy import mint_from_token

    db, tenant = manifest["db"], manifest["tenants"][0]
    app_url, _ = pg_setup.urls(db)
    engine = create_engine(Settings(database_url=app_url, jwt_secret="unused-here"))
    seen: list[tuple[str, tuple[Any, ...]]] = []

    def capture(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        if "set_config" not in statement:
            seen.append((statement, tuple(params or ())))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    database = Database(engine)
    ctx = mint_from_token(
        uuid.UUID(tenant["id"]), uuid.UUID(tenant["admin"]["id"]), ("admin", "user")
    )
    plans: dict[str, str] = {}
    conn = await asyncpg.connect(common.app_dsn(db))
    try:
        for name in REPORTS:
            seen.clear()
            async with database.session(ctx) as session:
                await run_report(
                    Repositories(ctx, session), name, parse_report_query({}), datetime.now(UTC)
                )
            for k, (sql, params) in enumerate(seen):
                async with common.tenant_tx(conn, tenant["id"]):
                    rows = await conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", *params)
                plans[f"{name} #{k + 1}"] = f"{sql}\n\n" + "\n".join(r[0] for r in rows)
    finally:
        await conn.close()
        await database.dispose()
    return plans


# Main --------------------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> dict[str, Any]:
    manifest = await ensure_seeded(args.quick)
    await ensure_report_data(manifest)
    db, tenant = manifest["db"], manifest["tenants"][0]
    info = common.machine()
    actors = [
        Actor("admin", tenant["admin"]["id"], tenant["admin"]["email"]),
        Actor("user", tenant["users"][0]["id"], tenant["users"][0]["email"]),
    ]
    out: dict[str, Any] = {"benchmark": "admin", "machine": info, "quick": args.quick, "db": db}
    async with common.running_server(db, "server-admin" + ("-quick" if args.quick else "")) as srv:
        pid = srv.process.pid
        tokens = await common.login_all(srv.base, [a.email for a in actors], manifest["password"])
        for a in actors:
            a.token = tokens[a.email]
        timeout = aiohttp.ClientTimeout(total=600)
        async with aiohttp.ClientSession(srv.base, timeout=timeout) as s:
            out["rss_idle_kib"] = rss_kib(pid)
            if "reports" in args.only:
                reports = await run_reports(s, db, pid, actors, args.iterations)
                out["reports"] = [r.summary() for r in reports]
                out["reports_table"] = common.table(REPORT_HEADERS, report_rows(reports))
            if "bulk" in args.only:
                bulk = await run_bulk(s, db, pid, actors[0], tenant, args.bulk_iterations)
                out["bulk"] = [r.summary() for r in bulk]
                out["bulk_table"] = common.table(BULK_HEADERS, bulk_rows(bulk))
            if "export" in args.only:
                exports = await run_exports(s, db, pid, actors[0], tenant["id"])
                out["exports"] = [e.summary() for e in exports]
                out["exports_table"] = common.table(EXPORT_HEADERS, export_rows(exports))
    out["load_average_after"] = round(os.getloadavg()[0], 2)
    if args.explain:
        out["explain"] = await explain_reports(manifest)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small data set")
    parser.add_argument("--iterations", type=int, default=20, help="requests per report and user")
    parser.add_argument("--bulk-iterations", type=int, default=15, help="bulk calls of 100")
    parser.add_argument(
        "--only", nargs="+", default=["reports", "bulk", "export"],
        choices=["reports", "bulk", "export"],
    )  # fmt: skip
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE each report's SQL")
    args = parser.parse_args()
    out = asyncio.run(run(args))
    path = common.write_results("admin" + ("-quick" if args.quick else ""), out)
    print(f"{common.machine_line(out['machine'])} · load average after "
          f"{out['load_average_after']:.2f} · database {out['db']}\n")  # fmt: skip
    for key in ("reports_table", "bulk_table", "exports_table"):
        if key in out:
            print(out[key] + "\n")
    for name, plan in out.get("explain", {}).items():
        print(f"#### {name}\n\n```\n{plan}\n```\n")
    print(f"JSON: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
