"""Trash (API.md "Trash"): list, restore, purge (admin), bulk purge, and what a purge takes
with it (services/lifecycle.py: owned children purged, standalone records detached)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from sync_server.entities import ENTITIES
from sync_server.http.trash import TRASH_ENTITIES
from tests.support.records import get_json, list_ids, make, record_exists, url
from tests.support.tenants import Actor, TenantHandle

T = "/api/v1/trash"
ADMIN_T = "/api/v1/admin/trash"


async def _trash_ids(actor: Actor, entity: str) -> list[str]:
    body = await get_json(actor, f"{T}?entity={entity}&limit=100")
    return [i["id"] for i in body["items"]]


@pytest.mark.parametrize("entity", list(ENTITIES))
async def test_delete_list_restore(tenant: TenantHandle, entity: str) -> None:
    u, other = tenant.users
    rec = await make(u, entity)
    assert (await u.delete(url(entity, rec["id"]))).status == 200
    assert rec["id"] not in await list_ids(u, entity)
    trashed = await get_json(u, f"{T}?entity={entity}&count=true")
    assert [i["id"] for i in trashed["items"]] == [rec["id"]] and trashed["total"] == 1
    assert trashed["items"][0]["deleted_at"].endswith("Z")
    # Trash follows visibility like every list.
    assert rec["id"] not in await _trash_ids(other, entity)
    assert rec["id"] not in await _trash_ids(tenant.admin, entity)
    assert (await other.post(f"{T}/{entity}/{rec['id']}/restore")).status == 404

    r = await u.post(f"{T}/{entity}/{rec['id']}/restore")
    assert r.status == 200, await r.text()
    restored = await r.json()
    assert restored["deleted_at"] is None and restored["version"] > trashed["items"][0]["version"]
    assert rec["id"] in await list_ids(u, entity)
    assert rec["id"] not in await _trash_ids(u, entity)


async def test_trash_list_parameters(tenant: TenantHandle) -> None:
    assert set(TRASH_ENTITIES) == set(ENTITIES)  # nothing deleted is out of Trash's reach
    u = tenant.users[0]
    for bad in ("", "?entity=widget", "?entity=lead&colour=red", "?entity=lead&limit=101"):
        r = await u.get(T + bad)
        assert r.status == 422, bad
    older, newer = await make(u, "lead"), await make(u, "lead")
    await u.delete(url("lead", newer["id"]))
    await u.delete(url("lead", older["id"]))
    assert await _trash_ids(u, "lead") == [older["id"], newer["id"]]  # -deleted_at first
    first = await get_json(u, f"{T}?entity=lead&limit=1")
    rest = await get_json(u, f"{T}?entity=lead&limit=1&cursor={first['next_cursor']}")
    assert [i["id"] for i in first["items"] + rest["items"]] == [older["id"], newer["id"]]


async def test_purge_is_admin_only_and_final(tenant: TenantHandle) -> None:
    admin, u = tenant.admin, tenant.users[0]
    lead = await make(admin, "lead", assigned_to=str(u.user_id))
    path = f"{T}/lead/{lead['id']}"
    r = await admin.delete(path)
    assert r.status == 404  # not in Trash yet
    assert await record_exists(admin.client, tenant.tenant_id, "lead", lead["id"])
    assert (await u.delete(url("lead", lead["id"]))).status == 200
    r = await u.delete(path)
    assert r.status == 403 and (await r.json())["code"] == "forbidden"
    assert (await admin.delete(path)).status == 204
    assert not await record_exists(admin.client, tenant.tenant_id, "lead", lead["id"])
    for actor in (admin, u):
        assert (await actor.get(url("lead", lead["id"]))).status == 404
        assert (await actor.patch(url("lead", lead["id"]), json={"name": "x"})).status == 404
        assert (await actor.post(f"{T}/lead/{lead['id']}/restore")).status == 404
        assert lead["id"] not in await _trash_ids(actor, "lead")
    assert (await admin.delete(path)).status == 404
    assert (await admin.delete(f"{T}/widget/{lead['id']}")).status == 422


async def test_bulk_purge_reports_each_item(tenant: TenantHandle) -> None:
    admin, u = tenant.admin, tenant.users[0]
    gone, live = await make(admin, "client"), await make(admin, "project")
    await admin.delete(url("client", gone["id"]))
    items = [{"entity": "client", "id": gone["id"]}, {"entity": "project", "id": live["id"]}]
    r = await u.post(f"{T}/purge", json={"items": items})
    assert r.status == 403
    r = await admin.post(f"{T}/purge", json={"items": items})
    assert r.status == 200, await r.text()
    results = (await r.json())["results"]
    assert results[0] == {"entity": "client", "id": gone["id"], "status": "purged"}
    failed = results[1]
    assert failed["status"] == "failed" and failed["id"] == live["id"]
    assert failed["error"]["code"] == "not_found" and failed["error"]["error"]
    assert set(failed["error"]) == {"error", "code", "details"}
    assert not await record_exists(admin.client, tenant.tenant_id, "client", gone["id"])
    assert (await get_json(admin, url("project", live["id"])))["deleted_at"] is None
    for body in ({"items": []}, {"items": [{"entity": "widget", "id": live["id"]}]}, {}):
        assert (await admin.post(f"{T}/purge", json=body)).status == 422


async def _family(admin: Actor, parent: str) -> dict[str, dict[str, Any]]:
    """One record of each kind hanging off a fresh ``parent`` (contact/interaction/note...)."""
    p = await make(admin, parent)
    link = {f"{parent}_id": p["id"]}
    fam: dict[str, dict[str, Any]] = {parent: p}
    if parent in ("client", "lead"):
        fam["contact"] = await make(admin, "contact", **link)
        fam["interaction"] = await make(admin, "interaction", **link)
        fam["project"] = await make(admin, "project", **link)
    if parent == "client":
        fam["account"] = await make(admin, "account", **link)
        fam["subscription"] = await make(admin, "subscription", **link)
    if parent == "project":
        fam["interaction"] = await make(admin, "interaction", project_id=p["id"])
    fam["note"] = await make(admin, "note", entity=parent, entity_id=p["id"])
    return fam


@pytest.mark.parametrize("parent", ["client", "lead", "project"])
async def test_purge_takes_owned_children_and_detaches_the_rest(
    tenant: TenantHandle, parent: str
) -> None:
    admin = tenant.admin
    fam = await _family(admin, parent)
    bystander = await make(
        admin, "note", entity="lead", entity_id=(await make(admin, "lead"))["id"]
    )
    pid = fam[parent]["id"]
    # A trashed child is purged too, and a child the parent's owner alone sees as well.
    await admin.delete(url("note", fam["note"]["id"]))
    assert (await admin.delete(url(parent, pid))).status == 200
    assert (await admin.delete(f"{T}/{parent}/{pid}")).status == 204

    detached = {"project": f"{parent}_id"} if parent != "project" else {"interaction": "project_id"}
    for entity, rec in fam.items():
        exists = await record_exists(admin.client, tenant.tenant_id, entity, rec["id"])
        if entity in detached:
            assert exists, entity
            after = await get_json(admin, url(entity, rec["id"]))
            assert after[detached[entity]] is None and after["version"] > rec["version"]
        else:
            assert not exists, entity
            assert (await admin.get(url(entity, rec["id"]))).status == 404
    assert await record_exists(admin.client, tenant.tenant_id, "note", bystander["id"])


async def test_admin_trash_covers_the_whole_tenant(tenant: TenantHandle) -> None:
    """/admin/trash: every user's trashed records, restored one by one or many at once, with a
    result per item; the normal /trash keeps the admin's own visibility."""
    admin, (u0, u1) = tenant.admin, tenant.users
    theirs = [await make(u, "lead") for u in (u0, u1, u1)]
    contact = await make(u0, "contact")
    for actor, kind, rec in [(u0, "lead", theirs[0]), (u1, "lead", theirs[1]),
                             (u1, "lead", theirs[2]), (u0, "contact", contact)]:  # fmt: skip
        assert (await actor.delete(url(kind, rec["id"]))).status == 200
    assert theirs[0]["id"] not in await _trash_ids(admin, "lead")
    listed = await get_json(admin, f"{ADMIN_T}?entity=lead&count=true&limit=100")
    assert {r["id"] for r in theirs} <= {i["id"] for i in listed["items"]}
    contacts = await get_json(admin, f"{ADMIN_T}?entity=contact&limit=100")
    assert contact["id"] in [i["id"] for i in contacts["items"]]
    items = [{"entity": "lead", "id": theirs[0]["id"]}, {"entity": "contact", "id": contact["id"]},
             {"entity": "lead", "id": str(uuid.uuid4())}]  # fmt: skip
    r = await admin.post(f"{ADMIN_T}/restore", json={"items": items})
    assert r.status == 200, await r.text()
    results = (await r.json())["results"]
    assert [x["status"] for x in results] == ["restored", "restored", "failed"]
    assert results[2]["error"]["code"] == "not_found"
    assert (await get_json(u0, url("lead", theirs[0]["id"])))["deleted_at"] is None
    assert (await get_json(u0, url("contact", contact["id"])))["deleted_at"] is None
    assert theirs[1]["id"] in await _trash_ids(u1, "lead")  # not asked for: still in Trash
    assert (await u0.get(f"{ADMIN_T}?entity=lead")).status == 403
    assert (await u0.post(f"{ADMIN_T}/restore", json={"items": items})).status == 403
    assert (await admin.get(f"{ADMIN_T}?entity=widget")).status == 422
