"""Sync protocol under load: push throughput, initial sync, 200 devices, poke-to-visible latency.

    .venv/bin/python -m bench.sync_bench [--quick] [--only push initial devices poke]

Against a real ``python -m sync_server serve`` (PostgreSQL as the non-owner app role, RLS on,
Redis pub/sub for pokes, INFO logs to a file) on the database of ``bench/seed.py``:

1. ``push``: mutations/s through ``POST /api/v1/sync/push`` in changesets of 100 lead mutations
   (the first all creates, then 50 creates + 50 updates of the device's earlier leads), for one
   device, for one device in each of several tenants, and for several devices of one tenant;
   beside raw asyncpg ``executemany`` of the same lead rows (same clock advance, same tenant
   transaction, app role under RLS), and "raw+log": every row the API writes (leads, change
   log, audience, activity log, the device's counter). Ratios = API / raw and API / raw+log.
2. ``initial``: a new device of tenant 0's admin (who sees ~100,000 records) pulls a full
   snapshot in pages of 1,000: records/s over plain HTTP (JSON decoded), then with the reference
   client (``sync_server.client``: validates every page and lands the snapshot), beside raw
   asyncpg keyset pages over the same tables.
3. ``devices``: 200 simulated devices (the reference client), spread over the "device" users of
   every tenant, each in a closed loop of think time, 1-3 edits (creates, or updates of its own
   leads), push, pull, for 60 s; then a final push and pull each and the lost-write check: every
   mutation the server acknowledged (applied/merged/conflict) has its values in the database.
   A poke pair (below) runs alongside to measure poke-to-visible under this load.
4. ``poke``: two devices of one user, the watcher on the WebSocket ``/api/v1/sync/ws``
   (protocols ``pathsix.sync.v1`` and ``bearer.<token>``): the writer pushes an update, the
   watcher waits for the poke, pulls, and the time until the new value is in its store is the
   poke-to-visible latency.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common
from bench.common import Result, auth, log, percentile, tenant_tx
from bench.seed import ensure_seeded
from sync_server.client import HttpTransport, SyncClient, SyncHttpError, TransportError

PUSH, PULL = "/api/v1/sync/push", "/api/v1/sync/pull"
WS = "/api/v1/sync/ws"
CHANGESET = 100
ACKED = ("applied", "merged", "conflict")


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


# 1. Push throughput ------------------------------------------------------------------------------


@dataclass
class Pusher:
    tenant_id: str
    user_id: str
    token: str
    client_id: uuid.UUID = field(default_factory=uuid.uuid4)
    mid: int = 0
    seq: int = 0
    created: list[str] = field(default_factory=list)

    def changeset(self, n: int = CHANGESET) -> list[dict[str, Any]]:
        """Creates only at first, then half creates, half updates of this device's leads."""
        out = []
        updates = n // 2 if len(self.created) >= n else 0
        for i in range(n):
            self.mid += 1
            m = self.mid
            if i < updates:
                rid = self.created[(m * 7919) % len(self.created)]
                op, fields = "update", {"notes": f"edit {m}", "phone": f"555-{m % 10000:04d}"}
            else:
                rid = str(uuid.uuid4())
                self.created.append(rid)
                op = "create"
                fields = {
                    "name": f"Pushed lead {m}", "email": f"p{m}@example.com",
                    "phone": f"555-{m % 10000:04d}", "city": "Springfield", "lead_status": "new",
                }  # fmt: skip
            out.append({"mid": m, "entity": "lead", "id": rid, "op": op, "base_seq": self.seq,
                        "fields": fields, "client_time": _now()})  # fmt: skip
        return out


async def _push_api(session: aiohttp.ClientSession, p: Pusher) -> tuple[bool, dict[str, int]]:
    body = {"client_id": str(p.client_id), "schema_version": 1, "mutations": p.changeset()}
    async with session.post(PUSH, json=body, headers=auth(p.token)) as r:
        data = await r.json()
    if r.status != 200:
        return False, {f"http {r.status}": 1}
    p.seq = int(data["seq"])
    statuses: dict[str, int] = {}
    for res in data["results"]:
        statuses[res["status"]] = statuses.get(res["status"], 0) + 1
    return statuses.get("applied", 0) == CHANGESET, statuses


_RAW_INSERT = """
INSERT INTO leads (tenant_id, id, name, lead_status, email, phone, city, created_at, updated_at,
    created_by, version, field_dots)
VALUES ($1, $2, $3, 'new', $4, $5, 'Springfield', now(), now(), $6, $7, $8)"""
_RAW_UPDATE = """
UPDATE leads SET notes = $3, phone = $4, version = $5, updated_at = now(), field_dots = $6
WHERE tenant_id = $1 AND id = $2"""
_RAW_LOG = """
INSERT INTO change_log (tenant_id, seq, entity, record_id, op, action, user_id, client_id, mid,
    fields, created_at) VALUES ($1, $2, 'lead', $3, 'put', $4, $5, $6, $7, $8, now())"""
