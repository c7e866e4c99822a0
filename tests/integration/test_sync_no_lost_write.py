"""SYNC.md guarantee 2, Jepsen-style: many devices add unique values at once, over a network
that loses requests and responses, and afterwards every value is accounted for.

Six devices of two users (a lead and a client shared between them) run concurrently: each adds
interactions and notes with unique text (a grow-only set: every one must exist at the end,
acknowledged or not, since devices retry until their outbox drains) and sets the shared lead's
phone to unique values (last-writer-wins: every acknowledged value must be the stored one, be
kept in a conflict record as an auto-resolved loser, or have been overwritten by a write that had
seen it). Pushes and pulls interleave at random; a fixed seed keeps runs reproducible.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any

from aiohttp.test_utils import TestClient

from sync_server.client import TransportError
from sync_server.db.models import Conflict
from tests.property import oracle
from tests.property.world import Device, device_for, settle
from tests.support.records import db_rows, make
from tests.support.tenants import TenantHandle

OPS_PER_DEVICE = 30
WHEN = "2024-05-01T12:00:00Z"


async def _network(dev: Device, rng: random.Random) -> None:
    """One round of network activity, some of it lost."""
    roll = rng.random()
    if roll < 0.15:
        dev.lossy.drop_responses("/push")
    elif roll < 0.25:
        dev.lossy.drop_requests("/push")
    elif roll < 0.35:
        dev.lossy.drop_responses("/pull")
    try:
        if rng.random() < 0.6:
            await dev.client.push()
        if rng.random() < 0.5:
            await dev.client.pull()
    except TransportError:
        pass
    finally:
        dev.lossy.clear()


async def _work(i: int, dev: Device, lead: str, client: str, added: set[str]) -> None:
    rng = random.Random(1000 + i)
    for n in range(OPS_PER_DEVICE):
        tag = f"d{i}-{n}"
        kind = rng.choice(("interaction", "note", "phone", "phone"))
        if kind == "interaction":
            dev.client.create("interaction", {"client_id": client, "contact_date": WHEN,
                                              "summary": tag, "type": "visit"})  # fmt: skip
            added.add(tag)
        elif kind == "note":
            dev.client.create("note", {"entity": "lead", "entity_id": lead, "body": tag})
            added.add(tag)
        else:
            dev.client.update("lead", lead, {"phone": f"555-{i}{n:03d}"})
        if rng.random() < 0.5:
            await _network(dev, rng)
        await asyncio.sleep(0)


async def test_no_acknowledged_write_is_lost(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    u0, u1 = tenant.users
    lead = await make(u0, "lead", name="Shared", assigned_to=str(u1.user_id))
    shared = await make(u0, "client", name="Shared", assigned_to=str(u1.user_id))
    devices = [device_for(u) for u in (u0, u1, u0, u1, u0, u1)]
    for dev in devices:
        await dev.client.pull()
    added: set[str] = set()
    await asyncio.gather(
        *(_work(i, dev, lead["id"], shared["id"], added) for i, dev in enumerate(devices))
    )
    await settle(devices)
    assert sum(d.lossy.lost_responses for d in devices) >= 5  # the faults really happened

    records = await oracle.tenant_records(client, tenant.tenant_id)
    stored = {r["summary"] for r in records["interaction"].values()}
    stored |= {r["body"] for r in records["note"].values()}
    assert added <= stored, f"lost: {sorted(added - stored)}"

    conflicts: list[Conflict] = await db_rows(client, tenant.tenant_id, Conflict)
    rows = await oracle.change_rows(client, tenant.tenant_id)
    clients = [d.client for d in devices]
    phones = [w for w in oracle.applied_writes(clients, rows) if w.field == "phone" and w.typed]
    assert len(phones) >= 20
    assert oracle.lost_writes(clients, rows, records, conflicts) == []
    assert any(c.status == "auto_resolved" for c in conflicts)  # concurrency really happened
    for dev in devices:
        assert dev.client.view() == oracle.visible_view(records, dev.actor.user_id)
