"""Offline work that meets a change of access, and answers lost on the way back: nothing the
user typed is silently dropped (SYNC.md's promise).

- An edit of a record reassigned away while the device was offline is held for an admin (an
  ``access`` conflict), not rejected; the admin can apply it. So is a record created offline
  under a parent that was reassigned away, with the later edits the device made to it.
- A device that never saw a record learns nothing about it (404, as before).
- When a push's answer is lost, the retry's ``duplicate`` results still carry what happened to
  each mutation the first time (``original_status``, ``error``, ``conflict_id``), so a rejected
  or held change is never mistaken for an applied one.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from sync_server.client.transport import TransportError
from sync_server.db.models import Conflict
from tests.property.world import device_for
from tests.support.records import db_rows, get_json, make, url
from tests.support.tenants import TenantHandle

Q = "/api/v1/admin/conflicts"


async def _conflict(client: TestClient[Any, Any], tenant: TenantHandle, cid: uuid.UUID) -> Conflict:
    [row] = [c for c in await db_rows(client, tenant.tenant_id, Conflict) if c.id == cid]
    return row


async def test_an_edit_of_a_record_reassigned_away_is_held_for_an_admin(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    admin, (u0, u1) = tenant.admin, tenant.users
    lead = await make(admin, "lead", phone="555-0100", assigned_to=str(u1.user_id))
    dev = device_for(u1)
    await dev.client.pull()
    edit = dev.client.update("lead", lead["id"], {"phone": "555-0177", "city": "Tulsa"})
    moved = await admin.patch(url("lead", lead["id"]), json={"assigned_to": str(u0.user_id)})
    assert moved.status == 200
    [held] = await dev.client.push()
    assert held.status == "conflict" and held.conflict_id is not None, held
    assert dev.client.waiting == {edit.mid: held.conflict_id}
    row = await _conflict(client, tenant, held.conflict_id)
    assert (row.kind, row.status, row.user_id) == ("access", "open", u1.user_id)
    assert {f: e["client"] for f, e in row.fields.items()} == {"phone": "555-0177", "city": "Tulsa"}
    # What the record holds now is not handed to the user who lost it.
    assert all(e["server"] is None for e in row.fields.values())
    assert (await get_json(admin, url("lead", lead["id"])))["phone"] == "555-0100"
    await dev.client.pull()
    assert lead["id"] not in dev.client.view()["lead"]  # evicted all the same

    r = await admin.post(f"{Q}/{held.conflict_id}/resolve", json={"choice": "client"})
    assert r.status == 200, await r.text()
    now = await get_json(u0, url("lead", lead["id"]))
    assert (now["phone"], now["city"], now["assigned_to"]) == ("555-0177", "Tulsa", str(u0.user_id))


async def test_a_record_created_under_a_parent_reassigned_away_is_held(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    admin, (u0, u1) = tenant.admin, tenant.users
    customer = await make(admin, "client", assigned_to=str(u1.user_id))
    dev = device_for(u1)
    await dev.client.pull()
    typed = {"client_id": customer["id"], "contact_date": "2026-11-20T10:00:00Z",
             "summary": "Fixed the boiler", "type": "visit"}  # fmt: skip
    iid = dev.client.create("interaction", typed)
    await admin.patch(url("client", customer["id"]), json={"assigned_to": str(u0.user_id)})
    [held] = await dev.client.push()
    assert held.status == "conflict" and held.conflict_id is not None, held
    row = await _conflict(client, tenant, held.conflict_id)
    assert (row.kind, row.entity, str(row.record_id)) == ("access", "interaction", iid)
    assert (await admin.get(url("interaction", iid))).status == 404  # nothing created yet
    r = await admin.post(f"{Q}/{held.conflict_id}/resolve", json={"choice": "client"})
    assert r.status == 200, await r.text()
    made = await get_json(u0, url("interaction", iid))
    assert (made["summary"], made["client_id"]) == ("Fixed the boiler", customer["id"])


async def _lost_lead(tenant: TenantHandle, **fields: Any) -> tuple[dict[str, Any], Any]:
    """A lead of u1's that u1's device synced (and holds offline)."""
    admin, u1 = tenant.admin, tenant.users[1]
    lead = await make(admin, "lead", assigned_to=str(u1.user_id), **fields)
    dev = device_for(u1)
    await dev.client.pull()
    return lead, dev


async def _reassign(tenant: TenantHandle, lead: dict[str, Any]) -> None:
    moved = await tenant.admin.patch(
        url("lead", lead["id"]), json={"assigned_to": str(tenant.users[0].user_id)}
    )
    assert moved.status == 200, await moved.text()


async def _held(
    client: TestClient[Any, Any], tenant: TenantHandle, dev: Any, op: str
) -> dict[str, Any]:
    [held] = await dev.client.push()
    assert held.status == "conflict" and held.conflict_id is not None, held
    row = await _conflict(client, tenant, held.conflict_id)
    assert (row.kind, row.status, row.op) == ("access", "open", op)
    detail = await get_json(tenant.admin, f"{Q}/{held.conflict_id}")
    assert "custom" not in detail["choices"]  # a whole-record op has no values to pick
    return detail


async def test_a_delete_of_a_record_reassigned_away_is_held_then_applied(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    lead, dev = await _lost_lead(tenant)
    dev.client.delete("lead", lead["id"])
    await _reassign(tenant, lead)
    held = await _held(client, tenant, dev, "delete")
    assert "Trash" in held["choices"]["client"]
    assert (await get_json(tenant.admin, url("lead", lead["id"])))["deleted_at"] is None
    r = await tenant.admin.post(f"{Q}/{held['id']}/resolve", json={"choice": "custom",
                                "fields": {"name": "x"}})  # fmt: skip
    assert r.status == 422 and (await r.json())["code"] == "validation_error"
    r = await tenant.admin.post(f"{Q}/{held['id']}/resolve", json={"choice": "client"})
    assert r.status == 200, await r.text()
    assert (await r.json())["resolution"]["action"] == "trash"
    assert (await get_json(tenant.admin, url("lead", lead["id"])))["deleted_at"] is not None


async def test_a_restore_of_a_record_reassigned_away_is_held_then_applied(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    lead, dev = await _lost_lead(tenant)
    assert (await tenant.admin.delete(url("lead", lead["id"]))).status == 200
    await dev.client.pull()
    dev.client.restore("lead", lead["id"])
    await _reassign_trashed(tenant, lead)
    held = await _held(client, tenant, dev, "restore")
    r = await tenant.admin.post(f"{Q}/{held['id']}/resolve", json={"choice": "client"})
    assert r.status == 200, await r.text()
    assert (await r.json())["resolution"]["action"] == "restore"
    now = await get_json(tenant.users[0], url("lead", lead["id"]))
    assert now["deleted_at"] is None


async def _reassign_trashed(tenant: TenantHandle, lead: dict[str, Any]) -> None:
    """Reassign a lead in Trash: restore, reassign, trash again (as an admin would)."""
    admin = tenant.admin
    assert (await admin.post(f"/api/v1/trash/lead/{lead['id']}/restore")).status == 200
    await _reassign(tenant, lead)
    assert (await admin.delete(url("lead", lead["id"]))).status == 200


async def test_a_conversion_of_a_lead_reassigned_away_is_held_then_applied(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    lead, dev = await _lost_lead(tenant, lead_status="qualified")
    client_id = dev.client.convert(lead["id"])
    await _reassign(tenant, lead)
    held = await _held(client, tenant, dev, "convert")
    assert client_id in held["choices"]["client"]
    assert (await get_json(tenant.admin, url("lead", lead["id"])))["lead_status"] == "qualified"
    r = await tenant.admin.post(f"{Q}/{held['id']}/resolve", json={"choice": "client"})
    assert r.status == 200, await r.text()
    converted = await get_json(tenant.admin, url("lead", lead["id"]))
    assert (converted["lead_status"], converted["converted_client_id"]) == ("converted", client_id)
    made = await get_json(tenant.admin, url("client", client_id))
    assert made["source_lead_id"] == lead["id"]


async def test_a_record_never_seen_stays_unknown(tenant: TenantHandle) -> None:
    admin, (_, u1) = tenant.admin, tenant.users
    secret = await make(admin, "lead")
    dev = device_for(u1)
    dev.client.update("lead", secret["id"], {"phone": "555-0100"})
    [result] = await dev.client.push()
    assert result.status == "rejected" and result.error is not None
    assert result.error.code == "not_found" and result.conflict_id is None


async def test_a_lost_answer_does_not_hide_a_rejection_or_a_conflict(tenant: TenantHandle) -> None:
    admin, (_, u1) = tenant.admin, tenant.users
    lead = await make(admin, "lead", assigned_to=str(u1.user_id), lead_status="new")
    rival, dev = device_for(admin), device_for(u1)
    for d in (rival, dev):
        await d.client.pull()
    rival.client.update("lead", lead["id"], {"lead_status": "qualified"})
    await rival.client.push()
    bad = dev.client.update("lead", lead["id"], {"email": "not an email"})
    held = dev.client.update("lead", lead["id"], {"lead_status": "lost"})
    fine = dev.client.update("lead", lead["id"], {"city": "Tulsa"})
    dev.lossy.drop_responses("/push")
    with pytest.raises(TransportError):  # committed, but the answer never arrives
        await dev.client.push()
    assert dev.client.results == {}
    replay = {r.mid: r for r in await dev.client.push(replay=True)}
    assert {r.status for r in replay.values()} == {"duplicate"}
    assert replay[bad.mid].original_status == "rejected"
    assert replay[bad.mid].error is not None and replay[bad.mid].error.code == "validation_error"
    assert replay[held.mid].original_status == "conflict" and replay[held.mid].conflict_id
    assert replay[fine.mid].original_status == "applied"
    # The reference client reads them as the first answer would have been.
    assert [r.mutation.mid for r in dev.client.rejected] == [bad.mid]
    assert dev.client.waiting == {held.mid: replay[held.mid].conflict_id}


async def test_an_edit_of_a_record_whose_create_is_held_joins_it(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    admin, (u0, u1) = tenant.admin, tenant.users
    customer = await make(admin, "client", assigned_to=str(u1.user_id))
    dev = device_for(u1)
    await dev.client.pull()
    typed = {"client_id": customer["id"], "contact_date": "2026-11-20T10:00:00Z",
             "summary": "Fixed the boiler"}  # fmt: skip
    iid = dev.client.create("interaction", typed)
    dev.client.update("interaction", iid, {"outcome": "Customer happy"})
    dev.client.update("interaction", iid, {"email": "not an email"})
    await admin.patch(url("client", customer["id"]), json={"assigned_to": str(u0.user_id)})
    results = await dev.client.push()
    held, joined, bad = results
    assert held.status == joined.status == "conflict" and joined.conflict_id == held.conflict_id
    assert bad.status == "rejected" and bad.error is not None
    assert bad.error.code == "validation_error"
    assert held.conflict_id is not None
    row = await _conflict(client, tenant, held.conflict_id)
    assert row.fields["outcome"]["client"] == "Customer happy" and "email" not in row.fields
    r = await admin.post(f"{Q}/{held.conflict_id}/resolve", json={"choice": "client"})
    assert r.status == 200, await r.text()
    made = await get_json(u0, url("interaction", iid))
    assert (made["summary"], made["outcome"]) == ("Fixed the boiler", "Customer happy")


async def test_applying_a_held_create_that_breaks_a_uniqueness_rule_is_a_409(
    tenant: TenantHandle,
) -> None:
    """The admin's choice, not a server error: the number was taken while the create waited."""
    admin, (u0, u1) = tenant.admin, tenant.users
    customer = await make(admin, "client", assigned_to=str(u1.user_id))
    dev = device_for(u1)
    await dev.client.pull()
    dev.client.create("account", {"client_id": customer["id"], "account_number": "ACC-7"})
    await admin.patch(url("client", customer["id"]), json={"assigned_to": str(u0.user_id)})
    [held] = await dev.client.push()
    assert held.status == "conflict"
    await make(admin, "account", client_id=customer["id"], account_number="ACC-7")
    r = await admin.post(f"{Q}/{held.conflict_id}/resolve", json={"choice": "client"})
    body = await r.json()
    assert r.status == 409 and body["code"] == "conflict"
    assert set(body) == {"error", "code", "details"}
    r = await admin.get(f"{Q}/{held.conflict_id}")
    assert (await r.json())["status"] == "open"  # nothing of the failed resolution stayed