_RAW_AUDIENCE = """
INSERT INTO change_audience (tenant_id, user_id, seq, entity, record_id, visible)
VALUES ($1, $2, $3, 'lead', $4, true)"""
_RAW_ACTIVITY = """
INSERT INTO activity_log (tenant_id, id, user_id, entity, record_id, action, fields, seq,
    created_at) VALUES ($1, $2, $3, 'lead', $4, $5, $6, $7, now())"""
_RAW_DEVICE = """
INSERT INTO sync_clients (tenant_id, id, user_id, last_mutation_id, last_pull_seq, created_at,
    last_seen_at) VALUES ($1, $2, $3, $4, 0, now(), now())
ON CONFLICT (tenant_id, id) DO UPDATE SET last_mutation_id = $4, last_seen_at = now()"""


async def _push_raw(conn: asyncpg.Connection, p: Pusher, with_log: bool) -> bool:
    """The same rows as one API changeset, written by hand: the floor the API is compared to.
    ``raw``: the clock and the lead rows; ``raw+log``: every row the API writes, also the
    change-log, audience and activity rows and the device's counter."""
    muts = p.changeset()
    tid, uid = uuid.UUID(p.tenant_id), uuid.UUID(p.user_id)
    async with tenant_tx(conn, p.tenant_id):
        last = int(await conn.fetchval(
            "UPDATE tenant_clock SET seq = seq + $2 WHERE tenant_id = $1 RETURNING seq",
            tid, len(muts),
        ))  # fmt: skip
        first = last - len(muts) + 1
        creates, updates, log_rows, audience, activity = [], [], [], [], []
        for i, m in enumerate(muts):
            seq, rid, f = first + i, uuid.UUID(m["id"]), m["fields"]
            dots = json.dumps({k: [seq, str(p.client_id), m["mid"]] for k in f})
            if m["op"] == "create":
                creates.append((tid, rid, f["name"], f["email"], f["phone"], uid, seq, dots))
            else:
                updates.append((tid, rid, f["notes"], f["phone"], seq, dots))
            log_rows.append((tid, seq, rid, m["op"], uid, p.client_id, m["mid"],
                             json.dumps(sorted(f))))  # fmt: skip
            audience.append((tid, uid, seq, rid))
            activity.append((tid, uuid.uuid4(), uid, rid, m["op"],
                             json.dumps({"changed": sorted(f)}), seq))  # fmt: skip
        if creates:
            await conn.executemany(_RAW_INSERT, creates)
        if updates:
            await conn.executemany(_RAW_UPDATE, updates)
        if with_log:
            await conn.executemany(_RAW_LOG, log_rows)
            await conn.executemany(_RAW_AUDIENCE, audience)
            await conn.executemany(_RAW_ACTIVITY, activity)
            await conn.execute(_RAW_DEVICE, tid, p.client_id, uid, muts[-1]["mid"])
    return True


