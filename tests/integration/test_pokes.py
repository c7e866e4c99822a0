"""Live pokes over the sync WebSocket (SYNC.md "Live updates"), on both backends: in process on
SQLite, through Redis pub/sub on PostgreSQL.

A poke is ``{"type": "poke", "seq": N}`` and nothing else; it goes to the users for whom a record
they may see changed, never to anyone else; a bad token gets an error message and close code 4401.
"""

from __future__ import annotations

import uuid
from typing import Any

import aiohttp
import pytest
from sqlalchemy import update

from sync_server.db.models import User
from sync_server.http.keys import DB
from sync_server.tenancy import mint_for_platform
from tests.support.tenants import Actor, TenantHandle

WS = "/api/v1/sync/ws"
PROTOCOL = "pathsix.sync.v1"
WAIT = 5.0


async def connect(actor: Actor, how: str = "protocol") -> aiohttp.ClientWebSocketResponse:
    """A WebSocket authenticated in the handshake (``bearer.<token>`` sub-protocol) or by a first
    ``{"type": "auth"}`` message; returns it after its ``ready``."""
    if how == "protocol":
        ws = await actor.client.ws_connect(WS, protocols=(PROTOCOL, f"bearer.{actor.token}"))
    else:
        ws = await actor.client.ws_connect(WS, protocols=(PROTOCOL,))
        await ws.send_json({"type": "auth", "token": actor.token})
    assert ws.protocol == PROTOCOL
    assert await ws.receive_json(timeout=WAIT) == {"type": "ready"}
    return ws


async def push_lead(actor: Actor, **fields: Any) -> tuple[str, int]:
    """A new device of ``actor`` creates a lead: (lead id, seq of the push)."""
    lead = str(uuid.uuid4())
    body = {
        "client_id": str(uuid.uuid4()),
        "schema_version": 1,
        "mutations": [
            {
                "mid": 1,
                "entity": "lead",
                "id": lead,
                "op": "create",
                "base_seq": 0,
                "fields": {"name": "Poked lead", **fields},
            },
        ],
    }
    r = await actor.post("/api/v1/sync/push", json=body)
    assert r.status == 200, await r.text()
    result = await r.json()
    assert [x["status"] for x in result["results"]] == ["applied"], result
    return lead, int(result["seq"])


async def pulled_lead_ids(actor: Actor) -> set[str]:
    body = {"client_id": str(uuid.uuid4()), "schema_version": 1}
    r = await actor.post("/api/v1/sync/pull", json=body)
    assert r.status == 200, await r.text()
    page = await r.json()
    assert not page["has_more"]
    return {c["id"] for c in page["changes"] if c["entity"] == "lead"}


@pytest.mark.parametrize("how", ["protocol", "first_message"])
async def test_poke_after_another_devices_push(tenant: TenantHandle, how: str) -> None:
    user = tenant.users[0]
    ws = await connect(user, how)
    try:
        _, seq = await push_lead(user)  # the same user's other device
        poke = await ws.receive_json(timeout=WAIT)
        # Exactly the type and the seq: a poke carries no data.
        assert poke == {"type": "poke", "seq": seq}
        # The socket stays usable: application-level ping.
        await ws.send_str("ping")
        assert (await ws.receive(timeout=WAIT)).data == "pong"
    finally:
        await ws.close()


async def test_user_who_cannot_see_the_record_gets_no_poke(tenant: TenantHandle) -> None:
    owner, stranger, admin = tenant.users[0], tenant.users[1], tenant.admin
    stranger_ws, admin_ws = await connect(stranger), await connect(admin, "first_message")
    try:
        lead, _ = await push_lead(owner)
        # Neither may see the owner's lead (admins too see only their own on sync).
        assert lead not in await pulled_lead_ids(stranger)
        assert lead not in await pulled_lead_ids(admin)
        # Each then pushes a record of its own: the first message each receives is the poke for
        # that push, so the owner's push poked neither (pokes are delivered in publish order).
        _, stranger_seq = await push_lead(stranger)
        assert await stranger_ws.receive_json(timeout=WAIT) == {
            "type": "poke",
            "seq": stranger_seq,
        }
        _, admin_seq = await push_lead(admin)
        assert await admin_ws.receive_json(timeout=WAIT) == {"type": "poke", "seq": admin_seq}
    finally:
        await stranger_ws.close()
        await admin_ws.close()


