"""REST record endpoints on a large data set: p50/p95 of the API beside plain asyncpg, same run.

    .venv/bin/python -m bench.records_bench [--quick] [--duration 15] [--raw-duration 8]
        [--concurrency 1 50] [--open-loop 50] [--profile list_status] [--explain]

Against a real ``python -m sync_server serve`` (PostgreSQL as the non-owner app role, RLS on,
Redis, INFO logs to a file) on the database of ``bench/seed.py`` (seeded first if absent):

- ``list_status``: ``GET /api/v1/leads?limit=25&lead_status=new&sort=-created_at``
- ``list_q``: ``GET /api/v1/leads?limit=25&q=miller`` (default sort -created_at)
- ``list_q_none``: the same with ``q=zqxj``, a word no record has
- ``detail``: ``GET /api/v1/leads/{id}``, a random lead the user sees
- ``create``: ``POST /api/v1/leads`` (name, email, city, phone)
- ``patch``: ``PATCH /api/v1/leads/{id}`` ``{"phone": ...}``, a random lead the user sees

each for a fixed duration with N aiohttp clients in closed loops (N = 1: one user; N = 50: one
user each, 5 per tenant across 10 tenants), then the same rows through a plain asyncpg query
(one transaction with ``app.tenant_id`` set, as the app role under RLS, a pool as large as the
server's) for the same number of clients: ratio = API p95 / raw p95. The list scenarios check
once that the API and the raw query return the same ids.

Closed loops measure capacity: with N clients each sending its next request as soon as the last
one returns, latency is about N / throughput. ``--open-loop N`` also runs every scenario with N
clients that each send one request a second whatever the answers (a realistic office load);
latency is counted from each request's scheduled start, so a server that falls behind shows it.
"client CPU" is the benchmark process's own CPU per request: client, server and PostgreSQL share
the machine's cores.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common
from bench.common import Result, auth, closed_loop, log, tenant_tx
from bench.seed import ensure_seeded

SCENARIOS = ("list_status", "list_q", "list_q_none", "detail", "create", "patch")
Q = "miller"
# A word no record has: the old ``LIKE`` search read every visible row to find nothing.
Q_NONE = "zqxj"
SEARCHES = {"list_q": Q, "list_q_none": Q_NONE}
SERVER_POOL = 20  # the server's engine: pool_size 15 + max_overflow 5

_VISIBLE = "tenant_id = $1 AND (created_by = $2 OR assigned_to = $2)"
RAW_LIST_STATUS = f"""
SELECT * FROM leads WHERE {_VISIBLE} AND deleted_at IS NULL AND lead_status = 'new'
ORDER BY created_at DESC, id DESC LIMIT 26"""
RAW_LIST_Q = f"""
SELECT * FROM leads WHERE {_VISIBLE} AND deleted_at IS NULL
  AND (lower(name) LIKE $3 OR lower(contact_person) LIKE $3 OR lower(email) LIKE $3
       OR lower(phone) LIKE $3 OR lower(city) LIKE $3)
ORDER BY created_at DESC, id DESC LIMIT 26"""
RAW_DETAIL = f"SELECT * FROM leads WHERE {_VISIBLE} AND id = $3"
RAW_ADVANCE = "UPDATE tenant_clock SET seq = seq + 1 WHERE tenant_id = $1 RETURNING seq"
RAW_CREATE = """
INSERT INTO leads (tenant_id, id, name, lead_status, email, phone, city, created_at, updated_at,
    created_by, version, field_dots)