async def bench_push(ctx: Ctx) -> list[dict[str, Any]]:
    tenants = ctx.manifest["tenants"]
    n_many = min(4, len(tenants))
    # Device user 0 of each tenant pushes; several devices of one user for the one-tenant case.
    configs = [
        ("1 device", [0]),
        (f"{n_many} devices, {n_many} tenants", list(range(n_many))),
        (f"{n_many} devices, 1 tenant", [0] * n_many),
    ]
    rows = []
    for label, tenant_idx in configs:
        pushers = [_pusher(ctx, t) for t in tenant_idx]
        log(f"push {label}: API {ctx.args.push_duration:g} s")
        prof = (
            common.profiled(ctx.server_pid, "push", ctx.args.push_duration)
            if ctx.args.profile and label == "1 device"
            else contextlib.nullcontext()
        )
        meter = common.CpuMeter(ctx.db, ctx.server_pid)
        async with ctx.session() as s, prof, meter:
            stats: dict[str, int] = {}

            async def api_op(
                w: int,
                s: aiohttp.ClientSession = s,
                ps: list[Pusher] = pushers,
                stats: dict[str, int] = stats,
            ) -> bool:
                ok, statuses = await _push_api(s, ps[w])
                for k, v in statuses.items():
                    stats[k] = stats.get(k, 0) + v
                return ok

            api = await common.closed_loop(
                f"push {label}", len(pushers), ctx.args.push_duration, api_op
            )
            api.extra["mutation_statuses"] = stats
        api.extra |= meter.per_op_ms((api.ok + len(pushers)) * CHANGESET)
        raws = {}
        for with_log in (False, True):
            name = "raw+log" if with_log else "raw"
            log(f"push {label}: {name} asyncpg {ctx.args.raw_duration:g} s")
            raw_pushers = [_pusher(ctx, t) for t in tenant_idx]
            pool = await asyncpg.create_pool(common.app_dsn(ctx.db), min_size=1,
                                             max_size=len(raw_pushers))  # fmt: skip
            assert pool is not None
            try:

                async def raw_op(
                    w: int,
                    pool: asyncpg.Pool = pool,
                    wl: bool = with_log,
                    ps: list[Pusher] = raw_pushers,
                ) -> bool:
                    async with pool.acquire() as conn:
                        return await _push_raw(conn, ps[w], wl)

                raw_meter = common.CpuMeter(ctx.db)
                async with raw_meter:
                    raws[name] = await common.closed_loop(
                        name, len(raw_pushers), ctx.args.raw_duration, raw_op
                    )
                ops = (raws[name].ok + len(raw_pushers)) * CHANGESET
                raws[name].extra |= raw_meter.per_op_ms(ops)
            finally:
                await pool.close()
        api_rate = api.rate * CHANGESET
        rows.append({
            "config": label, "api": api.summary(), "api_mutations_per_s": round(api_rate, 1),
            **{f"{k}_mutations_per_s": round(r.rate * CHANGESET, 1) for k, r in raws.items()},
            "ratio_api_raw": round(api_rate / (raws["raw"].rate * CHANGESET), 4),
            "ratio_api_raw_log": round(api_rate / (raws["raw+log"].rate * CHANGESET), 4),
            "raw": {k: r.summary() for k, r in raws.items()},
        })  # fmt: skip
        log(
            f"  API {api_rate:.0f} mut/s (p50 {api.pct(50):.0f} ms per push of 100), raw "
            f"{raws['raw'].rate * CHANGESET:.0f}, raw+log {raws['raw+log'].rate * CHANGESET:.0f}"
        )
    return rows


def _pusher(ctx: Ctx, t: int) -> Pusher:
    tenant = ctx.manifest["tenants"][t]
    user = tenant["device_users"][0]
    return Pusher(tenant["id"], user["id"], ctx.tokens[user["email"]])


# 2. Initial sync ---------------------------------------------------------------------------------


async def bench_initial(ctx: Ctx) -> dict[str, Any]:
    tenant = ctx.manifest["tenants"][0]
    admin = tenant["admin"]
    token = ctx.tokens[admin["email"]]
    out: dict[str, Any] = {"user": "tenant 0 admin", "page_limit": ctx.args.page}
    deadline = ctx.args.initial_timeout
    async with ctx.session() as s:
        log("initial sync over HTTP (JSON decoded only)")
        prof = (
            common.profiled(ctx.server_pid, "initial", 20)
            if ctx.args.profile
            else contextlib.nullcontext()
        )
        start = time.perf_counter()
        meter = common.CpuMeter(ctx.db, ctx.server_pid)
        async with prof, meter:
            pages, page_times, by_entity, complete = await _pull_all(
                s, token, ctx.args.page, deadline
            )
        records = sum(by_entity.values())
        cpu = meter.per_op_ms(records)
        seconds = time.perf_counter() - start
        out["http"] = {
            "records": records, "pages": pages, "seconds": round(seconds, 2),
            "records_per_s": round(records / seconds, 1), "complete": complete,
            "page_p50_ms": round(percentile(page_times, 50), 1),
            "page_p95_ms": round(percentile(page_times, 95), 1),
            "page_max_ms": round(max(page_times) * 1000, 1), "by_entity": by_entity,
            "server_cpu_us_per_record": round(1000 * cpu.get("server_cpu_ms_per_op", 0), 1),
            "db_cpu_us_per_record": round(1000 * cpu["db_cpu_ms_per_op"], 1),
        }  # fmt: skip
        slowest = sorted(
            zip(page_times, _page_labels(by_entity, ctx.args.page), strict=False), reverse=True
        )[:5]
        out["http"]["slowest_pages"] = [(lbl, round(t * 1000)) for t, lbl in slowest]
        log(f"  {records} records in {seconds:.1f} s = {records / seconds:.0f}/s")
        if ctx.args.client_initial:
            log("initial sync with the reference client (validates and lands every page)")
            client = SyncClient(HttpTransport(s, token, ctx.base), page_limit=ctx.args.page)
            t0 = time.perf_counter()
            summary = await asyncio.wait_for(client.pull(), timeout=deadline)
            secs = time.perf_counter() - t0
            n = len(summary.changes)
            out["reference_client"] = {"records": n, "pages": summary.pages,
                                       "seconds": round(secs, 2),
                                       "records_per_s": round(n / secs, 1)}  # fmt: skip
            log(f"  {n} records in {secs:.1f} s = {n / secs:.0f}/s")
    out["raw"] = await _initial_raw(ctx, tenant["id"], admin["id"], deadline)
    out["ratio_http_raw"] = round(out["http"]["records_per_s"] / out["raw"]["records_per_s"], 3)
    return out


