"""SYNC.md guarantee 4: a pull that reports ``last_mutation_id = k`` contains the effects of
mutation ``k`` and none of ``k + 1``, while pushes of the same device commit concurrently.

Mutation ``k`` sets the lead's notes to ``"v{k}"`` (mid 1 creates it), so every pull answer can
be checked against the one value it must show. Three pullers race one pusher: full snapshots,
incremental pulls from a cursor, and the reference client paging two changes at a time (its
state is checked only after the last page, as it applies pages atomically).
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from aiohttp.test_utils import TestClient

from sync_server.client import HttpTransport, SyncClient
from sync_server.db.models import SyncClient as DeviceRow
from tests.support.records import db_rows
from tests.support.tenants import Actor, TenantHandle

PUSH, PULL = "/api/v1/sync/push", "/api/v1/sync/pull"
ROUNDS = 60


def _mutation(mid: int, lead: str) -> dict[str, Any]:
    op, fields = ("create", {"name": "Raced"}) if mid == 1 else ("update", {})
    fields["notes"] = f"v{mid}"
    return {"mid": mid, "entity": "lead", "id": lead, "op": op, "base_seq": 0, "fields": fields}


async def _pull(actor: Actor, device: str, cursor: str | None, limit: int) -> dict[str, Any]:
    body = {"client_id": device, "schema_version": 1, "cursor": cursor, "limit": limit}
    r = await actor.post(PULL, json=body)
    assert r.status == 200, await r.text()
    answer: dict[str, Any] = await r.json()
    return answer


def _expect(notes: str | None, last_mutation_id: int) -> None:
    want = f"v{last_mutation_id}" if last_mutation_id else None
    assert notes == want, f"pull says last_mutation_id={last_mutation_id} but shows {notes!r}"


class Race:
    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.device = str(uuid.uuid4())
        self.lead = str(uuid.uuid4())
        self.done = False
        self.checked: dict[str, set[int]] = {"snapshot": set(), "cursor": set(), "paged": set()}

    async def pusher(self) -> None:
        mid = 1
        while mid <= ROUNDS:
            batch = [_mutation(m, self.lead) for m in range(mid, mid + 1 + mid % 3)]
            body = {"client_id": self.device, "schema_version": 1, "mutations": batch}
            r = await self.actor.post(PUSH, json=body)
            assert r.status == 200, await r.text()
            assert {x["status"] for x in (await r.json())["results"]} == {"applied"}
            mid += len(batch)
            await asyncio.sleep(0)
        self.done = True

    async def snapshots(self) -> None:
        while not self.done:
            page = await _pull(self.actor, self.device, None, 1000)
            assert not page["has_more"]
            leads = [c for c in page["changes"] if c["entity"] == "lead"]
            notes = leads[0]["record"]["notes"] if leads else None
            _expect(notes, page["last_mutation_id"])
            self.checked["snapshot"].add(page["last_mutation_id"])

    async def incremental(self) -> None:
        state: dict[str, Any] = {}
        cursor = None
        while not self.done:
            page = await _pull(self.actor, self.device, cursor, 1000)
            cursor = page["cursor"]
            for change in page["changes"]:
                if change["entity"] == "lead":
                    state[change["id"]] = change["record"]
            _expect(state.get(self.lead, {}).get("notes"), page["last_mutation_id"])
            self.checked["cursor"].add(page["last_mutation_id"])

    async def paged(self) -> None:
        device = SyncClient(HttpTransport(self.actor.client, self.actor.token),
                            uuid.UUID(self.device), page_limit=2)  # fmt: skip
        while not self.done:
            summary = await device.pull()
            _expect(device.synced("lead").get(self.lead, {}).get("notes"),
                    summary.last_mutation_id)  # fmt: skip
            self.checked["paged"].add(summary.last_mutation_id)


async def test_pull_contains_exactly_the_mutations_it_reports(tenant: TenantHandle) -> None:
    race = Race(tenant.users[0])
    await asyncio.gather(race.pusher(), race.snapshots(), race.incremental(), race.paged())
    final = await _pull(race.actor, race.device, None, 1000)
    assert final["last_mutation_id"] >= ROUNDS
    _expect(next(c for c in final["changes"] if c["entity"] == "lead")["record"]["notes"],
            final["last_mutation_id"])  # fmt: skip
    # The race really interleaved: pulls landed between pushes, not only before or after.
    for kind, seen in race.checked.items():
        assert len(seen) >= 3, f"{kind} pulls saw only {sorted(seen)}"


async def test_a_new_device_may_push_and_pull_at_once(tenant: TenantHandle) -> None:
    """First use registers the device; racing requests of a new device (two tabs, a push and a
    pull) all succeed and agree on who owns it."""
    u = tenant.users[0]
    for _ in range(15):
        device, lead = str(uuid.uuid4()), str(uuid.uuid4())
        body = {"client_id": device, "schema_version": 1, "mutations": [_mutation(1, lead)]}
        pull = {"client_id": device, "schema_version": 1}
        answers = await asyncio.gather(
            u.post(PULL, json=pull), u.post(PUSH, json=body), u.post(PULL, json=pull),
            u.post(PUSH, json=body),
        )  # fmt: skip
        assert [r.status for r in answers] == [200] * 4, [await r.text() for r in answers]
        pushed = [await answers[i].json() for i in (1, 3)]
        assert sorted(x["results"][0]["status"] for x in pushed) == ["applied", "duplicate"]
    r = await tenant.users[1].post(PULL, json={"client_id": device, "schema_version": 1})
    assert r.status == 403


async def test_a_pull_records_the_device_it_served(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    """The bookkeeping a pull writes beside its snapshot (registration, last pulled seq)."""
    u = tenant.users[0]
    device = str(uuid.uuid4())
    page = await _pull(u, device, None, 1000)
    [row] = await db_rows(client, tenant.tenant_id, DeviceRow, DeviceRow.id == uuid.UUID(device))
    assert row.user_id == u.user_id and row.last_pull_seq == page["server_seq"]
    assert row.last_mutation_id == 0
