"""A server SIGKILLed in the middle of a push, at an exact point (sync_server/failpoints.py):
the device's retry against the restarted server applies every mutation exactly once (SYNC.md:
"a crash before commit applies nothing; a crash after commit makes the retry a duplicate")."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.fault.servers import (
    REDIS_SHARED_URL,
    Device,
    FaultDatabase,
    RequestFailed,
    ServerProcess,
    login,
    make_tenant,
    server_process,
)

pytestmark = pytest.mark.postgres_only


def batch(device: Device) -> tuple[list[dict[str, Any]], str, str]:
    """create lead A, update A, create lead B: three mutations, two records."""
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    mutations = [
        device.mutation("lead", a, "create", name="Crash lead A", phone="555-0001"),
        device.mutation("lead", a, "update", phone="555-0002", city="Springfield"),
        device.mutation("lead", b, "create", name="Crash lead B"),
    ]
    return mutations, a, b


async def stored(db: FaultDatabase, tenant_id: uuid.UUID, device: Device) -> dict[str, Any]:
    """What PostgreSQL really holds for this device (read as the superuser, no RLS)."""
    leads = await db.aquery(
        "SELECT id::text, name, phone, city, version FROM leads WHERE tenant_id = %s ORDER BY name",
        (str(tenant_id),),
    )
    clients = await db.aquery(
        "SELECT last_mutation_id FROM sync_clients WHERE tenant_id = %s AND id = %s",
        (str(tenant_id), device.client_id),
    )
    log = await db.aquery(
        "SELECT mid, seq, record_id::text FROM change_log WHERE tenant_id = %s AND client_id = %s"
        " ORDER BY seq",
        (str(tenant_id), device.client_id),
    )
    return {
        "leads": leads,
        "last_mutation_id": clients[0][0] if clients else None,
        "log": log,
    }


async def crash_at(server: ServerProcess, device: Device, body: dict[str, Any], point: str) -> None:
    """Send the push, wait until the server is parked at ``point``, SIGKILL it: the device gets
    no answer."""
    sent = asyncio.create_task(device.post("/api/v1/sync/push", body))
    try:
        await server.wait_for_failpoint(point)
    finally:
        server.kill()
    with pytest.raises(RequestFailed) as failed:
        await asyncio.wait_for(sent, 15)
    assert failed.value.status is None, "the killed server must not have answered"


def assert_exactly_once(state: dict[str, Any], a: str, b: str, push_results: list[Any]) -> None:
    assert state["last_mutation_id"] == 3
    by_id = {row[0]: row for row in state["leads"]}
    assert sorted(by_id) == sorted([a, b]), state["leads"]
    _, name_a, phone_a, city_a, version_a = by_id[a]
    assert (name_a, phone_a, city_a) == ("Crash lead A", "555-0002", "Springfield")
    # One change-log row per mutation, each mid once, in mid order (seq order = commit order).
    assert [row[0] for row in state["log"]] == [1, 2, 3], state["log"]
    seq_of = {row[0]: row[1] for row in state["log"]}
    assert version_a == seq_of[2]  # the record's version is the seq of its last write
    assert by_id[b][4] == seq_of[3]
    if push_results:
        assert [r.get("seq") for r in push_results] == [seq_of[1], seq_of[2], seq_of[3]]


async def fresh_pull_shows_once(device: Device, a: str, b: str) -> None:
    """A fresh snapshot (a new device of the same user state) shows each record once."""
    changes = await device.pull(fresh=True)
    leads = [c for c in changes if c["entity"] == "lead"]
    assert sorted(c["id"] for c in leads) == sorted([a, b])
    assert device.last_mutation_id == 3
    record_a = device.records[("lead", a)]
    assert (record_a["phone"], record_a["city"]) == ("555-0002", "Springfield")


async def test_sigkill_before_commit_then_retry_applies_once(
    fault_db: FaultDatabase, tmp_path: Path
) -> None:
    tenant = await make_tenant(fault_db, n_users=1)
    async with (
        server_process(fault_db, REDIS_SHARED_URL, tmp_path, "push.before_commit") as server,
        aiohttp.ClientSession() as http,
    ):
        device = Device(http, server.url, await login(http, server.url, tenant.users[0].email))
        await device.pull()  # registers the device (a committed transaction of its own)
        mutations, a, b = batch(device)
        body = device.push_body(mutations)

        await crash_at(server, device, body, "push.before_commit")
        state = await stored(fault_db, tenant.tenant_id, device)
        assert state == {"leads": [], "last_mutation_id": 0, "log": []}, "nothing committed"

        await server.restart(PATHSIX_FAILPOINTS="")
        status, result = await device.post("/api/v1/sync/push", body)
        assert status == 200, result
        assert [r["status"] for r in result["results"]] == ["applied"] * 3
        assert result["last_mutation_id"] == 3
        state = await stored(fault_db, tenant.tenant_id, device)
        assert_exactly_once(state, a, b, result["results"])

        # And once more: a replay of the same push is all duplicates, nothing changes.
        status, again = await device.post("/api/v1/sync/push", body)
        assert [r["status"] for r in again["results"]] == ["duplicate"] * 3
        assert await stored(fault_db, tenant.tenant_id, device) == state
        await fresh_pull_shows_once(device, a, b)


async def test_sigkill_after_commit_then_retry_is_duplicate(
    fault_db: FaultDatabase, tmp_path: Path
) -> None:
    tenant = await make_tenant(fault_db, n_users=1)
    async with (
        server_process(fault_db, REDIS_SHARED_URL, tmp_path, "push.after_commit") as server,
        aiohttp.ClientSession() as http,
    ):
        device = Device(http, server.url, await login(http, server.url, tenant.users[0].email))
        await device.pull()
        mutations, a, b = batch(device)
        body = device.push_body(mutations)

        await crash_at(server, device, body, "push.after_commit")
        committed = await stored(fault_db, tenant.tenant_id, device)
        assert_exactly_once(committed, a, b, [])  # the effects are in, the answer was lost

        await server.restart(PATHSIX_FAILPOINTS="")
        status, result = await device.post("/api/v1/sync/push", body)
        assert status == 200, result
        assert [r["status"] for r in result["results"]] == ["duplicate"] * 3
        assert [r["mid"] for r in result["results"]] == [1, 2, 3]
        assert result["last_mutation_id"] == 3
        assert await stored(fault_db, tenant.tenant_id, device) == committed
        await fresh_pull_shows_once(device, a, b)

        # The queue goes on after the crash: the next mutation is mid 4 and applies.
        status, nxt = await device.post(
            "/api/v1/sync/push",
            device.push_body([device.mutation("lead", b, "update", phone="555-0444")]),
        )
        assert status == 200, nxt
        assert [r["status"] for r in nxt["results"]] == ["applied"]
        assert nxt["last_mutation_id"] == 4