async def _pull_all(
    s: aiohttp.ClientSession, token: str, page: int, deadline: float
) -> tuple[int, list[float], dict[str, int], bool]:
    """A new device's snapshot, page by page, until has_more is false (or the deadline)."""
    body: dict[str, Any] = {"client_id": str(uuid.uuid4()), "schema_version": 1,
                            "cursor": None, "limit": page}  # fmt: skip
    pages, page_times, by_entity = 0, [], {}
    start = time.perf_counter()
    while time.perf_counter() - start < deadline:
        t0 = time.perf_counter()
        async with s.post(PULL, json=body, headers=auth(token)) as r:
            data = await r.json()
        page_times.append(time.perf_counter() - t0)
        if r.status != 200:
            raise SystemExit(f"pull failed: {r.status} {data}")
        pages += 1
        for c in data["changes"]:
            by_entity[c["entity"]] = by_entity.get(c["entity"], 0) + 1
        body["cursor"] = data["cursor"]
        if not data["has_more"]:
            return pages, page_times, by_entity, True
    return pages, page_times, by_entity, False


def _page_labels(by_entity: dict[str, int], page: int) -> list[str]:
    """Which entity each page mostly carried (pages follow the snapshot stages in order)."""
    labels: list[str] = []
    for entity, n in by_entity.items():
        labels += [entity] * max(1, round(n / page))
    return labels


_RAW_SNAPSHOT = {
    "leads": "(created_by = $2 OR assigned_to = $2)",
    "clients": "(created_by = $2 OR assigned_to = $2)",
    "projects": """((assigned_to IS NOT NULL AND (created_by = $2 OR assigned_to = $2))
        OR (assigned_to IS NULL AND client_id IN
            (SELECT id FROM clients c WHERE c.tenant_id = $1
                AND (c.created_by = $2 OR c.assigned_to = $2)))
        OR (assigned_to IS NULL AND client_id IS NULL AND lead_id IN
            (SELECT id FROM leads l WHERE l.tenant_id = $1
                AND (l.created_by = $2 OR l.assigned_to = $2)))
        OR (assigned_to IS NULL AND client_id IS NULL AND lead_id IS NULL AND created_by = $2))""",
    "interactions": """(client_id IN
            (SELECT id FROM clients c WHERE c.tenant_id = $1
                AND (c.created_by = $2 OR c.assigned_to = $2))
        OR lead_id IN
            (SELECT id FROM leads l WHERE l.tenant_id = $1
                AND (l.created_by = $2 OR l.assigned_to = $2)))""",
}  # fmt: skip


async def _initial_raw(ctx: Ctx, tenant_id: str, user_id: str, deadline: float) -> dict[str, Any]:
    """The same records through hand-written keyset pages of 1,000 (row-comparison keyset)."""
    log("initial sync: raw asyncpg pages")
    conn = await asyncpg.connect(common.app_dsn(ctx.db))
    tid, uid = uuid.UUID(tenant_id), uuid.UUID(user_id)
    records, pages = 0, 0
    start = time.perf_counter()
    try:
        async with tenant_tx(conn, tenant_id):
            until = int(await conn.fetchval("SELECT seq FROM tenant_clock"))
            for table, visible in _RAW_SNAPSHOT.items():
                after = (0, uuid.UUID(int=0))
                sql = (f"SELECT * FROM {table} WHERE tenant_id = $1 AND {visible} "
                       f"AND version <= $3 AND (version, id) > ($4, $5) "
                       f"ORDER BY version, id LIMIT {ctx.args.page}")  # fmt: skip
                while time.perf_counter() - start < deadline:
                    rows = await conn.fetch(sql, tid, uid, until, *after)
                    pages += 1
                    records += len(rows)
                    if len(rows) < ctx.args.page:
                        break
                    after = (rows[-1]["version"], rows[-1]["id"])
    finally:
        await conn.close()
    seconds = time.perf_counter() - start
    log(f"  raw: {records} records in {seconds:.1f} s = {records / seconds:.0f}/s")
    return {"records": records, "pages": pages, "seconds": round(seconds, 2),
            "records_per_s": round(records / seconds, 1)}  # fmt: skip