async def test_assignee_is_poked(tenant: TenantHandle) -> None:
    """A record assigned to a user is one that user may see: the assignee is poked too."""
    admin, assignee = tenant.admin, tenant.users[1]
    ws = await connect(assignee)
    try:
        lead, seq = await push_lead(admin, assigned_to=str(assignee.user_id))
        assert await ws.receive_json(timeout=WAIT) == {"type": "poke", "seq": seq}
        assert lead in await pulled_lead_ids(assignee)
    finally:
        await ws.close()


async def test_rest_writes_poke_too(tenant: TenantHandle) -> None:
    """Not only pushes: a REST edit, a delete to Trash and a restore reach the devices' sockets."""
    admin, assignee = tenant.admin, tenant.users[1]
    lead, _ = await push_lead(admin, assigned_to=str(assignee.user_id))
    ws = await connect(assignee)
    try:
        for method, path, body in (
            ("patch", f"/api/v1/leads/{lead}", {"phone": "555-0100"}),
            ("delete", f"/api/v1/leads/{lead}", None),
            ("post", f"/api/v1/trash/lead/{lead}/restore", None),
        ):
            r = await getattr(admin, method)(path, **({"json": body} if body else {}))
            assert r.status == 200, await r.text()
            poke = await ws.receive_json(timeout=WAIT)
            assert poke == {"type": "poke", "seq": (await r.json())["version"]}, (method, path)
    finally:
        await ws.close()


async def http_error_code(actor: Actor, token: str) -> str:
    """The error code the HTTP API gives for ``token``: the WebSocket must agree."""
    r = await actor.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status == 401, await r.text()
    code: str = (await r.json())["code"]
    return code


async def refused(actor: Actor, token: str, how: str) -> dict[str, Any]:
    """Connect with ``token``: the error message, after which the server closes with 4401."""
    if how == "protocol":
        ws = await actor.client.ws_connect(WS, protocols=(PROTOCOL, f"bearer.{token}"))
    else:
        ws = await actor.client.ws_connect(WS, protocols=(PROTOCOL,))
        await ws.send_json({"type": "auth", "token": token})
    try:
        msg: dict[str, Any] = await ws.receive_json(timeout=WAIT)
        closing = await ws.receive(timeout=WAIT)
        assert closing.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED), closing
        assert ws.close_code == 4401
        return msg
    finally:
        await ws.close()


@pytest.mark.parametrize("how", ["protocol", "first_message"])
async def test_bad_token_gets_error_and_4401(tenant: TenantHandle, how: str) -> None:
    msg = await refused(tenant.admin, "not-a-token", how)
    assert set(msg) == {"type", "error", "code", "details"}
    assert msg["type"] == "error"
    assert msg["code"] == await http_error_code(tenant.admin, "not-a-token")


async def test_token_of_a_deactivated_user_is_refused(tenant: TenantHandle) -> None:
    """The WebSocket checks the user live, as the HTTP middleware does."""
    victim = tenant.users[1]
    app = victim.client.app
    assert app is not None
    async with app[DB].session(mint_for_platform(tenant.tenant_id)) as session:
        await session.execute(
            update(User)
            .where(User.tenant_id == tenant.tenant_id, User.id == victim.user_id)
            .values(is_active=False)
        )
    msg = await refused(victim, victim.token, "protocol")
    assert msg["type"] == "error"
    assert msg["code"] == await http_error_code(victim, victim.token)
