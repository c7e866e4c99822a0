"""SYNC.md guarantee 5: a device never receives another tenant's data nor records outside its
user's visible set; when a record leaves that set (reassignment, a parent's reassignment) an
eviction ``delete`` arrives, and a user who never saw a record never receives its id, not even
in a delete.

Every test records each id any pull ever delivered to each device (puts and deletes alike), so
"never received" covers the whole history, not only the final state.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from aiohttp.test_utils import TestClient

from sync_server.client import PullSummary
from tests.property import oracle
from tests.property.world import Device, device_for
from tests.support.records import make
from tests.support.tenants import Actor, TenantHandle


class Watched:
    """A device and every (entity, id) its pulls ever carried."""

    def __init__(self, actor: Actor) -> None:
        self.dev: Device = device_for(actor)
        self.seen: set[str] = set()
        self.deleted: set[str] = set()
        self.raw: list[str] = []

    async def sync(self) -> PullSummary:
        await self.dev.client.push()
        summary = await self.dev.client.pull()
        for c in summary.changes:
            self.seen.add(str(c.id))
            if c.op == "delete":
                self.deleted.add(str(c.id))
        self.raw.append(json.dumps([c.model_dump(mode="json") for c in summary.changes]))
        return summary

    def view(self) -> dict[str, dict[str, dict[str, Any]]]:
        return self.dev.client.view()

    def never_heard_of(self, *ids: str) -> bool:
        blob = "".join(self.raw)
        return not any(i in self.seen or i in blob for i in ids)


async def _check_equal_to_server(
    client: TestClient[Any, Any], tenant: TenantHandle, *watched: Watched
) -> None:
    records = await oracle.tenant_records(client, tenant.tenant_id)
    for w in watched:
        assert w.view() == oracle.visible_view(records, w.dev.actor.user_id)


async def test_another_tenants_data_never_reaches_a_device(
    client: TestClient[Any, Any], tenant: TenantHandle, other_tenant: TenantHandle
) -> None:
    theirs = [await make(other_tenant.users[0], e) for e in ("lead", "client", "project")]
    theirs.append(await make(other_tenant.admin, "lead", assigned_to=str(
        other_tenant.users[0].user_id)))  # fmt: skip
    mine = Watched(tenant.users[0])
    admin = Watched(tenant.admin)
    for w in (mine, admin):
        await w.sync()
    ids = [t["id"] for t in theirs]
    # Writing to the other tenant's ids: refused like a missing record (404), never 403; and a
    # create with such an id makes a record of this tenant only.
    mine.dev.client.update("lead", ids[0], {"phone": "555-0100"})
    mine.dev.client.create("lead", {"name": "Same id, my tenant"}, record_id=ids[3])
    answers = await mine.dev.client.push()
    assert answers[0].status == "rejected" and answers[0].error is not None
    assert answers[0].error.code == "not_found"
    assert answers[1].status == "applied"
    await mine.sync()
    await admin.sync()
    assert mine.view()["lead"][ids[3]]["name"] == "Same id, my tenant"
    leaked = {i for i in ids[:3] if not mine.never_heard_of(i) or not admin.never_heard_of(i)}
    assert not leaked
    mine_users = {u["id"] for u in mine.dev.client.synced("user").values()}
    assert str(other_tenant.users[0].user_id) not in mine_users
    assert str(tenant.users[0].user_id) in mine_users
    other = await oracle.tenant_records(client, other_tenant.tenant_id)
    assert other["lead"][ids[3]]["name"] != "Same id, my tenant"
    await _check_equal_to_server(client, tenant, mine, admin)


async def test_reassignment_evicts_the_record_and_its_children(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    u0, u1 = tenant.users
    admin = Watched(tenant.admin)
    w0, w1 = Watched(u0), Watched(u1)
    lead = await make(tenant.admin, "lead", name="Moving", assigned_to=str(u0.user_id))
    kids = {
        "contact": await make(tenant.admin, "contact", lead_id=lead["id"]),
        "interaction": await make(tenant.admin, "interaction", lead_id=lead["id"]),
        "note": await make(tenant.admin, "note", entity="lead", entity_id=lead["id"]),
        "project": await make(tenant.admin, "project", lead_id=lead["id"]),
    }
    project_note = await make(tenant.admin, "note", entity="project",
                              entity_id=kids["project"]["id"])  # fmt: skip
    family = [lead["id"], project_note["id"], *(k["id"] for k in kids.values())]
    for w in (admin, w0, w1):
        await w.sync()
    assert set(family) <= w0.seen and w1.never_heard_of(*family)

    # The admin hands the lead to u1 through sync (the one write path, like any device).
    admin.dev.client.update("lead", lead["id"], {"assigned_to": str(u1.user_id)})
    [moved] = await admin.dev.client.push()
    assert moved.status == "applied"
    evicted = await w0.sync()
    assert {str(c.id) for c in evicted.changes if c.op == "delete"} == set(family)
    assert all(c.op == "delete" for c in evicted.changes if str(c.id) in family)
    arrived = await w1.sync()
    assert {str(c.id) for c in arrived.changes if c.op == "put"} >= set(family)
    await admin.sync()
    await _check_equal_to_server(client, tenant, admin, w0, w1)


async def test_parent_reassignment_evicts_inheriting_children_only(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    u0, u1 = tenant.users
    w0, w1 = Watched(u0), Watched(u1)
    admin = device_for(tenant.admin)
    await admin.client.pull()
    c = admin.client.create("client", {"name": "Parent", "assigned_to": str(u0.user_id)})
    inherits = admin.client.create("project", {"name": "Inherits", "client_id": c})
    own = admin.client.create("project", {"name": "Own", "client_id": c,
                                          "assigned_to": str(u0.user_id)})  # fmt: skip
    note = admin.client.create("note", {"entity": "project", "entity_id": inherits, "body": "x"})
    account = admin.client.create("account", {"client_id": c, "account_number": "A-1"})
    contact = admin.client.create("contact", {"client_id": c, "first_name": "Kim"})
    family = {c, inherits, note, account, contact}
    await admin.client.sync()
    for w in (w0, w1):
        await w.sync()
    assert family | {own} <= set().union(*(w0.view()[e] for e in w0.view()))
    assert w1.never_heard_of(*family, own)

    admin.client.update("client", c, {"assigned_to": str(u1.user_id)})
    [moved] = await admin.client.push()
    assert moved.status == "applied"
    evicted = await w0.sync()
    assert {str(x.id) for x in evicted.changes if x.op == "delete"} == family
    assert own in w0.view()["project"]  # assigned to u0 itself: it does not follow the client
    arrived = await w1.sync()
    assert {str(x.id) for x in arrived.changes if x.op == "put"} >= family
    assert w1.never_heard_of(own)
    await _check_equal_to_server(client, tenant, w0, w1)


async def test_a_user_who_never_saw_a_record_never_hears_of_it(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    u0, u1 = tenant.users
    bystander = Watched(u1)
    await bystander.sync()
    admin = device_for(tenant.admin)
    await admin.client.pull()
    ids = [admin.client.create("lead", {"name": "Private", "assigned_to": str(u0.user_id)})]
    ids.append(admin.client.create("contact", {"lead_id": ids[0], "first_name": "Pat"}))
    ids.append(admin.client.create("client", {"name": "Gone soon"}))
    await admin.client.sync()
    await bystander.sync()
    # Every kind of change to them: edits, reassignment between others, trash, restore, purge.
    admin.client.update("lead", ids[0], {"phone": "555-0100", "assigned_to": None})
    admin.client.update("lead", ids[0], {"assigned_to": str(tenant.admin.user_id)})
    admin.client.delete("client", ids[2])
    admin.client.delete("lead", ids[0])
    admin.client.restore("lead", ids[0])
    await admin.client.sync()
    await bystander.sync()
    r = await tenant.admin.delete(f"/api/v1/trash/client/{ids[2]}")
    assert r.status == 204
    # A conflict of another user stays with that user.
    admin.client.update("lead", ids[0], {"lead_status": "lost"})
    other_admin_device = device_for(tenant.admin)
    await other_admin_device.client.pull()
    other_admin_device.client.update("lead", ids[0], {"lead_status": "qualified"})
    await other_admin_device.client.push()
    [held] = await admin.client.push()
    assert held.status == "conflict"
    await bystander.sync()
    assert bystander.never_heard_of(*ids, str(held.conflict_id))
    assert bystander.dev.client.synced("conflict") == {}
    await _check_equal_to_server(client, tenant, bystander)


async def test_ids_outside_the_visible_set_are_refused_like_missing_ones(
    tenant: TenantHandle,
) -> None:
    u0, u1 = tenant.users
    secret = await make(u1, "lead", name="Secret")
    dev = device_for(u0)
    dev.client.update("lead", secret["id"], {"phone": "555-0100"})
    dev.client.create("note", {"entity": "lead", "entity_id": secret["id"], "body": "peek"})
    dev.client.delete("lead", secret["id"])
    missing = str(uuid.uuid4())
    dev.client.update("lead", missing, {"phone": "555-0100"})
    answers = await dev.client.push()
    errors = [(a.status, a.error.code if a.error else None) for a in answers]
    assert errors[0] == errors[2] == errors[3] == ("rejected", "not_found")
    assert errors[1] == ("rejected", "validation_error")
    assert answers[0].error == answers[3].error  # indistinguishable from a missing record