# 3. Many devices, 4. poke-to-visible -------------------------------------------------------------


@dataclass
class Device:
    index: int
    tenant_id: str
    user_id: str
    client: SyncClient
    own: list[str] = field(default_factory=list)
    rng: random.Random = field(default_factory=random.Random)


async def _cycle(dev: Device, push_r: Result, pull_r: Result) -> None:
    for _ in range(dev.rng.randint(1, 3)):
        if dev.own and dev.rng.random() < 0.5:
            rid = dev.rng.choice(dev.own)
            mid = dev.client.outbox.next_mid
            dev.client.update("lead", rid, {"notes": f"d{dev.index} m{mid}",
                                            "phone": f"555-{mid % 10000:04d}"})  # fmt: skip
        else:
            mid = dev.client.outbox.next_mid
            fields = {"name": f"Device {dev.index} lead {mid}", "city": "Springfield",
                      "notes": f"d{dev.index} m{mid}"}  # fmt: skip
            dev.own.append(dev.client.create("lead", fields))
    for name, result, call in (
        ("push", push_r, dev.client.push),
        ("pull", pull_r, dev.client.pull),
    ):
        t0 = time.perf_counter()
        try:
            await call()
        except (SyncHttpError, TransportError) as exc:
            result.errors += 1
            result.count(f"{name}: {type(exc).__name__} {getattr(exc, 'status', '')}".strip())
            return
        result.latencies.append(time.perf_counter() - t0)


async def bench_devices(ctx: Ctx) -> dict[str, Any]:
    n, duration = ctx.args.devices, ctx.args.devices_duration
    users = [(t["id"], u) for t in ctx.manifest["tenants"] for u in t["device_users"][1:]]
    connector = aiohttp.TCPConnector(limit=n + 10)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as s:
        devices = []
        for i in range(n):
            tenant_id, user = users[i % len(users)]
            transport = HttpTransport(s, ctx.tokens[user["email"]], ctx.base)
            devices.append(Device(i, tenant_id, user["id"], SyncClient(transport, page_limit=500),
                                  rng=random.Random(i)))  # fmt: skip
        log(f"devices: {n} initial pulls")
        sem = asyncio.Semaphore(20)

        async def first_pull(d: Device) -> None:
            async with sem:
                await d.client.pull()

        t0 = time.perf_counter()
        await asyncio.gather(*(first_pull(d) for d in devices))
        initial_s = time.perf_counter() - t0
        push_r, pull_r = Result("device push", n), Result("device pull", n)
        deadline = time.perf_counter() + duration
        lo, hi = ctx.args.think

        async def loop(d: Device) -> None:
            await asyncio.sleep(d.rng.uniform(0, hi))  # spread the starts
            cycles = 0
            while time.perf_counter() < deadline and cycles < 10_000:
                cycles += 1
                await _cycle(d, push_r, pull_r)
                left = deadline - time.perf_counter()
                await asyncio.sleep(max(0.0, min(d.rng.uniform(lo, hi), left)))

        log(f"devices: {n} devices for {duration:g} s (think {lo:g}-{hi:g} s), poke pair alongside")
        start = time.perf_counter()
        meter = common.CpuMeter(ctx.db, ctx.server_pid)
        await meter.__aenter__()
        poke_task = asyncio.create_task(
            bench_poke(ctx, iterations=10_000, until=deadline, pair_user=1, pause=1.0)
        )
        prof = (
            common.profiled(ctx.server_pid, "devices", min(30.0, duration))
            if ctx.args.profile
            else contextlib.nullcontext()
        )
        async with prof:
            await asyncio.gather(*(loop(d) for d in devices))
        seconds = time.perf_counter() - start
        await meter.__aexit__()
        try:
            poke = await poke_task
        except (SyncHttpError, TransportError, aiohttp.ClientError, TimeoutError) as exc:
            poke = {"error": f"{type(exc).__name__}: {exc}"}
        push_r.seconds = pull_r.seconds = seconds
        log("devices: final push and pull of every device, then the lost-write check")
        final_errors = 0

        async def settle(d: Device) -> None:
            nonlocal final_errors
            async with sem:
                for _ in range(3):
                    try:
                        await d.client.push()
                        await d.client.pull()
                        return
                    except (SyncHttpError, TransportError):
                        final_errors += 1

        await asyncio.gather(*(settle(d) for d in devices))
    check = await _lost_write_check(ctx, devices)
    return {
        "devices": n, "users": len({d.user_id for d in devices}),
        "tenants": len({d.tenant_id for d in devices}), "seconds": round(seconds, 1),
        "think_s": [lo, hi], "initial_pulls_s": round(initial_s, 1),
        "push": push_r.summary(), "pull": pull_r.summary(),
        "errors": push_r.errors + pull_r.errors, "final_sync_errors": final_errors,
        "mutations_sent": sum(d.client.outbox.next_mid - 1 for d in devices),
        "lost_write_check": check, "poke_under_load": poke,
        "cpu_per_request": meter.per_op_ms(push_r.ok + pull_r.ok),
    }  # fmt: skip


