"""Visibility inside a tenant (API.md "Visibility"), path by path, on detail and list alike."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import MakeTenant
from tests.support.records import base_body, field_error, get_json, make, sees, url
from tests.support.tenants import Actor, TenantHandle


async def _assign(actor: Actor, entity: str, record_id: str, user: Actor | None) -> Any:
    value = str(user.user_id) if user else None
    return await actor.patch(url(entity, record_id), json={"assigned_to": value})


async def _who_sees(t: TenantHandle, entity: str, record_id: str) -> set[str]:
    everyone = {"admin": t.admin} | {f"u{i}": u for i, u in enumerate(t.users)}
    return {name for name, actor in everyone.items() if await sees(actor, entity, record_id)}


@pytest.fixture
async def t3(make_tenant: MakeTenant) -> TenantHandle:
    return await make_tenant(n_users=3)


@pytest.mark.parametrize("entity", ["lead", "client"])
async def test_creator_and_assignee_only(t3: TenantHandle, entity: str) -> None:
    u0, u1 = t3.users[0], t3.users[1]
    own = await make(u0, entity)
    assert await _who_sees(t3, entity, own["id"]) == {"u0"}
    assigned = await make(u0, entity, assigned_to=str(u1.user_id))
    assert await _who_sees(t3, entity, assigned["id"]) == {"u0", "u1"}
    # An admin gets the same rule on the normal endpoints.
    r = await t3.admin.patch(url(entity, own["id"]), json={"name": "admin was here"})
    assert r.status == 404 and (await r.json())["code"] == "not_found"
    assert (await t3.admin.delete(url(entity, own["id"]))).status == 404
    assert (await get_json(u0, url(entity, own["id"])))["version"] == own["version"]


async def test_project_paths(t3: TenantHandle) -> None:
    admin, (u0, u1, u2) = t3.admin, t3.users
    client = await make(admin, "client", assigned_to=str(u0.user_id))
    lead = await make(admin, "lead", assigned_to=str(u0.user_id))

    # Own assignment: assignee and creator; the client's owner does not inherit it.
    assigned = await make(admin, "project", client_id=client["id"], assigned_to=str(u1.user_id))
    assert await _who_sees(t3, "project", assigned["id"]) == {"admin", "u1"}
    # Unassigned with a client: whoever sees the client.
    via_client = await make(admin, "project", client_id=client["id"], lead_id=lead["id"])
    assert await _who_sees(t3, "project", via_client["id"]) == {"admin", "u0"}
    # Unassigned, no client, a lead: whoever sees the lead.
    via_lead = await make(admin, "project", lead_id=lead["id"])
    assert await _who_sees(t3, "project", via_lead["id"]) == {"admin", "u0"}
    # Neither: the creator alone.
    alone = await make(u2, "project")
    assert await _who_sees(t3, "project", alone["id"]) == {"u2"}

    # Moving the parents moves the inherited visibility, not the assigned one.
    assert (await _assign(admin, "client", client["id"], u2)).status == 200
    assert await _who_sees(t3, "project", via_client["id"]) == {"admin", "u2"}
    assert await _who_sees(t3, "project", via_lead["id"]) == {"admin", "u0"}
    assert await _who_sees(t3, "project", assigned["id"]) == {"admin", "u1"}
    # Unassigning the project hands it back to its client's audience.
    assert (await _assign(admin, "project", assigned["id"], None)).status == 200
    assert await _who_sees(t3, "project", assigned["id"]) == {"admin", "u2"}


CHILD_CASES = [
    ("contact", "lead"),
    ("contact", "client"),
    ("account", "client"),
    ("subscription", "client"),
    ("interaction", "lead"),
    ("interaction", "client"),
    ("note", "lead"),
    ("note", "client"),
    ("note", "project"),
]


@pytest.mark.parametrize(("child", "parent"), CHILD_CASES)
async def test_children_follow_their_parent(t3: TenantHandle, child: str, parent: str) -> None:
    admin, (u0, u1, _u2) = t3.admin, t3.users
    p = await make(admin, parent, assigned_to=str(u0.user_id))
    link = {"note": {"entity": parent, "entity_id": p["id"]}}.get(child, {f"{parent}_id": p["id"]})
    c = await make(u0, child, **link)
    assert await _who_sees(t3, child, c["id"]) == {"admin", "u0"}
    # The child's own creator loses it with the parent: visibility is the parent's alone.
    assert (await _assign(admin, parent, p["id"], u1)).status == 200
    assert await _who_sees(t3, child, c["id"]) == {"admin", "u1"}
    r = await u0.patch(url(child, c["id"]), json={})
    assert r.status == 404


async def test_interaction_project_link_does_not_grant_visibility(t3: TenantHandle) -> None:
    u0, u1 = t3.users[0], t3.users[1]
    project = await make(u0, "project", assigned_to=str(u1.user_id))
    client = await make(u0, "client")
    it = await make(u0, "interaction", client_id=client["id"], project_id=project["id"])
    assert await _who_sees(t3, "interaction", it["id"]) == {"u0"}


async def test_reassignment_rights(t3: TenantHandle) -> None:
    admin, (u0, u1, u2) = t3.admin, t3.users
    lead = await make(u0, "lead")
    # The owner (creator of an unassigned lead) may hand it on...
    assert (await _assign(u0, "lead", lead["id"], u1)).status == 200
    # ...then the assignee owns it; the creator still sees it but may not reassign it.
    assert await sees(u0, "lead", lead["id"])
    r = await _assign(u0, "lead", lead["id"], u0)
    assert r.status == 403 and (await r.json())["code"] == "forbidden"
    r = await u0.patch(url("lead", lead["id"]), json={"name": "still editable"})
    assert r.status == 200
    assert (await _assign(u1, "lead", lead["id"], u2)).status == 200
    assert await _who_sees(t3, "lead", lead["id"]) == {"u0", "u2"}
    # An admin may reassign what they see, even when not the owner.
    mine = await make(admin, "lead", assigned_to=str(u0.user_id))
    assert (await _assign(admin, "lead", mine["id"], u1)).status == 200
    assert (await get_json(u1, url("lead", mine["id"])))["assigned_to"] == str(u1.user_id)
    # A project's creator is not its owner once it is assigned.
    project = await make(u0, "project", assigned_to=str(u1.user_id))
    assert (await _assign(u0, "project", project["id"], u2)).status == 403
    assert (await _assign(u1, "project", project["id"], u2)).status == 200
    # Assignees must be active users of the tenant.
    r = await _assign(u2, "project", project["id"], None)
    assert r.status == 200
    r = await u0.patch(url("project", project["id"]), json={"assigned_to": str(lead["id"])})
    assert r.status == 422
    field_error(await r.json(), "assigned_to")


async def test_reassigning_a_lead_moves_its_children(t3: TenantHandle) -> None:
    admin, (u0, u1, _u2) = t3.admin, t3.users
    lead = await make(admin, "lead", assigned_to=str(u0.user_id))
    kids = {
        "contact": await make(u0, "contact", lead_id=lead["id"]),
        "interaction": await make(u0, "interaction", lead_id=lead["id"]),
        "note": await make(u0, "note", entity="lead", entity_id=lead["id"]),
        "project": await make(u0, "project", lead_id=lead["id"]),
    }
    for entity, rec in kids.items():
        assert await sees(u0, entity, rec["id"]) and not await sees(u1, entity, rec["id"])
    assert (await _assign(admin, "lead", lead["id"], u1)).status == 200
    for entity, rec in kids.items():
        assert await sees(u1, entity, rec["id"]), entity
        assert not await sees(u0, entity, rec["id"]), entity
        assert await sees(admin, entity, rec["id"]), entity


PARENT_LINKS = [
    ("contact", "client_id", "client"),
    ("contact", "lead_id", "lead"),
    ("account", "client_id", "client"),
    ("subscription", "client_id", "client"),
    ("interaction", "lead_id", "lead"),
    ("project", "client_id", "client"),
    ("project", "lead_id", "lead"),
    ("note", "entity_id", "project"),
]


@pytest.mark.parametrize(("child", "field", "parent"), PARENT_LINKS)
async def test_no_child_under_an_invisible_parent(
    t3: TenantHandle, child: str, field: str, parent: str
) -> None:
    u0, u1 = t3.users[0], t3.users[1]
    hidden = await make(u1, parent)
    missing = "00000000-0000-4000-8000-000000000000"
    extra: dict[str, Any] = {"entity": parent} if child == "note" else {}
    answers = []
    for target in (hidden["id"], missing):
        r = await u0.post(url(child), json=base_body(child, "x") | extra | {field: target})
        assert r.status == 422
        answers.append(await r.json())
    assert answers[0] == answers[1]
    assert field_error(answers[0], field) == f"no such {parent}"
    # Nor can an existing child be moved under it.
    visible = await make(u0, parent)
    mine = await make(u0, child, **{field: visible["id"]}, **extra)
    r = await u0.patch(url(child, mine["id"]), json={field: hidden["id"]})
    assert r.status == 422 and field_error(await r.json(), field) == f"no such {parent}"
