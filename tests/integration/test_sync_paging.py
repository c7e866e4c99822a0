"""Paged initial sync and resets (SYNC.md "Pull").

A first sync of ~60 records seven at a time, with other people writing between the pages
(edits, creates, trash, a reassignment away from and one towards the device's user, a purge),
lands exactly on the server's state, and the device shows nothing of it until the last page.
A cursor that is garbage, another device's or user's, or older than the tombstone horizon
answers ``reset: true`` and a full snapshot; the reference client then drops its pulled records
but never its outbox.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp.test_utils import TestClient

from sync_server.client import HttpTransport, SyncClient, Transport
from tests.property import oracle
from tests.property.world import compact_change_log, device_for
from tests.support.records import make, url
from tests.support.tenants import Actor, TenantHandle

Hook = Callable[[int, dict[str, Any]], Awaitable[None]]


class BetweenPages:
    """A transport that runs ``hook`` after every pull page that announces more pages."""

    def __init__(self, inner: Transport, hook: Hook) -> None:
        self.inner = inner
        self.hook = hook
        self.pages = 0

    async def post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        status, answer = await self.inner.post(path, body)
        if path.endswith("/pull") and status == 200:
            self.pages += 1
            if answer["has_more"]:
                await self.hook(self.pages, answer)
        return status, answer


async def _populate(u: Actor, n: int) -> list[dict[str, Any]]:
    made = []
    for i in range(n):
        lead = await make(u, "lead", name=f"Lead {i}")
        client = await make(u, "client", name=f"Client {i}")
        made += [lead, client]
        made.append(await make(u, "contact", lead_id=lead["id"]))
        made.append(await make(u, "interaction", client_id=client["id"]))
        made.append(await make(u, "project", client_id=client["id"]))
        made.append(await make(u, "note", entity="client", entity_id=client["id"]))
        made.append(await make(u, "account", client_id=client["id"]))
        made.append(await make(u, "subscription", client_id=client["id"]))
    return made


async def test_paged_first_sync_is_complete_and_consistent_under_writes(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    u0, u1 = tenant.users
    made = await _populate(u0, 8)
    theirs = await make(u1, "lead", name="Comes to u0 mid-snapshot")
    leads, clients = made[0::8], made[1::8]  # _populate makes 8 records per round
    seen_before_end: list[int] = []
    counter = itertools.count()

    async def meddle(page: int, _answer: dict[str, Any]) -> None:
        seen_before_end.append(sum(len(t) for t in device.store.records.values()))
        i = next(counter)
        if i < len(leads):
            r = await u0.patch(url("lead", leads[i]["id"]), json={"phone": f"555-01{i:02d}"})
            assert r.status == 200
        if i == 1:
            await make(u0, "lead", name="Born mid-snapshot")
        if i == 2:
            r = await u0.delete(url("client", clients[0]["id"]))
            assert r.status == 200
        if i == 3:  # u0 hands a client (and everything under it) to u1: u0 keeps it (creator)
            r = await u0.patch(url("client", clients[1]["id"]),
                               json={"assigned_to": str(u1.user_id)})  # fmt: skip
            assert r.status == 200
        if i == 4:  # u1 shares a lead with u0 (new visibility mid-snapshot)
            r = await u1.patch(url("lead", theirs["id"]), json={"assigned_to": str(u0.user_id)})
            assert r.status == 200
        if i == 5:
            r = await u0.delete(url("client", clients[2]["id"]))
            assert r.status == 200
            r = await tenant.admin.delete(f"/api/v1/trash/client/{clients[2]['id']}")
            assert r.status == 204

    pager = BetweenPages(HttpTransport(u0.client, u0.token), meddle)
    device = SyncClient(pager, page_limit=7)
    summary = await device.pull()
    assert summary.pages >= 9 and pager.pages == summary.pages
    assert set(seen_before_end) == {0}, "pages were applied before the snapshot was complete"
    records = await oracle.tenant_records(client, tenant.tenant_id)
    expected = oracle.visible_view(records, u0.user_id)
    assert device.view() == expected
    assert sum(len(t) for t in expected.values()) >= 60
    assert theirs["id"] in expected["lead"] and clients[2]["id"] not in expected["client"]
    assert device.base_seq == summary.server_seq
    again = await device.pull()
    assert again.changes == [] and device.view() == expected


async def test_every_page_of_a_snapshot_is_within_the_limit(tenant: TenantHandle) -> None:
    u0 = tenant.users[0]
    await _populate(u0, 2)
    body: dict[str, Any] = {"client_id": str(uuid.uuid4()), "schema_version": 1, "limit": 7}
    ids: list[str] = []
    while True:
        r = await u0.post("/api/v1/sync/pull", json=body)
        page = await r.json()
        assert len(page["changes"]) <= 7 and not page["reset"]
        ids += [c["id"] for c in page["changes"]]
        body["cursor"] = page["cursor"]
        if not page["has_more"]:
            break
    assert len(ids) == len(set(ids))  # no record twice in a quiet snapshot


async def _reset_case(device: SyncClient, cursor: str, expected: dict[str, Any],
                      pending: str) -> None:  # fmt: skip
    device.cursor = cursor
    summary = await device.pull()
    assert summary.reset and summary.snapshot
    assert [m.id for m in device.pending] == [pending]  # the outbox survives a reset
    view = device.view()
    assert view["lead"].pop(pending)["name"] == "Offline"  # rebased on top of the snapshot
    assert view == expected


async def test_unusable_cursors_reset_and_keep_the_outbox(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    u0, u1 = tenant.users
    await _populate(u0, 1)
    a, a2, b = device_for(u0), device_for(u0), device_for(u1)
    for dev in (a, a2, b):
        await dev.client.pull()
    pending = a.client.create("lead", {"name": "Offline"})
    records = await oracle.tenant_records(client, tenant.tenant_id)
    expected = oracle.visible_view(records, u0.user_id)
    cases = {
        "garbage": "not-a-cursor",
        "tampered": (a.client.cursor or "")[:-3] + "xyz",
        "another device": a2.client.cursor or "",
        "another user": b.client.cursor or "",
    }
    for name, cursor in cases.items():
        assert cursor != a.client.cursor, name
        await _reset_case(a.client, cursor, expected, pending)
    await a.client.sync()
    assert a.client.pending == [] and a.client.view()["lead"][pending]["name"] == "Offline"


async def test_a_cursor_older_than_the_tombstone_horizon_resets(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    u0 = tenant.users[0]
    made = await _populate(u0, 1)
    dev = device_for(u0)
    await dev.client.pull()
    old_cursor = dev.client.cursor
    # Changes the device misses, among them a purge whose tombstone compaction throws away.
    r = await u0.delete(url("client", made[1]["id"]))
    assert r.status == 200
    r = await tenant.admin.delete(f"/api/v1/trash/client/{made[1]['id']}")
    assert r.status == 204
    await make(u0, "lead", name="After")
    pending = dev.client.create("lead", {"name": "Offline"})
    horizon = await compact_change_log(client, tenant.tenant_id)
    assert horizon > dev.client.base_seq
    records = await oracle.tenant_records(client, tenant.tenant_id)
    assert old_cursor is not None
    await _reset_case(dev.client, old_cursor, oracle.visible_view(records, u0.user_id), pending)
    assert made[1]["id"] not in dev.client.view()["client"]  # the purge still arrived
    # A cursor made after compaction is fine.
    assert not (await dev.client.pull()).reset


async def test_compaction_in_the_middle_of_a_snapshot_restarts_it(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    u0 = tenant.users[0]
    await _populate(u0, 2)

    async def compact_once(page: int, _answer: dict[str, Any]) -> None:
        if page == 2:
            await make(u0, "lead", name="Then compacted")
            await compact_change_log(client, tenant.tenant_id)

    device = SyncClient(BetweenPages(HttpTransport(u0.client, u0.token), compact_once),
                        page_limit=5)  # fmt: skip
    summary = await device.pull()
    assert summary.reset
    records = await oracle.tenant_records(client, tenant.tenant_id)
    assert device.view() == oracle.visible_view(records, u0.user_id)