async def _lost_write_check(ctx: Ctx, devices: list[Device]) -> dict[str, Any]:
    """Each lead is written by one device only, so its final state must hold, field by field,
    the last acknowledged value that device sent; and that device's store must agree."""
    expected: dict[str, dict[str, Any]] = {}
    acked = unacked = 0
    for d in devices:
        for mid in sorted(d.client.results):
            mutation, result = d.client.results[mid]
            if result.status in ACKED:
                acked += 1
                expected.setdefault(mutation.id, {}).update(mutation.fields)
            else:
                unacked += 1
    sent = sum(d.client.outbox.next_mid - 1 for d in devices)
    never_answered = sent - acked - unacked
    conn = await asyncpg.connect(common.superuser_dsn(ctx.db))  # bypasses RLS: every tenant
    try:
        rows = await conn.fetch(
            "SELECT id::text AS id, name, city, notes, phone FROM leads WHERE id = ANY($1::uuid[])",
            list(expected),
        )
    finally:
        await conn.close()
    found = {r["id"]: dict(r) for r in rows}
    missing = [rid for rid in expected if rid not in found]
    lost = [
        (rid, f) for rid, fields in expected.items() if rid in found
        for f, v in fields.items() if found[rid].get(f) != v
    ]  # fmt: skip
    diverged = 0
    for d in devices:
        synced = d.client.synced("lead")
        for rid in d.own:
            rec = synced.get(rid)
            if rid in found and (
                rec is None or any(rec.get(f) != found[rid][f] for f in ("name", "notes", "phone"))
            ):
                diverged += 1
    return {
        "acknowledged_mutations": acked, "rejected_or_duplicate": unacked,
        "never_answered": never_answered, "records_checked": len(expected),
        "missing_records": len(missing), "lost_field_writes": len(lost),
        "device_records_differing_from_db": diverged, "examples": (missing + lost)[:5],
    }  # fmt: skip


async def bench_poke(
    ctx: Ctx, iterations: int, until: float | None = None, pair_user: int = 1, pause: float = 0.3
) -> dict[str, Any]:
    """Writer pushes, watcher (on the WebSocket) gets the poke, pulls, sees the value."""
    tenant = ctx.manifest["tenants"][0]
    user = tenant["device_users"][pair_user]
    token = ctx.tokens[user["email"]]
    totals, poke_times, push_times, misses = [], [], [], 0
    async with ctx.session() as s:
        watcher = SyncClient(HttpTransport(s, token, ctx.base), page_limit=500)
        writer = SyncClient(HttpTransport(s, token, ctx.base), page_limit=500)
        rid = writer.create("lead", {"name": "Poke target", "notes": "v0"})
        await writer.push()
        await watcher.pull()
        await writer.pull()
        pokes: asyncio.Queue[float] = asyncio.Queue()
        protocols = ("pathsix.sync.v1", f"bearer.{token}")
        async with s.ws_connect(f"{ctx.base}{WS}", protocols=protocols, heartbeat=20) as ws:
            try:
                hello = await ws.receive_json(timeout=30)
            except TimeoutError:
                return {"error": "the WebSocket did not say ready within 30 s"}
            if hello.get("type") != "ready":
                return {"error": f"WebSocket refused: {hello}"}

            async def reader() -> None:
                async for msg in ws:
                    if msg.type == aiohttp.WSMsgType.TEXT and '"poke"' in msg.data:
                        pokes.put_nowait(time.perf_counter())

            reading = asyncio.create_task(reader())
            try:
                for i in range(iterations):
                    if until is not None and time.perf_counter() > until:
                        break
                    value = f"v{i + 1}"
                    while not pokes.empty():
                        pokes.get_nowait()
                    writer.update("lead", rid, {"notes": value})
                    t0 = time.perf_counter()
                    await writer.push()
                    push_times.append(time.perf_counter() - t0)
                    seen = await _until_visible(watcher, pokes, rid, value, t0, poke_times)
                    if seen is None:
                        misses += 1
                    else:
                        totals.append(seen - t0)
                    await writer.pull()  # lets the writer's outbox drain
                    await asyncio.sleep(pause)
            finally:
                reading.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reading
    return {
        "iterations": len(totals) + misses, "not_visible_within_5s": misses,
        "poke_to_visible_p50_ms": round(percentile(totals, 50), 1),
        "poke_to_visible_p95_ms": round(percentile(totals, 95), 1),
        "poke_to_visible_max_ms": round(max(totals) * 1000, 1) if totals else None,
        "push_p50_ms": round(percentile(push_times, 50), 1),
        "poke_arrival_p50_ms": round(percentile(poke_times, 50), 1),
        "poke_arrival_p95_ms": round(percentile(poke_times, 95), 1),
    }  # fmt: skip


