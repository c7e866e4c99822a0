"""Admin user management (``/api/v1/admin/users``): listing with roles and last sync, creating and
inviting, roles with the last-admin rule, deactivation cutting off tokens and devices,
reactivation, and reassignment of a user's records through the write path."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from aiohttp.test_utils import TestClient

from sync_server.client import HttpTransport, SyncClient, SyncHttpError
from sync_server.http.keys import SERVICES
from sync_server.services.mail import LogMailer
from tests.support.records import field_error, get_json, make, url
from tests.support.tenants import PASSWORD, Actor, TenantHandle

U = "/api/v1/admin/users"


def new_email(prefix: str) -> str:
    # A deliverable-looking domain: user emails are validated as real addresses (not .test).
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


def device(actor: Actor) -> SyncClient:
    return SyncClient(HttpTransport(actor.client, actor.token))


async def call(actor: Actor, method: str, path: str, status: int, **kw: Any) -> dict[str, Any]:
    r = await actor.request(method, path, **kw)
    assert r.status == status, await r.text()
    data: dict[str, Any] = await r.json()
    return data


async def login(client: TestClient[Any, Any], email: str, password: str) -> Any:
    return await client.post("/api/v1/auth/login", json={"email": email, "password": password})


async def test_list_with_roles_state_and_last_sync(tenant: TenantHandle) -> None:
    admin, (u0, u1) = tenant.admin, tenant.users
    await device(u0).pull()
    body = await call(admin, "GET", f"{U}?count=true", 200)
    assert body["total"] == 3 and body["next_cursor"] is None
    by_id = {i["id"]: i for i in body["items"]}
    assert by_id[str(admin.user_id)]["roles"] == ["admin", "user"]
    assert by_id[str(u0.user_id)]["roles"] == ["user"] and by_id[str(u0.user_id)]["is_active"]
    assert by_id[str(u0.user_id)]["devices"] == 1 and by_id[str(u0.user_id)]["last_sync_at"]
    assert by_id[str(u1.user_id)]["devices"] == 0 and by_id[str(u1.user_id)]["last_sync_at"] is None
    one = await call(admin, "PATCH", f"{U}/{u0.user_id}", 200, json={"name": "Renamed"})
    assert one["devices"] == 1 and one["last_sync_at"] == by_id[str(u0.user_id)]["last_sync_at"]
    # Pages by email, filters by text and state.
    first = await call(admin, "GET", f"{U}?limit=2", 200)
    rest = await call(admin, "GET", f"{U}?limit=2&cursor={first['next_cursor']}", 200)
    emails = [i["email"] for i in first["items"] + rest["items"]]
    assert emails == sorted(emails) and len(emails) == 3 and rest["next_cursor"] is None
    found = await call(admin, "GET", f"{U}?q={u1.email.split('@')[0].upper()}", 200)
    assert [i["id"] for i in found["items"]] == [str(u1.user_id)]
    assert (await call(admin, "GET", f"{U}?active=false", 200))["items"] == []
    field_error(await call(admin, "GET", f"{U}?limit=0", 422), "limit")
    field_error(await call(admin, "GET", f"{U}?role=admin", 422), "role")
    field_error(await call(admin, "GET", f"{U}?q=a%00b", 422), "q")  # NUL: no 500 on PostgreSQL
    await call(u0, "GET", U, 403)


async def test_create_with_a_password_logs_in_at_once(tenant: TenantHandle) -> None:
    admin, client = tenant.admin, tenant.admin.client
    email = new_email("new")
    body = {"email": email.upper(), "name": "New Person", "roles": ["user", "file_uploads"]}
    created = await call(admin, "POST", U, 201, json=body | {"password": PASSWORD})
    assert created["email"] == email and created["roles"] == ["file_uploads", "user"]
    assert created["invited"] is False and created["is_active"] and created["devices"] == 0
    r = await login(client, email, PASSWORD)
    assert r.status == 200 and (await r.json())["user"]["roles"] == ["file_uploads", "user"]
    # Email is unique across the platform; bad input is a 422 naming the field.
    await call(admin, "POST", U, 409, json={"email": email, "password": PASSWORD})
    for sent, field in [
        ({"email": "nope", "password": PASSWORD}, "email"),
        ({"email": new_email("x"), "password": "short"}, "password"),
        ({"email": new_email("x"), "roles": ["owner"]}, "roles.0"),
        ({"email": new_email("x"), "roles": []}, "roles"),
        ({"email": new_email("x"), "tenant_id": str(uuid.uuid4())}, "tenant_id"),
    ]:
        field_error(await call(admin, "POST", U, 422, json=sent), field)
    await call(tenant.users[0], "POST", U, 403, json={"email": new_email("x")})


async def test_invite_mails_a_link_to_choose_a_password(tenant: TenantHandle) -> None:
    admin, client = tenant.admin, tenant.admin.client
    app = client.app
    assert app is not None
    mailer = app[SERVICES].mailer
    assert isinstance(mailer, LogMailer)
    email = new_email("invited")
    created = await call(admin, "POST", U, 201, json={"email": email, "name": "Invited"})
    assert created["invited"] is True
    [mail] = [m for m in mailer.outbox if m.to == email]
    link = next(line for line in mail.body.splitlines() if "token=" in line)
    token = parse_qs(urlparse(link).query)["token"][0]
    new_password = "a brand new password"
    r = await client.post(
        "/api/v1/auth/reset-password", json={"token": token, "password": new_password}
    )
    assert r.status == 204, await r.text()
    assert (await login(client, email, new_password)).status == 200


async def test_roles_name_and_the_last_admin(tenant: TenantHandle) -> None:
    admin, (u0, _u1) = tenant.admin, tenant.users
    path = f"{U}/{u0.user_id}"
    changed = await call(admin, "PATCH", path, 200, json={"name": "Renamed", "roles": ["admin"]})
    assert changed["name"] == "Renamed" and changed["roles"] == ["admin"]
    # The role is read live: u0's old token now reaches admin routes.
    await call(u0, "GET", U, 200)
    # Two admins: one may drop their own admin role, then the other is the last one.
    await call(u0, "PATCH", f"{U}/{u0.user_id}", 200, json={"roles": ["user"]})
    refused = await call(admin, "PATCH", f"{U}/{admin.user_id}", 409, json={"roles": ["user"]})
    assert refused["code"] == "conflict" and refused["details"]["reason"] == "last_admin"
    assert (await call(admin, "GET", f"{U}?q={admin.email}", 200))["items"][0]["roles"] == [
        "admin",
        "user",
    ]
    await call(admin, "POST", f"{U}/{admin.user_id}/deactivate", 409)
    field_error(await call(admin, "PATCH", path, 422, json={"roles": ["root"]}), "roles.0")
    field_error(await call(admin, "PATCH", path, 422, json={"email": "x@y.z"}), "email")
    await call(admin, "PATCH", f"{U}/{uuid.uuid4()}", 404, json={"name": "Nobody"})
    await call(u0, "PATCH", path, 403, json={"name": "Self service"})


async def test_deactivation_cuts_off_tokens_and_devices(tenant: TenantHandle) -> None:
    admin, (u0, u1) = tenant.admin, tenant.users
    lead = await make(u0, "lead")
    phone = device(u0)
    await phone.pull()
    watcher = device(u1)
    await watcher.pull()

    off = await call(admin, "POST", f"{U}/{u0.user_id}/deactivate", 200)
    assert off["is_active"] is False

    assert (await u0.get(url("lead", lead["id"]))).status == 401
    phone.update("lead", lead["id"], {"city": "Offline"})
    with pytest.raises(SyncHttpError) as push:
        await phone.push()
    assert push.value.status == 401
    with pytest.raises(SyncHttpError) as pull:
        await phone.pull()
    assert pull.value.status == 401
    assert (await login(u0.client, u0.email, PASSWORD)).status == 403
    # Nothing is deleted: the record and the user are there; devices learn the change.
    assert (await get_json(admin, f"/api/v1/admin/leads?q={lead['name']}"))["items"]
    changes = (await watcher.pull()).changes
    [user_change] = [c for c in changes if c.entity == "user" and str(c.id) == str(u0.user_id)]
    assert user_change.record is not None and user_change.record["is_active"] is False
    # An unknown or foreign id is a 404; yourself a 409.
    await call(admin, "POST", f"{U}/{uuid.uuid4()}/deactivate", 404)
    await call(admin, "POST", f"{U}/{admin.user_id}/deactivate", 409)

    on = await call(admin, "POST", f"{U}/{u0.user_id}/reactivate", 200)
    assert on["is_active"] is True
    assert (await u0.get(url("lead", lead["id"]))).status == 200
    await phone.push()
    assert (await get_json(u0, url("lead", lead["id"])))["city"] == "Offline"


async def test_reassign_moves_every_owned_record_through_sync(tenant: TenantHandle) -> None:
    admin, (u0, u1) = tenant.admin, tenant.users
    created = [await make(u0, e) for e in ("lead", "client", "project")]
    assigned = await make(admin, "lead", assigned_to=str(u0.user_id))
    trashed = await make(u0, "lead")
    assert (await u0.delete(url("lead", trashed["id"]))).status == 200
    client = await make(admin, "client", assigned_to=str(u0.user_id))
    under_client = await make(u0, "project", client_id=client["id"])  # follows its client
    others = await make(u1, "lead")
    old, new = device(u0), device(u1)
    await old.pull()
    await new.pull()
    await call(admin, "POST", f"{U}/{u0.user_id}/deactivate", 200)

    body = await call(
        admin, "POST", f"{U}/{u0.user_id}/reassign", 200, json={"to_user_id": str(u1.user_id)}
    )
    moved = {r["id"] for r in body["results"]}
    expected = {r["id"] for r in (*created, assigned, trashed, client)}
    assert moved == expected and all(r["status"] == "ok" for r in body["results"])
    assert under_client["id"] not in moved and others["id"] not in moved
    for entity, record in zip(("lead", "client", "project"), created, strict=True):
        assert (await get_json(u1, url(entity, record["id"])))["assigned_to"] == str(u1.user_id)
    assert (await get_json(u1, url("project", under_client["id"])))["assigned_to"] is None

    pulled = await new.pull()
    received = {str(c.id) for c in pulled.changes if c.op == "put"}
    assert (expected | {under_client["id"]}) <= received
    # The assigned lead and client are gone from u0's view (evictions, once they sync again).
    await call(admin, "POST", f"{U}/{u0.user_id}/reactivate", 200)
    evicted = {str(c.id) for c in (await old.pull()).changes if c.op == "delete"}
    assert {assigned["id"], client["id"], under_client["id"]} <= evicted


async def test_reassign_refuses_bad_targets(
    tenant: TenantHandle, other_tenant: TenantHandle
) -> None:
    admin, (u0, u1) = tenant.admin, tenant.users
    path = f"{U}/{u0.user_id}/reassign"
    for target in (u0.user_id, uuid.uuid4(), other_tenant.admin.user_id):
        answer = await call(admin, "POST", path, 422, json={"to_user_id": str(target)})
        field_error(answer, "to_user_id")
    await call(admin, "POST", f"{U}/{u1.user_id}/deactivate", 200)
    field_error(
        await call(admin, "POST", path, 422, json={"to_user_id": str(u1.user_id)}), "to_user_id"
    )
    await call(
        admin, "POST", f"{U}/{uuid.uuid4()}/reassign", 404, json={"to_user_id": str(u0.user_id)}
    )
    await call(u0, "POST", path, 403, json={"to_user_id": str(u1.user_id)})


async def test_user_changes_reach_every_device(tenant: TenantHandle) -> None:
    admin, (u0, u1) = tenant.admin, tenant.users
    phone = device(u1)
    await phone.pull()
    created = await call(
        admin, "POST", U, 201, json={"email": new_email("n"), "password": PASSWORD}
    )
    await call(admin, "PATCH", f"{U}/{u0.user_id}", 200, json={"name": "Zed"})
    changes = {str(c.id): c for c in (await phone.pull()).changes if c.entity == "user"}
    assert created["id"] in changes and str(u0.user_id) in changes
    assert phone.synced("user")[str(u0.user_id)]["name"] == "Zed"