VALUES ($1, $2, $3, 'new', $4, $5, 'Springfield', now(), now(), $6, $7, '{}') RETURNING *"""
RAW_PATCH = f"""
UPDATE leads SET phone = $3, version = $4, updated_at = now()
WHERE {_VISIBLE} AND id = $5 RETURNING *"""


@dataclass
class Actor:
    tenant_id: str
    user_id: str
    email: str
    token: str = ""
    lead_ids: list[str] = field(default_factory=list)
    n: int = 0  # per-actor counter for unique values


def actors_of(manifest: dict[str, Any]) -> list[Actor]:
    """Users in round-robin over tenants, so N clients spread evenly across tenants."""
    per_tenant = [
        [Actor(t["id"], u["id"], u["email"]) for u in t["users"]] for t in manifest["tenants"]
    ]
    return [a for group in zip(*per_tenant, strict=True) for a in group]


async def sample_ids(pool: asyncpg.Pool, actors: list[Actor], per_actor: int) -> None:
    async with pool.acquire() as conn:
        for a in actors:
            async with tenant_tx(conn, a.tenant_id):
                rows = await conn.fetch(
                    "SELECT id FROM leads WHERE tenant_id = $1 AND assigned_to = $2 "
                    "AND deleted_at IS NULL ORDER BY md5(id::text) LIMIT $3",
                    uuid.UUID(a.tenant_id),
                    uuid.UUID(a.user_id),
                    per_actor,
                )
            a.lead_ids = [str(r["id"]) for r in rows]


def _pick(a: Actor) -> str:
    a.n += 1
    return a.lead_ids[(a.n * 7919) % len(a.lead_ids)]


def _phone(a: Actor) -> str:
    return f"555-{a.n % 10000:04d}"


# The two sides of each scenario ------------------------------------------------------------------


def api_op(
    session: aiohttp.ClientSession, scenario: str, actors: list[Actor]
) -> Callable[[int], Awaitable[bool]]:
    async def op(w: int) -> bool:
        a = actors[w % len(actors)]
        h = auth(a.token)
        if scenario == "list_status":
            params = {"limit": "25", "lead_status": "new", "sort": "-created_at"}
            req = session.get("/api/v1/leads", params=params, headers=h)
        elif scenario in SEARCHES:
            params = {"limit": "25", "q": SEARCHES[scenario]}
            req = session.get("/api/v1/leads", params=params, headers=h)
        elif scenario == "detail":
            req = session.get(f"/api/v1/leads/{_pick(a)}", headers=h)
        elif scenario == "create":
            a.n += 1
            body = {
                "name": f"Bench lead {a.n}",
                "email": f"bench{a.n}@example.com",
                "phone": _phone(a),
                "city": "Springfield",
            }
            req = session.post("/api/v1/leads", json=body, headers=h)
        else:
            lead = _pick(a)
            req = session.patch(f"/api/v1/leads/{lead}", json={"phone": _phone(a)}, headers=h)
        async with req as r:
            await r.read()
            return r.status in (200, 201)

    return op


def raw_op(
    pool: asyncpg.Pool, scenario: str, actors: list[Actor]
) -> Callable[[int], Awaitable[bool]]:
    async def op(w: int) -> bool:
        a = actors[w % len(actors)]
        tid, uid = uuid.UUID(a.tenant_id), uuid.UUID(a.user_id)
        async with pool.acquire() as conn, tenant_tx(conn, a.tenant_id):
            if scenario == "list_status":
                rows = await conn.fetch(RAW_LIST_STATUS, tid, uid)
            elif scenario in SEARCHES:
                rows = await conn.fetch(RAW_LIST_Q, tid, uid, f"%{SEARCHES[scenario]}%")
            elif scenario == "detail":
                rows = await conn.fetch(RAW_DETAIL, tid, uid, uuid.UUID(_pick(a)))
            elif scenario == "create":
                a.n += 1
                seq = await conn.fetchval(RAW_ADVANCE, tid)
                rows = await conn.fetch(
                    RAW_CREATE, tid, uuid.uuid4(), f"Raw lead {a.n}", f"raw{a.n}@example.com",
                    _phone(a), uid, seq,
                )  # fmt: skip
            else:
                lead = uuid.UUID(_pick(a))
                seq = await conn.fetchval(RAW_ADVANCE, tid)
                rows = await conn.fetch(RAW_PATCH, tid, uid, _phone(a), seq, lead)
            return bool(rows) or scenario.startswith("list")

    return op


async def same_rows(
    session: aiohttp.ClientSession, pool: asyncpg.Pool, a: Actor
) -> dict[str, bool]:
    """The API's first page and the raw query's first 25 rows are the same records."""
    out = {}
    tid, uid = uuid.UUID(a.tenant_id), uuid.UUID(a.user_id)
    for scenario, params, sql, args in (
        ("list_status", {"limit": "25", "lead_status": "new"}, RAW_LIST_STATUS, ()),
        ("list_q", {"limit": "25", "q": Q}, RAW_LIST_Q, (f"%{Q}%",)),
    ):
        async with session.get("/api/v1/leads", params=params, headers=auth(a.token)) as r:
            api_ids = [item["id"] for item in (await r.json())["items"]]
        async with pool.acquire() as conn, tenant_tx(conn, a.tenant_id):
            raw_ids = [str(row["id"]) for row in await conn.fetch(sql, tid, uid, *args)][:25]
        out[scenario] = api_ids == raw_ids and len(api_ids) == 25
    return out


async def open_loop(
    name: str, clients: int, duration: float, op: Callable[[int], Awaitable[bool]]
) -> Result:
    """``clients`` each start one request a second (phases spread over the first second) for
    ``duration`` seconds, without waiting for earlier answers. Latency runs from the scheduled
    start, so time spent queueing behind a busy server counts."""
    result = Result(name, clients)
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.1
    schedule = sorted(start + w / clients + k for w in range(clients) for k in range(int(duration)))

    async def one(w: int, at: float) -> None:
        await asyncio.sleep(max(0.0, at - loop.time()))
        try:
            ok = await op(w)
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            result.errors += 1
            result.count(type(exc).__name__)
            return
        if ok:
            result.latencies.append(loop.time() - at)
        else:
            result.errors += 1

    tasks = [one(i % clients, at) for i, at in enumerate(schedule)]
    await asyncio.gather(*tasks)
    result.seconds = loop.time() - start
    return result


async def drive(
    is_open: bool, scenario: str, n: int, seconds: float, op: Callable[[int], Awaitable[bool]]
) -> Result:
    if is_open:
        return await open_loop(scenario, n, seconds, op)
    return await closed_loop(scenario, n, seconds, op)


# Running -----------------------------------------------------------------------------------------


def _row(api: Result, raw: Result | None) -> list[object]:
    nan = float("nan")
    ratio = api.pct(95) / raw.pct(95) if raw and raw.ok else nan
    clients = f"{api.concurrency} open" if api.extra.get("open_loop") else api.concurrency
    return [
        api.scenario, clients, api.ok, api.errors, api.rate, api.pct(50), api.pct(95),
        api.pct(99), api.extra.get("server_cpu_ms_per_op", nan),
        api.extra.get("db_cpu_ms_per_op", nan), api.extra.get("client_cpu_ms_per_op", nan),
        raw.rate if raw else nan,
        raw.pct(50) if raw else nan, raw.pct(95) if raw else nan,
        raw.extra.get("db_cpu_ms_per_op", nan) if raw else nan, ratio,
    ]  # fmt: skip


HEADERS = (
    "scenario", "clients", "api ok", "api errors", "api req/s", "api p50 ms", "api p95 ms",
    "api p99 ms", "server CPU ms/req", "PG CPU ms/req", "client CPU ms/req", "raw q/s",
    "raw p50 ms", "raw p95 ms",
    "raw PG CPU ms/q", "p95 ratio api/raw",
)  # fmt: skip


async def run(args: argparse.Namespace) -> dict[str, Any]:
    manifest = await ensure_seeded(args.quick)
    db = manifest["db"]
    info = common.machine()
    actors = actors_of(manifest)
    async with common.running_server(
        db, "server-records" + ("-quick" if args.quick else ""), workers=args.workers
    ) as server:
        tokens = await common.login_all(
            server.base, [a.email for a in actors], manifest["password"]
        )
        for a in actors:
            a.token = tokens[a.email]
        pool = await asyncpg.create_pool(common.app_dsn(db), min_size=2, max_size=SERVER_POOL)
        assert pool is not None
        try:
            await sample_ids(pool, actors, 400)
            timeout = aiohttp.ClientTimeout(total=60)
            connector = aiohttp.TCPConnector(limit=0)  # open loops may overlap requests
            async with aiohttp.ClientSession(
                server.base, timeout=timeout, connector=connector
            ) as s:
                checks = await same_rows(s, pool, actors[0])
                log(f"same rows from API and raw query: {checks}")
                runs = [(n, False) for n in args.concurrency]
                runs += [(args.open_loop, True)] if args.open_loop else []
                results: list[tuple[Result, Result | None]] = []
                for n, is_open in runs:
                    for scenario in args.scenarios:
                        label = f"{scenario} x{n}" + (" open loop" if is_open else "")
                        log(f"{label}: API {args.duration:g} s")
                        ctx = (
                            common.profiled(server.process.pid, f"{scenario}-x{n}", args.duration)
                            if scenario in args.profile and n == max(args.concurrency)
                            and not is_open
                            else contextlib.nullcontext()
                        )  # fmt: skip
                        meter = common.CpuMeter(db, server.process.pid)
                        client_cpu = time.process_time()
                        async with ctx, meter:
                            api = await drive(
                                is_open, scenario, n, args.duration, api_op(s, scenario, actors)
                            )
                        ops = api.ok + api.errors + (0 if is_open else n)  # + closed-loop warm-up
                        api.extra |= meter.per_op_ms(ops)
                        api.extra["client_cpu_ms_per_op"] = round(
                            1000 * (time.process_time() - client_cpu) / max(ops, 1), 2
                        )
                        api.extra["open_loop"] = is_open
                        raw = None
                        if args.raw_duration > 0:
                            log(f"{label}: raw asyncpg {args.raw_duration:g} s")
                            raw_meter = common.CpuMeter(db)
                            async with raw_meter:
                                raw = await drive(
                                    is_open, scenario, n, args.raw_duration,
                                    raw_op(pool, scenario, actors),
                                )  # fmt: skip
                            raw.extra |= raw_meter.per_op_ms(raw.ok + (0 if is_open else n))
                        results.append((api, raw))
                        print(common.table(HEADERS, [_row(api, raw)]).splitlines()[-1],
                              file=sys.stderr)  # fmt: skip
        finally:
            await pool.close()
    info["load_average_after"] = round(os.getloadavg()[0], 2)
    explain = None
    if args.explain:
        from bench.explain import explain_records

        explain = await explain_records(manifest)
    return {
        "benchmark": "records",
        "machine": info,
        "quick": args.quick,
        "db": db,
        "workers": args.workers,
        "duration_s": args.duration,
        "raw_duration_s": args.raw_duration,
        "same_rows": checks,
        "results": [
            {
                "api": api.summary(),
                "raw": raw.summary() if raw else None,
                "p95_ratio": _row(api, raw)[-1],
            }
            for api, raw in results
        ],
        "table": common.table(HEADERS, [_row(api, raw) for api, raw in results]),
        "explain": explain,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small data set, 5 s per scenario")
    parser.add_argument("--duration", type=float, default=None, help="API seconds per scenario")
    parser.add_argument("--raw-duration", type=float, default=None, help="raw seconds (0: skip)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 50])
    parser.add_argument(
        "--open-loop",
        type=int,
        default=0,
        metavar="N",
        help="also run every scenario with N clients sending one request a second each",
    )
    parser.add_argument("--scenarios", nargs="+", default=list(SCENARIOS), choices=SCENARIOS)
    parser.add_argument(
        "--profile",
        nargs="*",
        default=[],
        choices=SCENARIOS,
        help="py-spy the server during these scenarios (at the top concurrency)",
    )
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the API's SQL")
    parser.add_argument(
        "--workers", type=int, default=1, help="server processes (serve --workers; CPU summed)"
    )
    args = parser.parse_args()  # fmt: skip
    if args.duration is None:
        args.duration = 5.0 if args.quick else 15.0
    if args.raw_duration is None:
        args.raw_duration = 3.0 if args.quick else 8.0
    out = asyncio.run(run(args))
    path = common.write_results("records" + ("-quick" if args.quick else ""), out)
    after = out["machine"]["load_average_after"]
    print(f"{common.machine_line(out['machine'])} (after: {after:.2f}) · {args.duration:g} s API "
          f"and {args.raw_duration:g} s raw per scenario · database {out['db']} · "
          f"{args.workers} server process(es)\n")  # fmt: skip
    print(out["table"])
    if out["explain"]:
        for name, plan in out["explain"].items():
            print(f"\n#### {name}\n\n```\n{plan}\n```")
    print(f"\nJSON: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