async def _until_visible(
    watcher: SyncClient, pokes: asyncio.Queue[float], rid: str, value: str, t0: float,
    poke_times: list[float],
) -> float | None:  # fmt: skip
    first = True
    while time.perf_counter() - t0 < 5:
        try:
            at = await asyncio.wait_for(
                pokes.get(), timeout=max(0.01, 5 - (time.perf_counter() - t0))
            )
        except TimeoutError:
            return None
        if first:
            poke_times.append(at - t0)
            first = False
        await watcher.pull()
        if watcher.synced("lead").get(rid, {}).get("notes") == value:
            return time.perf_counter()
    return None


# Running -----------------------------------------------------------------------------------------


@dataclass
class Ctx:
    args: argparse.Namespace
    manifest: dict[str, Any]
    base: str
    tokens: dict[str, str]
    server_pid: int

    @property
    def db(self) -> str:
        return str(self.manifest["db"])

    def session(self) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(self.base, timeout=aiohttp.ClientTimeout(total=120))


async def run(args: argparse.Namespace) -> dict[str, Any]:
    manifest = await ensure_seeded(args.quick)
    info = common.machine()
    out: dict[str, Any] = {"benchmark": "sync", "machine": info, "quick": args.quick,
                           "db": manifest["db"]}  # fmt: skip
    label = "server-" + _name(args)
    async with common.running_server(manifest["db"], label) as server:
        emails = [t["admin"]["email"] for t in manifest["tenants"]]
        emails += [u["email"] for t in manifest["tenants"] for u in t["device_users"]]
        tokens = await common.login_all(server.base, emails, manifest["password"])
        ctx = Ctx(args, manifest, server.base, tokens, server.process.pid)
        if "push" in args.only:
            out["push"] = await bench_push(ctx)
        if "initial" in args.only:
            out["initial"] = await bench_initial(ctx)
        if "poke" in args.only:
            log(f"poke-to-visible, idle server: {args.poke_iterations} iterations")
            out["poke_idle"] = await bench_poke(ctx, args.poke_iterations)
        if "devices" in args.only:
            out["devices"] = await bench_devices(ctx)
        out["server_slow_queries"] = len(server.slow_queries())
    return out


