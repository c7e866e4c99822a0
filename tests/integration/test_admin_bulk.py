"""Admin bulk actions (``POST /api/v1/admin/{entity}/bulk``): per-id results through the one write
path, request-level 422 for values wrong for every id, and changes that reach devices by sync."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from sync_server.client import HttpTransport, SyncClient
from sync_server.entities import ENTITIES
from sync_server.schemas.admin import OVERVIEW_ENTITIES
from tests.support.records import field_error, get_json, make, url
from tests.support.tenants import Actor, TenantHandle

A = "/api/v1/admin"


def bulk_url(entity: str) -> str:
    return f"{A}/{ENTITIES[entity].path}/bulk"


async def bulk(admin: Actor, entity: str, status: int = 200, **body: Any) -> dict[str, Any]:
    r = await admin.post(bulk_url(entity), json=body)
    assert r.status == status, await r.text()
    data: dict[str, Any] = await r.json()
    return data


def device(actor: Actor) -> SyncClient:
    return SyncClient(HttpTransport(actor.client, actor.token))


async def test_status_assign_and_delete_with_per_id_results(
    tenant: TenantHandle, other_tenant: TenantHandle
) -> None:
    admin, (u0, u1) = tenant.admin, tenant.users
    mine = [await make(u0, "lead"), await make(u1, "lead")]
    foreign = await make(other_tenant.users[0], "lead")
    ids = [mine[0]["id"], foreign["id"], mine[1]["id"], str(uuid.uuid4())]

    body = await bulk(admin, "lead", action="status", ids=ids, value="qualified")
    assert [r["status"] for r in body["results"]] == ["ok", "failed", "ok", "failed"]
    assert [r["id"] for r in body["results"]] == ids
    for failed in (body["results"][1], body["results"][3]):
        assert failed["error"]["code"] == "not_found"
    for lead in mine:
        assert (await get_json(admin, f"{A}/leads?q={lead['name']}"))["items"][0][
            "lead_status"
        ] == "qualified"
    # Another tenant's record is untouched.
    other = await get_json(other_tenant.users[0], url("lead", foreign["id"]))
    assert other["lead_status"] == "new" and other["version"] == foreign["version"]

    body = await bulk(admin, "lead", action="assign", ids=ids[:3], value=str(u1.user_id))
    assert [r["status"] for r in body["results"]] == ["ok", "failed", "ok"]
    assert (await get_json(u1, url("lead", mine[0]["id"])))["assigned_to"] == str(u1.user_id)

    body = await bulk(admin, "lead", action="delete", ids=ids)
    assert [r["status"] for r in body["results"]] == ["ok", "failed", "ok", "failed"]
    for lead, owner in zip(mine, (u0, u1), strict=True):
        assert (await get_json(owner, url("lead", lead["id"])))["deleted_at"] is not None
    assert (await get_json(admin, f"{A}/leads?q={mine[0]['name']}"))["items"] == []


@pytest.mark.parametrize("entity", OVERVIEW_ENTITIES)
async def test_every_overview_entity_takes_status_and_delete(
    tenant: TenantHandle, entity: str
) -> None:
    admin = tenant.admin
    record = await make(tenant.users[0], entity)
    value = {"lead": "lost", "client": "cancelled", "project": "completed", "account": "closed"}
    await bulk(admin, entity, action="status", ids=[record["id"]], value=value[entity])
    field = ENTITIES[entity].status_field
    assert field is not None
    assert (await get_json(tenant.users[0], url(entity, record["id"])))[field] == value[entity]
    body = await bulk(admin, entity, action="delete", ids=[record["id"]])
    assert body["results"][0]["status"] == "ok"


async def test_values_wrong_for_every_id_refuse_the_whole_request(
    tenant: TenantHandle, other_tenant: TenantHandle
) -> None:
    admin, user = tenant.admin, tenant.users[0]
    lead = await make(user, "lead")
    account = await make(user, "account")
    inactive = tenant.users[1]
    assert (await admin.post(f"{A}/users/{inactive.user_id}/deactivate")).status == 200
    ids = [lead["id"]]
    cases: list[tuple[str, dict[str, Any], str]] = [
        ("lead", {"action": "status", "value": "oil_and_gas"}, "value"),
        ("lead", {"action": "status", "value": "converted"}, "value"),
        ("lead", {"action": "status", "value": None}, "value"),
        ("lead", {"action": "status", "value": "closed"}, "value"),  # an account status
        ("lead", {"action": "assign", "value": "not-a-uuid"}, "value"),
        ("lead", {"action": "assign", "value": str(uuid.uuid4())}, "value"),
        ("lead", {"action": "assign", "value": str(other_tenant.admin.user_id)}, "value"),
        ("lead", {"action": "assign", "value": str(inactive.user_id)}, "value"),
        ("lead", {"action": "delete", "value": "x"}, "value"),
        ("lead", {"action": "purge"}, "action"),
        ("account", {"action": "assign", "value": str(user.user_id)}, "action"),
        ("lead", {"action": "delete", "ids": []}, "ids"),
        ("lead", {"action": "delete", "ids": [str(uuid.uuid4())] * 501}, "ids"),
        ("lead", {"action": "delete", "ids": ["nope"]}, "ids.0"),
        ("lead", {"action": "delete", "extra": 1}, "extra"),
    ]
    for entity, body, field in cases:
        sent = {"ids": ids if entity == "lead" else [account["id"]]} | body
        answer = await bulk(admin, entity, 422, **sent)
        field_error(answer, field)
    unchanged = await get_json(user, url("lead", lead["id"]))
    assert unchanged["version"] == lead["version"] and unchanged["assigned_to"] is None


async def test_admin_only(tenant: TenantHandle) -> None:
    lead = await make(tenant.users[0], "lead")
    r = await tenant.users[0].post(bulk_url("lead"), json={"action": "delete", "ids": [lead["id"]]})
    assert r.status == 403
    assert (await get_json(tenant.users[0], url("lead", lead["id"])))["deleted_at"] is None


async def test_bulk_assign_reaches_devices_and_evicts_the_old_owner(tenant: TenantHandle) -> None:
    admin, (u0, u1) = tenant.admin, tenant.users
    leads = [await make(admin, "lead", assigned_to=str(u0.user_id)) for _ in range(2)]
    contact = await make(admin, "contact", lead_id=leads[0]["id"])
    note = await make(admin, "note", entity="lead", entity_id=leads[1]["id"])
    # A grandchild: an interaction of a project that inherits the lead's owner.
    project = await make(admin, "project", lead_id=leads[1]["id"])
    call = await make(admin, "interaction", lead_id=leads[1]["id"], project_id=project["id"])
    kids = {"contact": contact["id"], "note": note["id"], "project": project["id"],
            "interaction": call["id"]}  # fmt: skip
    old, new = device(u0), device(u1)
    await old.pull()
    await new.pull()
    ids = {lead["id"] for lead in leads}
    assert ids <= old.synced("lead").keys() and not ids & new.synced("lead").keys()

    await bulk(admin, "lead", action="assign", ids=sorted(ids), value=str(u1.user_id))

    gained = await new.pull()
    assert ids <= {str(c.id) for c in gained.changes if c.op == "put"}
    assert ids <= new.synced("lead").keys()
    assert all(rid in new.synced(kind) for kind, rid in kids.items())
    lost = await old.pull()
    assert ids <= {str(c.id) for c in lost.changes if c.op == "delete"}
    assert not ids & old.synced("lead").keys()
    assert not any(rid in old.synced(kind) for kind, rid in kids.items())


async def test_offline_edit_meets_a_bulk_change_as_a_conflict(tenant: TenantHandle) -> None:
    admin, user = tenant.admin, tenant.users[0]
    lead = await make(user, "lead")
    phone = device(user)
    await phone.pull()
    phone.update("lead", lead["id"], {"lead_status": "contacted"})  # offline
    await bulk(admin, "lead", action="status", ids=[lead["id"]], value="lost")
    [result] = await phone.push()
    assert result.status == "conflict" and result.conflict_id is not None
    assert (await get_json(user, url("lead", lead["id"])))["lead_status"] == "lost"
    conflict = await get_json(admin, f"{A}/conflicts/{result.conflict_id}")
    assert conflict["fields"]["lead_status"]["client"] == "contacted"
    assert conflict["fields"]["lead_status"]["server"] == "lost"
