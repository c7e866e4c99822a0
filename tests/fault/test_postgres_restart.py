"""PostgreSQL restarted under load: device loops push and pull against a real server process
while the database restarts (fast shutdown: every session is terminated).

Only requests in flight around the outage fail (a 5xx in the error shape, or a connection error);
the service is back within 10 s with no restart of its own (the pool pre-pings); and no push is
partially applied: a retried batch answers all ``applied`` (it never committed) or all
``duplicate`` (it committed, the answer was lost), and the database holds every mutation exactly
once.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.fault.servers import (
    REDIS_SHARED_URL,
    Device,
    FaultDatabase,
    PgWatch,
    RequestFailed,
    login,
    make_tenant,
    restart_postgres,
    server_process,
    wait_pg_ready,
)

pytestmark = pytest.mark.postgres_only

DEVICES = 8
WARM_UP = 1.5  # seconds of load before the restart
AFTER = 3.0  # seconds of load after the service is back
HARD_DEADLINE = 60.0
RECOVERY_LIMIT = 10.0
GRACE = 0.5  # a request started this long after PostgreSQL accepts connections again must succeed
ERROR_KEYS = {"error", "code", "details"}


@dataclass
class Stats:
    failures: list[RequestFailed] = field(default_factory=list)
    successes: list[tuple[float, float]] = field(default_factory=list)  # (started, ended)
    batches: list[tuple[str, str, str]] = field(default_factory=list)  # (lead id, phone, city)
    retried_statuses: Counter[str] = field(default_factory=Counter)


async def with_retry(
    device: Device, stats: Stats, path: str, body: dict[str, Any]
) -> dict[str, Any]:
    """Send until answered: connection errors and 5xx are retried (bounded by the deadline)."""
    deadline = time.monotonic() + HARD_DEADLINE
    while True:
        started = time.monotonic()
        try:
            status, answer = await device.post(path, body)
        except RequestFailed as failed:
            if failed.status is not None:  # a 5xx answers in the one error shape
                assert isinstance(failed.body, dict) and set(failed.body) == ERROR_KEYS, failed
            stats.failures.append(failed)
            assert time.monotonic() < deadline, "service did not come back"
            await asyncio.sleep(0.05)
            continue
        assert status == 200, answer
        stats.successes.append((started, time.monotonic()))
        return dict(answer)


async def device_loop(device: Device, stats: Stats, stop: asyncio.Event) -> None:
    """create + two updates per batch, then an incremental pull; until told to stop."""
    for _ in range(10_000):
        if stop.is_set():
            return
        lead = str(uuid.uuid4())
        tag = f"{uuid.uuid4().int % 10**7:07d}"
        mutations = [
            device.mutation("lead", lead, "create", name=f"Load {tag}"),
            device.mutation("lead", lead, "update", phone=f"555-{tag}"),
            device.mutation("lead", lead, "update", city=f"City {tag}"),
        ]
        failures_before = len(stats.failures)
        result = await with_retry(device, stats, "/api/v1/sync/push", device.push_body(mutations))
        statuses = {r["status"] for r in result["results"]}
        # All or nothing: never some mutations of a batch applied and the rest not.
        assert statuses in ({"applied"}, {"duplicate"}), json.dumps(result)
        if len(stats.failures) > failures_before:
            stats.retried_statuses.update(statuses)
        stats.batches.append((lead, f"555-{tag}", f"City {tag}"))
        assert result["last_mutation_id"] == device.next_mid - 1
        page = await with_retry(
            device,
            stats,
            "/api/v1/sync/pull",
            {"client_id": device.client_id, "schema_version": 1, "cursor": device.cursor},
        )
        device.cursor = page["cursor"]
        # Pull atomicity: the device's own mutations up to last_mutation_id are all in.
        assert page["last_mutation_id"] == device.next_mid - 1


async def test_postgres_restart_under_load(fault_db: FaultDatabase, tmp_path: Path) -> None:
    tenant = await make_tenant(fault_db, n_users=DEVICES)
    stats: dict[str, Stats] = {}
    async with (
        server_process(fault_db, REDIS_SHARED_URL, tmp_path) as server,
        aiohttp.ClientSession() as http,
    ):
        devices = []
        for user in tenant.users:
            token = await login(http, server.url, user.email)
            devices.append(Device(http, server.url, token))
            stats[devices[-1].client_id] = Stats()
        stop = asyncio.Event()
        loops = [asyncio.create_task(device_loop(d, stats[d.client_id], stop)) for d in devices]
        try:
            await asyncio.sleep(WARM_UP)
            watch = PgWatch()
            restart_started = time.monotonic()
            watch.start()
            try:
                await asyncio.to_thread(restart_postgres)
            finally:
                await asyncio.to_thread(wait_pg_ready, 60)
                await asyncio.to_thread(watch.stop)
            restart_done = time.monotonic()
            assert watch.down_at is not None and watch.up_at is not None, "restart not observed"
            pg_ready_at = watch.up_at
            # Load goes on until every device has succeeded after the restart, then a while more.
            deadline = time.monotonic() + HARD_DEADLINE
            while not all(
                any(start > pg_ready_at for start, _ in s.successes) for s in stats.values()
            ):
                assert time.monotonic() < deadline, "devices did not recover"
                assert not any(t.done() for t in loops), [t.exception() for t in loops if t.done()]
                await asyncio.sleep(0.05)
            await asyncio.sleep(AFTER)
        finally:
            stop.set()
            done = await asyncio.wait_for(asyncio.gather(*loops, return_exceptions=True), 60)
        for outcome in done:
            if isinstance(outcome, BaseException):
                raise outcome

    failures = [f for s in stats.values() for f in s.failures]
    assert failures, "the restart should have failed some in-flight requests"
    last_failure_end = max(f.ended for f in failures)
    back_at = min(
        end for s in stats.values() for start, end in s.successes if start >= last_failure_end
    )
    recovery = back_at - restart_started
    after_pg_ready = back_at - pg_ready_at
    late = [f for f in failures if f.started > pg_ready_at + GRACE]
    kinds = Counter(str(f.status) if f.status else "connection" for f in failures)
    retried = sum((s.retried_statuses for s in stats.values()), Counter[str]())
    print(
        f"\nPostgreSQL restart: down {watch.down_at - restart_started:.2f} s after the restart "
        f"began, accepting again at {pg_ready_at - restart_started:.2f} s (pg_ctlcluster returned "
        f"at {restart_done - restart_started:.2f} s); service back at {recovery:.2f} s "
        f"({after_pg_ready:+.2f} s after PostgreSQL accepted connections); "
        f"{len(failures)} failed requests {dict(kinds)}; retried batches ended {dict(retried)}; "
        f"{sum(len(s.batches) for s in stats.values())} batches acknowledged"
    )
    assert recovery < RECOVERY_LIMIT, f"service back after {recovery:.2f} s"
    # Only what was in flight around the outage fails: nothing started once PostgreSQL was back.
    assert not late, [(f.started - pg_ready_at, f.status, f.body) for f in late]

    # Exactly once, in the database: every acknowledged batch is there once, with all its fields,
    # and each device's counter is its last mid, with one change-log row per mid.
    rows = await fault_db.aquery(
        "SELECT id::text, phone, city FROM leads WHERE tenant_id = %s", (str(tenant.tenant_id),)
    )
    stored = {row[0]: (row[1], row[2]) for row in rows}
    expected = {lead: (phone, city) for s in stats.values() for lead, phone, city in s.batches}
    assert stored == expected
    for device in devices:
        counters = await fault_db.aquery(
            "SELECT last_mutation_id FROM sync_clients WHERE tenant_id = %s AND id = %s",
            (str(tenant.tenant_id), device.client_id),
        )
        assert counters == [(device.next_mid - 1,)]
        mids = await fault_db.aquery(
            "SELECT mid FROM change_log WHERE tenant_id = %s AND client_id = %s ORDER BY seq",
            (str(tenant.tenant_id), device.client_id),
        )
        assert [m for (m,) in mids] == list(range(1, device.next_mid))
