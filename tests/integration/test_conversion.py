"""Lead -> client conversion (API.md "Records"): the client, the moved children, the lead's new
state, refusals, and all-or-nothing atomicity."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from conflict import Decision, Outcome
from sync_server.db.models import Client
from sync_server.entities import ENTITIES
from sync_server.services import lifecycle
from sync_server.services.write_path import RecordWriter
from tests.support.records import db_rows, field_error, get_json, make, url
from tests.support.tenants import Actor, TenantHandle

LEAD_FIELDS = {
    "name": "Acme Plumbing",
    "contact_person": "Dana Smith",
    "contact_title": "Owner",
    "email": "dana@acme.example",
    "phone": "555-0100",
    "phone_label": "mobile",
    "secondary_phone": "555-0199",
    "secondary_phone_label": "work",
    "address": "1 Main St",
    "city": "Springfield",
    "state": "IL",
    "zip": "62701",
    "notes": "Met at the fair",
    "business_type": "plumbing",
    "lead_source": "fair",
    "lead_status": "qualified",
}


async def _lead_with_children(actor: Actor, **over: Any) -> dict[str, Any]:
    lead = await make(actor, "lead", **(LEAD_FIELDS | over))
    return {
        "lead": lead,
        "contacts": [await make(actor, "contact", lead_id=lead["id"]) for _ in range(2)],
        "interactions": [await make(actor, "interaction", lead_id=lead["id"]) for _ in range(2)],
        "note": await make(actor, "note", entity="lead", entity_id=lead["id"]),
    }


async def _snapshot(actor: Actor, world: dict[str, Any]) -> dict[str, Any]:
    lead = await get_json(actor, url("lead", world["lead"]["id"]))
    kids = [
        await get_json(actor, url(kind, rec["id"]))
        for kind in ("contact", "interaction")
        for rec in world[f"{kind}s"]
    ]
    return {"lead": lead, "children": kids}


async def test_convert_creates_the_client_and_moves_children(tenant: TenantHandle) -> None:
    admin, u = tenant.admin, tenant.users[0]
    world = await _lead_with_children(admin, assigned_to=str(u.user_id))
    lead_id = world["lead"]["id"]
    r = await u.post(url("lead", lead_id, "/convert"), json={})
    assert r.status == 201, await r.text()
    client = await r.json()
    assert r.headers["ETag"] == f'"{client["version"]}"'
    for field, value in LEAD_FIELDS.items():
        if field not in ("lead_source", "lead_status"):
            assert client[field] == value, field
    assert client["assigned_to"] == str(u.user_id) and client["created_by"] == str(u.user_id)
    assert client["source_lead_id"] == lead_id and client["status"] == "active"
    assert client["converted_on"].endswith("Z")
    assert await get_json(u, url("client", client["id"])) == client

    lead = await get_json(u, url("lead", lead_id))
    assert lead["lead_status"] == "converted" and lead["converted_client_id"] == client["id"]
    assert lead["converted_on"] == client["converted_on"]
    for kind in ("contact", "interaction"):
        for rec in world[f"{kind}s"]:
            moved = await get_json(u, url(kind, rec["id"]))
            assert moved["client_id"] == client["id"] and moved["lead_id"] is None
            assert moved["version"] > rec["version"]
        listed = await get_json(u, f"{url(kind)}?client_id={client['id']}")
        assert len(listed["items"]) == 2
    note = await get_json(u, url("note", world["note"]["id"]))
    assert note["entity"] == "lead" and note["entity_id"] == lead_id
    found = await get_json(u, f"{url('client')}?source_lead_id={lead_id}")
    assert [c["id"] for c in found["items"]] == [client["id"]]

    r = await u.post(url("lead", lead_id, "/convert"), json={})
    assert r.status == 409
    err = await r.json()
    assert err["code"] == "already_converted" and err["details"]["client_id"] == client["id"]
    clients = await get_json(u, f"{url('client')}?source_lead_id={lead_id}&count=true")
    assert clients["total"] == 1


async def test_convert_with_a_chosen_client_id(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    lead = await make(u, "lead")
    chosen = str(uuid.uuid4())
    r = await u.post(url("lead", lead["id"], "/convert"), json={"client_id": chosen})
    assert r.status == 201, await r.text()
    assert (await r.json())["id"] == chosen
    assert (await get_json(u, url("lead", lead["id"])))["converted_client_id"] == chosen
    for bad in ({"client_id": "nope"}, {"colour": "red"}):
        other = await make(u, "lead")
        r = await u.post(url("lead", other["id"], "/convert"), json=bad)
        assert r.status == 422
        field_error(await r.json(), next(iter(bad)))
        assert (await get_json(u, url("lead", other["id"])))["lead_status"] == "new"


async def test_invisible_or_trashed_lead(tenant: TenantHandle) -> None:
    u, other = tenant.users
    lead = await make(u, "lead")
    for who in (other, tenant.admin):
        r = await who.post(url("lead", lead["id"], "/convert"), json={})
        assert r.status == 404 and (await r.json())["code"] == "not_found"
    assert (await u.post(url("lead", str(uuid.uuid4()), "/convert"), json={})).status == 404
    await u.delete(url("lead", lead["id"]))
    r = await u.post(url("lead", lead["id"], "/convert"), json={})
    assert r.status == 409 and (await r.json())["code"] == "conflict"
    assert (await get_json(u, url("lead", lead["id"])))["lead_status"] == "new"


async def _assert_unchanged(
    u: Actor, tenant: TenantHandle, world: dict[str, Any], before: dict[str, Any]
) -> None:
    assert await _snapshot(u, world) == before
    lead_id = uuid.UUID(world["lead"]["id"])
    assert await db_rows(u.client, tenant.tenant_id, Client, Client.source_lead_id == lead_id) == []


async def test_conversion_failing_midway_changes_nothing(
    tenant: TenantHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    u = tenant.users[0]
    world = await _lead_with_children(u)
    before = await _snapshot(u, world)
    moved: list[str] = []
    real_apply = RecordWriter.apply

    async def move_one_then_fail(
        writer: RecordWriter, lead_id: uuid.UUID, client_id: uuid.UUID, origin: Any
    ) -> None:
        spec = ENTITIES["contact"]
        child = (await writer.repos.records.children(spec, "lead_id", [lead_id]))[0]
        decision = Decision(
            Outcome.APPLIED, {"lead_id": None, "client_id": client_id}, (), (), None
        )
        await real_apply(writer, spec, child, decision, "convert", origin)
        moved.append(str(child.id))
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(lifecycle, "_move_children", move_one_then_fail)
    r = await u.post(url("lead", world["lead"]["id"], "/convert"), json={})
    assert r.status == 500 and (await r.json())["code"] == "internal_error"
    assert "disk" not in await r.text()
    assert moved and moved[0] in {c["id"] for c in world["contacts"]}
    await _assert_unchanged(u, tenant, world, before)
    monkeypatch.undo()
    r = await u.post(url("lead", world["lead"]["id"], "/convert"), json={})
    assert r.status == 201


async def test_conversion_onto_an_existing_client_id_changes_nothing(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    world = await _lead_with_children(u)
    taken = await make(u, "client")
    before = await _snapshot(u, world)
    r = await u.post(url("lead", world["lead"]["id"], "/convert"), json={"client_id": taken["id"]})
    assert r.status == 409 and (await r.json())["code"] == "conflict"
    await _assert_unchanged(u, tenant, world, before)
    assert await get_json(u, url("client", taken["id"])) == taken


async def test_a_converted_lead_keeps_its_status(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    lead = await (await u.post("/api/v1/leads", json={"name": "Stays converted"})).json()
    assert (await u.post(f"/api/v1/leads/{lead['id']}/convert", json={})).status == 201
    r = await u.patch(f"/api/v1/leads/{lead['id']}", json={"lead_status": "new"})
    assert r.status == 422
    assert "lead_status" in (await r.json())["details"]["fields"]
    r = await u.patch(f"/api/v1/leads/{lead['id']}", json={"notes": "still editable"})
    assert r.status == 200


async def test_conversion_fields_are_set_by_converting_only(tenant: TenantHandle) -> None:
    """``source_lead_id``/``converted_on`` (client) and ``converted_client_id``/``converted_on``
    (lead) are the trace of a conversion: no create or PATCH may forge or change them."""
    u = tenant.users[0]
    lead, other = await make(u, "lead"), await make(u, "lead")
    forged = [
        ("client", {"name": "Forged", "source_lead_id": other["id"]}, "source_lead_id"),
        ("client", {"name": "Forged", "converted_on": "2026-01-01T00:00:00Z"}, "converted_on"),
        ("lead", {"name": "X", "converted_client_id": str(uuid.uuid4())}, "converted_client_id"),
    ]
    for entity, body, field in forged:
        r = await u.post(url(entity), json=body)
        assert r.status == 422 and "convert" in field_error(await r.json(), field), body
    client = await get_json(u, url("client", await _convert(u, lead)))
    r = await u.patch(url("client", client["id"]), json={"source_lead_id": other["id"]})
    assert r.status == 422 and field_error(await r.json(), "source_lead_id")
    # Sending a record back as it is (its conversion fields unchanged) still saves.
    same = {k: client[k] for k in ("source_lead_id", "converted_on")} | {"city": "Tulsa"}
    r = await u.patch(url("client", client["id"]), json=same)
    assert r.status == 200, await r.text()
    assert (await r.json())["source_lead_id"] == lead["id"]
    r = await u.patch(url("lead", lead["id"]), json={"converted_client_id": str(uuid.uuid4())})
    assert r.status == 422 and field_error(await r.json(), "converted_client_id")


async def _convert(actor: Actor, lead: dict[str, Any]) -> str:
    r = await actor.post(url("lead", lead["id"]) + "/convert", json={})
    assert r.status in (200, 201), await r.text()
    return str((await r.json())["id"])
