"""Concurrent offline edits of one lead by two devices (SYNC.md "Field policies" and the
whole-record conflict kinds): every case ends with both devices equal to the server, and the
losing or held value kept in a conflict record."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from sync_server.db.models import Conflict
from tests.property import oracle
from tests.property.world import Device, device_for, settle
from tests.support.records import db_rows, get_json, make, url
from tests.support.tenants import TenantHandle


async def _shared_lead(tenant: TenantHandle) -> tuple[dict[str, Any], Device, Device]:
    """A lead created by user 0 and assigned to user 1, and one synced device for each."""
    u0, u1 = tenant.users
    lead = await make(u0, "lead", name="Contended", phone="555-0100", assigned_to=str(u1.user_id))
    a, b = device_for(u0), device_for(u1)
    for dev in (a, b):
        await dev.client.pull()
    return lead, a, b


async def _conflicts(client: TestClient[Any, Any], tenant: TenantHandle) -> list[Conflict]:
    return await db_rows(client, tenant.tenant_id, Conflict)


async def _assert_converged(client: TestClient[Any, Any], tenant: TenantHandle,
                            *devices: Device) -> None:  # fmt: skip
    await settle(list(devices))
    records = await oracle.tenant_records(client, tenant.tenant_id)
    for dev in devices:
        assert dev.client.view() == oracle.visible_view(records, dev.actor.user_id)


async def test_lww_field_later_arrival_wins_and_the_loser_is_kept(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    lead, a, b = await _shared_lead(tenant)
    a.client.update("lead", lead["id"], {"phone": "555-0111"})
    b.client.update("lead", lead["id"], {"phone": "555-0122"})
    assert [r.status for r in await a.client.push()] == ["applied"]
    [merged] = await b.client.push()
    assert merged.status == "merged" and merged.conflict_id is None and merged.seq
    [loss] = await _conflicts(client, tenant)
    assert (loss.status, loss.kind, loss.mid) == ("auto_resolved", "field", 1)
    assert loss.client_id == b.client.client_id and loss.user_id == b.actor.user_id
    assert loss.fields["phone"]["server"] == "555-0111"
    assert loss.fields["phone"]["client"] == "555-0122"
    assert loss.fields["phone"]["policy"] == "lww"
    assert (await get_json(a.actor, url("lead", lead["id"])))["phone"] == "555-0122"
    await _assert_converged(client, tenant, a, b)
    assert b.client.synced("conflict") == {}  # auto-resolved: nothing waits for review


async def test_manual_field_is_held_and_the_device_sees_the_conflict(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    lead, a, b = await _shared_lead(tenant)
    a.client.update("lead", lead["id"], {"lead_status": "qualified"})
    b_edit = b.client.update("lead", lead["id"], {"lead_status": "lost", "notes": "b's note"})
    await a.client.push()
    [held] = await b.client.push()
    assert held.status == "conflict" and held.conflict_id is not None
    assert b.client.waiting == {b_edit.mid: held.conflict_id}
    server = await get_json(a.actor, url("lead", lead["id"]))
    assert server["lead_status"] == "qualified" and server["notes"] == "b's note"

    await b.client.pull()
    seen = b.client.synced("conflict")[str(held.conflict_id)]
    assert (seen["status"], seen["kind"], seen["entity"]) == ("open", "field", "lead")
    assert seen["record_id"] == lead["id"] and seen["mid"] == b_edit.mid
    assert seen["fields"]["lead_status"]["client"] == "lost"
    assert seen["fields"]["lead_status"]["server"] == "qualified"
    assert "notes" not in seen["fields"]
    assert b.client.view()["lead"][lead["id"]]["lead_status"] == "qualified"
    await a.client.pull()
    assert a.client.synced("conflict") == {}  # the conflict is b's user's, not a's
    await _assert_converged(client, tenant, a, b)


async def test_equal_values_converge_without_conflict(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    lead, a, b = await _shared_lead(tenant)
    for dev in (a, b):
        dev.client.update("lead", lead["id"], {"phone": "555-0133", "lead_status": "contacted"})
        assert [r.status for r in await dev.client.push()] == ["applied"]
    assert await _conflicts(client, tenant) == []
    await _assert_converged(client, tenant, a, b)


async def test_delete_against_a_concurrent_update_is_a_delete_update_conflict(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    lead, a, b = await _shared_lead(tenant)
    a.client.update("lead", lead["id"], {"phone": "555-0144"})
    b.client.delete("lead", lead["id"])
    await a.client.push()
    [held] = await b.client.push()
    assert held.status == "conflict"
    [conflict] = await _conflicts(client, tenant)
    assert (conflict.kind, conflict.status, conflict.id) == ("delete_update", "open",
                                                             held.conflict_id)  # fmt: skip
    assert conflict.fields["phone"]["server"] == "555-0144"
    record = await get_json(a.actor, url("lead", lead["id"]))
    assert record["deleted_at"] is None and record["phone"] == "555-0144"
    await _assert_converged(client, tenant, a, b)


async def test_update_against_a_concurrent_delete_is_held(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    lead, a, b = await _shared_lead(tenant)
    a.client.delete("lead", lead["id"])
    b.client.update("lead", lead["id"], {"phone": "555-0155", "notes": "edited offline"})
    await a.client.push()
    [held] = await b.client.push()
    assert held.status == "conflict" and held.seq is None
    [conflict] = await _conflicts(client, tenant)
    assert conflict.kind == "delete_update" and conflict.status == "open"
    assert conflict.fields["phone"]["client"] == "555-0155"
    assert conflict.fields["notes"]["client"] == "edited offline"
    record = await get_json(a.actor, url("lead", lead["id"]))
    assert record["deleted_at"] is not None and record["phone"] == "555-0100"
    await _assert_converged(client, tenant, a, b)


async def test_update_of_a_purged_record_is_kept_in_a_conflict(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    lead, a, _ = await _shared_lead(tenant)
    a.client.update("lead", lead["id"], {"phone": "555-0166"})
    a.client.restore("lead", lead["id"])
    r = await a.actor.delete(url("lead", lead["id"]))
    assert r.status == 200
    r = await tenant.admin.delete(f"/api/v1/trash/lead/{lead['id']}")
    assert r.status == 204, await r.text()

    answers = await a.client.push()
    assert [x.status for x in answers] == ["conflict", "conflict"]
    conflicts = {c.id: c for c in await _conflicts(client, tenant)}
    update, restore = (conflicts[x.conflict_id] for x in answers if x.conflict_id)
    assert (update.kind, update.status) == ("update_purged", "open")
    assert update.fields["phone"]["client"] == "555-0166"
    assert update.fields["phone"]["server"] is None
    assert restore.kind == "update_purged" and "deleted_at" in restore.fields
    summary = await a.client.pull()
    assert any(c.op == "delete" and str(c.id) == lead["id"] for c in summary.changes)
    assert set(a.client.synced("conflict")) == {str(update.id), str(restore.id)}
    assert lead["id"] not in a.client.view()["lead"]


async def test_convert_of_a_concurrently_changed_lead_is_a_convert_conflict(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    lead, a, b = await _shared_lead(tenant)
    a.client.update("lead", lead["id"], {"phone": "555-0177"})
    new_client = b.client.convert(lead["id"])
    assert b.client.view()["client"][new_client]["source_lead_id"] == lead["id"]  # optimistic
    await a.client.push()
    [held] = await b.client.push()
    assert held.status == "conflict"
    [conflict] = await _conflicts(client, tenant)
    assert (conflict.kind, conflict.status) == ("convert", "open")
    assert conflict.fields["converted_client_id"]["client"] == new_client
    assert conflict.fields["lead_status"]["client"] == "converted"
    assert conflict.fields["phone"]["server"] == "555-0177"
    record = await get_json(a.actor, url("lead", lead["id"]))
    assert record["lead_status"] == "new" and record["converted_client_id"] is None
    r = await b.actor.get(url("client", new_client))
    assert r.status == 404
    await _assert_converged(client, tenant, a, b)
    assert new_client not in b.client.view()["client"]


async def test_convert_that_saw_everything_moves_children_on_every_device(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    lead, a, b = await _shared_lead(tenant)
    contact = await make(a.actor, "contact", lead_id=lead["id"], first_name="Kid")
    await settle([a, b])
    new_client = b.client.convert(lead["id"])
    [done] = await b.client.push()
    assert done.status == "applied"
    await _assert_converged(client, tenant, a, b)
    for dev in (a, b):
        assert dev.client.view()["lead"][lead["id"]]["lead_status"] == "converted"
    # The client belongs to b's user (who converted, and the lead's assignee): the contact
    # moved with it, so a's user, who only created the lead, lost it (an eviction).
    assert b.client.view()["contact"][contact["id"]]["client_id"] == new_client
    assert new_client in b.client.view()["client"]
    assert contact["id"] not in a.client.view()["contact"]
    assert new_client not in a.client.view()["client"]


async def test_two_devices_converting_one_lead_keep_both_conversions(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    """The second conversion cannot also be true: it is held in a convert conflict (with the
    client id its device chose), not refused and dropped."""
    lead, a, b = await _shared_lead(tenant)
    first = a.client.convert(lead["id"])
    second = b.client.convert(lead["id"])
    assert [r.status for r in await a.client.push()] == ["applied"]
    [held] = await b.client.push()
    assert held.status == "conflict", held
    [conflict] = [c for c in await _conflicts(client, tenant) if c.id == held.conflict_id]
    assert (conflict.kind, conflict.status) == ("convert", "open")
    assert conflict.fields["converted_client_id"]["client"] == second
    assert conflict.fields["converted_client_id"]["server"] == first
    record = await get_json(a.actor, url("lead", lead["id"]))
    assert record["converted_client_id"] == first
    await _assert_converged(client, tenant, a, b)


async def test_converting_a_concurrently_trashed_lead_is_held(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    lead, a, b = await _shared_lead(tenant)
    a.client.delete("lead", lead["id"])
    b.client.convert(lead["id"])
    await a.client.push()
    [held] = await b.client.push()
    assert held.status == "conflict", held
    [conflict] = await _conflicts(client, tenant)
    assert conflict.kind == "convert" and "deleted_at" in conflict.fields
    await _assert_converged(client, tenant, a, b)


async def test_a_device_that_saw_the_conversion_is_refused(tenant: TenantHandle) -> None:
    lead, a, b = await _shared_lead(tenant)
    a.client.convert(lead["id"])
    await a.client.push()
    await b.client.pull()
    b.client.convert(lead["id"])
    [refused] = await b.client.push()
    assert refused.status == "rejected" and refused.error is not None
    assert refused.error.code == "already_converted"
    r = await a.actor.post(url("lead", lead["id"], "/convert"), json={})
    assert r.status == 409 and (await r.json())["code"] == "already_converted"


async def test_converting_a_purged_lead_holds_the_conversion_fields(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    lead, a, _ = await _shared_lead(tenant)
    new_client = a.client.convert(lead["id"])
    assert (await a.actor.delete(url("lead", lead["id"]))).status == 200
    assert (await tenant.admin.delete(f"/api/v1/trash/lead/{lead['id']}")).status == 204
    [held] = await a.client.push()
    assert held.status == "conflict"
    [conflict] = await _conflicts(client, tenant)
    assert conflict.kind == "update_purged"
    assert {k: v["client"] for k, v in conflict.fields.items()} == {
        "lead_status": "converted",
        "converted_client_id": new_client,
    }