def render(out: dict[str, Any]) -> str:
    parts = [common.machine_line(out["machine"]) + f" · database {out['db']}"]
    if "push" in out:
        parts.append("**Push throughput** (changesets of 100 lead mutations: creates, then half "
                     "creates half updates)\n\n" + common.table(
            ("config", "pushes ok", "errors", "push p50 ms", "push p95 ms", "API mut/s",
             "server CPU ms/mut", "PG CPU ms/mut", "raw mut/s", "raw+log mut/s",
             "raw+log PG CPU ms/mut", "API/raw", "API/raw+log"),
            [(r["config"], r["api"]["ok"], r["api"]["errors"], r["api"]["p50_ms"],
              r["api"]["p95_ms"], r["api_mutations_per_s"], r["api"]["server_cpu_ms_per_op"],
              r["api"]["db_cpu_ms_per_op"], r["raw_mutations_per_s"],
              r["raw+log_mutations_per_s"], r["raw"]["raw+log"]["db_cpu_ms_per_op"],
              r["ratio_api_raw"], r["ratio_api_raw_log"])
             for r in out["push"]],
        ))  # fmt: skip
    if "initial" in out:
        i = out["initial"]
        rows = [
            (
                "HTTP, JSON decoded",
                i["http"]["records"],
                i["http"]["pages"],
                i["http"]["seconds"],
                i["http"]["records_per_s"],
            )
        ]
        if "reference_client" in i:
            r = i["reference_client"]
            rows.append(
                ("reference client", r["records"], r["pages"], r["seconds"], r["records_per_s"])
            )
        rows.append(("raw asyncpg pages", i["raw"]["records"], i["raw"]["pages"],
                     i["raw"]["seconds"], i["raw"]["records_per_s"]))  # fmt: skip
        parts.append(
            f"**Initial sync** of {i['user']} (pages of {i['page_limit']}; page p50 "
            f"{i['http']['page_p50_ms']} ms, p95 {i['http']['page_p95_ms']} ms; server CPU "
            f"{i['http']['server_cpu_us_per_record']} µs and PostgreSQL CPU "
            f"{i['http']['db_cpu_us_per_record']} µs per record; HTTP/raw "
            f"{i['ratio_http_raw']})\n\n"
            + common.table(("path", "records", "pages", "seconds", "records/s"), rows)
        )
    if "devices" in out:
        d = out["devices"]
        c = d["lost_write_check"]
        parts.append(
            f"**{d['devices']} devices** ({d['users']} users, {d['tenants']} tenants, "
            f"{d['seconds']} s, think {d['think_s'][0]}-{d['think_s'][1]} s; server CPU "
            f"{d['cpu_per_request'].get('server_cpu_ms_per_op')} ms and PostgreSQL CPU "
            f"{d['cpu_per_request']['db_cpu_ms_per_op']} ms per request)\n\n"
            + common.table(
                ("op", "ok", "errors", "per s", "p50 ms", "p95 ms", "p99 ms"),
                [(k, d[k]["ok"], d[k]["errors"], d[k]["per_second"], d[k]["p50_ms"],
                  d[k]["p95_ms"], d[k]["p99_ms"]) for k in ("push", "pull")],
            )
            + f"\n\nLost-write check: {c['acknowledged_mutations']} acknowledged mutations on "
            f"{c['records_checked']} records: {c['missing_records']} missing records, "
            f"{c['lost_field_writes']} lost field writes; {c['never_answered']} never answered; "
            f"{c['device_records_differing_from_db']} device records differing from the database "
            f"after the final sync; errors {d['errors']} (final sync {d['final_sync_errors']})."
        )  # fmt: skip
    pokes = [(k, out[k]) for k in ("poke_idle",) if k in out]
    if "devices" in out:
        pokes.append(("under the device load", out["devices"]["poke_under_load"]))
    for name, p in list(pokes):
        if "error" in p:
            parts.append(f"Poke-to-visible ({name}): not measured: {p['error']}")
            pokes.remove((name, p))
    if pokes:
        parts.append("**Poke-to-visible** (writer push → poke on the watcher's WebSocket → "
                     "watcher pull has the value)\n\n" + common.table(
            ("when", "iterations", "p50 ms", "p95 ms", "max ms", "not visible in 5 s",
             "poke arrival p50 ms", "push p50 ms"),
            [("idle" if k == "poke_idle" else k, p["iterations"], p["poke_to_visible_p50_ms"],
              p["poke_to_visible_p95_ms"], p["poke_to_visible_max_ms"],
              p["not_visible_within_5s"], p["poke_arrival_p50_ms"], p["push_p50_ms"])
             for k, p in pokes],
        ))  # fmt: skip
    return "\n\n".join(parts)


def _name(args: argparse.Namespace) -> str:
    return "sync" + ("-quick" if args.quick else "") + (f"-{args.tag}" if args.tag else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small data set, short runs")
    parser.add_argument(
        "--only",
        nargs="+",
        default=["push", "initial", "poke", "devices"],
        choices=["push", "initial", "poke", "devices"],
    )
    parser.add_argument("--push-duration", type=float, default=None)
    parser.add_argument("--raw-duration", type=float, default=None)
    parser.add_argument("--page", type=int, default=1000, help="pull page size (max 1000)")
    parser.add_argument("--initial-timeout", type=float, default=240.0)
    parser.add_argument(
        "--no-client-initial",
        dest="client_initial",
        action="store_false",
        help="skip the initial sync through the reference client",
    )
    parser.add_argument("--devices", type=int, default=None)
    parser.add_argument("--devices-duration", type=float, default=None)
    parser.add_argument("--think", type=float, nargs=2, default=None, metavar=("MIN", "MAX"))
    parser.add_argument("--poke-iterations", type=int, default=None)
    parser.add_argument("--tag", default="", help="suffix of the results file names")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="py-spy the server during the 1-device push, the initial sync, the devices",
    )
    args = parser.parse_args()  # fmt: skip
    q = args.quick
    defaults = {"push_duration": 5.0 if q else 15.0, "raw_duration": 3.0 if q else 6.0,
                "devices": 40 if q else 200, "devices_duration": 15.0 if q else 60.0,
                "think": [2.0, 8.0], "poke_iterations": 10 if q else 30}  # fmt: skip
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    out = asyncio.run(run(args))
    out["args"] = vars(args)
    path = common.write_results(_name(args), out)
    print(render(out))
    print(f"\nJSON: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
