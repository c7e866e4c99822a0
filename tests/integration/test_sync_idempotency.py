"""SYNC.md guarantee 3 and the push contract: the same push twice applies once, a gap is refused
with nothing applied, a poison mutation is rejected (its mid consumed) while later ones proceed,
and the request-level refusals (another user's device, too many mutations, unsupported protocol
version) leave the device's queue intact."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from sync_server.client import SyncHttpError
from tests.property.world import device_for
from tests.support.records import get_json, make, url
from tests.support.tenants import Actor, TenantHandle

PUSH, PULL = "/api/v1/sync/push", "/api/v1/sync/pull"


def mut(mid: int, entity: str, rid: str, op: str = "update", base_seq: int = 0,
        **fields: Any) -> dict[str, Any]:  # fmt: skip
    return {"mid": mid, "entity": entity, "id": rid, "op": op, "base_seq": base_seq,
            "fields": fields}  # fmt: skip


async def push(
    actor: Actor, device: str, mutations: list[dict[str, Any]], version: int = 1
) -> tuple[int, dict[str, Any]]:
    body = {"client_id": device, "schema_version": version, "mutations": mutations}
    r = await actor.post(PUSH, json=body)
    return r.status, await r.json()


async def server_seq(actor: Actor, device: str) -> int:
    r = await actor.post(PULL, json={"client_id": device, "schema_version": 1})
    assert r.status == 200, await r.text()
    return int((await r.json())["server_seq"])


def statuses(body: dict[str, Any]) -> list[str]:
    return [r["status"] for r in body["results"]]


async def test_the_same_push_twice_applies_once(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    device, lead = str(uuid.uuid4()), str(uuid.uuid4())
    batch = [
        mut(1, "lead", lead, "create", name="Once"),
        mut(2, "lead", lead, phone="555-0101"),
        mut(3, "lead", lead, notes="x"),
    ]
    status, first = await push(u, device, batch)
    assert status == 200 and statuses(first) == ["applied"] * 3, first
    assert first["last_mutation_id"] == 3
    record = await get_json(u, url("lead", lead))
    seq = await server_seq(u, device)

    status, again = await push(u, device, batch)
    assert status == 200 and statuses(again) == ["duplicate"] * 3
    assert all(r["seq"] is None and r["error"] is None for r in again["results"])
    assert again["last_mutation_id"] == 3 and again["seq"] == first["seq"] == seq
    assert await get_json(u, url("lead", lead)) == record
    assert await server_seq(u, device) == seq


async def test_a_replay_overlapping_new_mutations_applies_only_the_new(
    tenant: TenantHandle,
) -> None:
    u = tenant.users[0]
    device, lead = str(uuid.uuid4()), str(uuid.uuid4())
    await push(u, device, [mut(1, "lead", lead, "create", name="A")])
    status, body = await push(
        u, device, [mut(1, "lead", lead, "create", name="A"), mut(2, "lead", lead, name="B")]
    )
    assert status == 200 and statuses(body) == ["duplicate", "applied"]
    assert (await get_json(u, url("lead", lead)))["name"] == "B"


async def test_a_lost_response_is_retried_as_duplicate(tenant: TenantHandle) -> None:
    dev = device_for(tenant.users[0])
    await dev.client.pull()
    lead = dev.client.create("lead", {"name": "Lost"})
    dev.lossy.drop_responses("/push")
    with pytest.raises(Exception, match="lost"):
        await dev.client.push()
    assert [m.mid for m in dev.client.pending] == [1]  # outbox intact
    answers = await dev.client.push()
    assert [a.status for a in answers] == ["duplicate"]
    await dev.client.pull()
    assert dev.client.pending == [] and dev.client.synced("lead")[lead]["name"] == "Lost"
    assert dev.lossy.lost_responses == 1


async def test_a_gap_is_refused_and_nothing_applies(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    device, lead = str(uuid.uuid4()), str(uuid.uuid4())
    await push(u, device, [mut(1, "lead", lead, "create", name="First")])
    seq = await server_seq(u, device)
    status, body = await push(
        u, device, [mut(3, "lead", lead, name="Skipped ahead"), mut(4, "lead", lead, notes="n")]
    )
    assert status == 409, body
    assert body["code"] == "mutation_gap" and body["details"]["last_mutation_id"] == 1
    assert set(body) == {"error", "code", "details"}
    assert (await get_json(u, url("lead", lead)))["name"] == "First"
    assert await server_seq(u, device) == seq
    # Resending from last_mutation_id + 1 goes through.
    status, body = await push(u, device, [mut(2, "lead", lead, name="Second")])
    assert status == 200 and statuses(body) == ["applied"]


async def test_the_reference_client_resends_from_the_servers_counter(
    tenant: TenantHandle,
) -> None:
    dev = device_for(tenant.users[0])
    ids = [dev.client.create("lead", {"name": f"L{i}"}) for i in range(3)]
    dev.client.acked_mid = 1  # it believes mid 1 arrived; the server has nothing
    answers = await dev.client.push()
    assert [a.mid for a in answers] == [1, 2, 3] and {a.status for a in answers} == {"applied"}
    await dev.client.pull()
    assert sorted(dev.client.synced("lead")) == sorted(ids)


async def test_poison_mutations_are_rejected_and_the_queue_goes_on(
    tenant: TenantHandle,
) -> None:
    u, other = tenant.users
    theirs = await make(other, "lead", name="Not yours")
    device, lead = str(uuid.uuid4()), str(uuid.uuid4())
    batch = [
        mut(1, "lead", lead, "create", name="Mine"),
        mut(2, "lead", lead, lead_status="won"),  # not in the closed list
        mut(3, "gizmo", lead, "create", name="?"),  # unknown entity
        mut(4, "lead", lead, "explode"),  # unknown op
        mut(5, "lead", theirs["id"], phone="555-0199"),  # not visible to u
        mut(6, "contact", str(uuid.uuid4()), "create", lead_id=theirs["id"], first_name="X"),
        mut(7, "lead", lead, "create", name="Same id again"),
        mut(8, "lead", lead, lead_status="converted"),  # only the convert op may
        mut(9, "lead", lead, assigned_to=str(other.user_id)),  # u owns it: allowed
        mut(10, "lead", lead, assigned_to=str(u.user_id)),  # now other owns it: refused
        mut(11, "lead", lead, phone="555-0100"),
    ]
    status, body = await push(u, device, batch)
    assert status == 200, body
    got = statuses(body)
    assert got == ["applied"] + ["rejected"] * 7 + ["applied", "rejected", "applied"], body
    codes = {r["mid"]: r["error"]["code"] for r in body["results"] if r["error"]}
    assert codes == {
        2: "validation_error",
        3: "validation_error",
        4: "validation_error",
        5: "not_found",
        6: "validation_error",
        7: "conflict",
        8: "validation_error",
        10: "forbidden",
    }
    for r in body["results"]:
        if r["status"] == "rejected":
            assert set(r["error"]) == {"error", "code", "details"} and r["seq"] is None
    assert "lead_status" in body["results"][1]["error"]["details"]["fields"]
    assert body["last_mutation_id"] == 11  # rejected mids are consumed
    record = await get_json(u, url("lead", lead))
    assert record["phone"] == "555-0100" and record["lead_status"] == "new"
    assert record["assigned_to"] == str(other.user_id)
    assert (await get_json(other, url("lead", theirs["id"])))["phone"] == theirs["phone"]


async def test_the_reference_client_keeps_rejections(tenant: TenantHandle) -> None:
    dev = device_for(tenant.users[0])
    lead = dev.client.create("lead", {"name": "Ok"})
    bad = dev.client.update("lead", lead, {"lead_status": "won"})
    dev.client.update("lead", lead, {"notes": "fine"})
    assert dev.client.view()["lead"][lead]["lead_status"] == "won"  # optimistic
    await dev.client.push()
    assert [r.mutation.mid for r in dev.client.rejected] == [bad.mid]
    error = dev.client.rejected[0].error
    assert error is not None and error.code == "validation_error"
    assert "lead_status" not in dev.client.view()["lead"][lead]  # refused: not shown
    await dev.client.pull()
    assert dev.client.view()["lead"][lead]["lead_status"] == "new"
    assert dev.client.view()["lead"][lead]["notes"] == "fine"


async def test_another_users_client_id_is_refused(tenant: TenantHandle) -> None:
    u, other = tenant.users
    device = str(uuid.uuid4())
    status, _ = await push(u, device, [mut(1, "lead", str(uuid.uuid4()), "create", name="A")])
    assert status == 200
    status, body = await push(other, device, [mut(2, "lead", str(uuid.uuid4()), "create",
                                                  name="B")])  # fmt: skip
    assert status == 403 and body["code"] == "forbidden", body
    r = await other.post(PULL, json={"client_id": device, "schema_version": 1})
    assert r.status == 403 and (await r.json())["code"] == "forbidden"
    # The refusal consumed nothing: the owner goes on from 1.
    status, body = await push(u, device, [mut(2, "lead", str(uuid.uuid4()), "create", name="C")])
    assert status == 200 and statuses(body) == ["applied"]


async def test_more_than_500_mutations_is_413(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    device = str(uuid.uuid4())
    batch = [mut(i, "lead", str(uuid.uuid4()), "create", name=f"L{i}") for i in range(1, 502)]
    status, body = await push(u, device, batch)
    assert status == 413 and body["code"] == "payload_too_large", body
    assert body["details"]["max_mutations"] == 500
    status, body = await push(u, device, batch[:1])
    assert status == 200 and statuses(body) == ["applied"]  # nothing of the 501 was applied


async def test_the_reference_client_splits_a_long_outbox(tenant: TenantHandle) -> None:
    dev = device_for(tenant.users[0])
    dev.client.push_limit = 4
    ids = [dev.client.create("lead", {"name": f"L{i}"}) for i in range(10)]
    answers = await dev.client.push()
    assert [a.mid for a in answers] == list(range(1, 11))
    await dev.client.pull()
    assert sorted(dev.client.synced("lead")) == sorted(ids) and dev.client.pending == []


async def test_an_unsupported_protocol_version_is_426_and_the_queue_is_kept(
    tenant: TenantHandle,
) -> None:
    u = tenant.users[0]
    device = str(uuid.uuid4())
    status, body = await push(u, device, [mut(1, "lead", str(uuid.uuid4()), "create",
                                              name="Future")], version=2)  # fmt: skip
    assert status == 426 and body["code"] == "upgrade_required", body
    assert body["details"]["supported"] == [1]
    r = await u.post(PULL, json={"client_id": device, "schema_version": 2})
    assert r.status == 426 and (await r.json())["code"] == "upgrade_required"

    dev = device_for(u, schema_version=2)
    lead = dev.client.create("lead", {"name": "Waits"})
    with pytest.raises(SyncHttpError) as exc:
        await dev.client.push()
    assert exc.value.status == 426
    assert [m.id for m in dev.client.pending] == [lead]
    dev.client.schema_version = 1  # the app updated
    await dev.client.sync()
    assert dev.client.pending == [] and lead in dev.client.synced("lead")
