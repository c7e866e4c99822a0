"""The reference client's own rules (sync_server/client): pending edits are rebased on every
pull, an outbox entry leaves only when a pull proves the server state contains it, lost requests
and responses cost a retry and nothing else, and it works over a plain aiohttp ClientSession."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from sync_server.client import HttpTransport, SyncClient, TransportError
from tests.property import oracle
from tests.property.world import device_for, settle
from tests.support.records import get_json, make, url
from tests.support.tenants import TenantHandle


async def test_pending_edits_are_rebased_on_pulled_state(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    lead = await make(u, "lead", name="Base", phone="555-0100")
    dev = device_for(u)
    await dev.client.pull()
    dev.client.update("lead", lead["id"], {"phone": "555-0199"})
    r = await u.patch(url("lead", lead["id"]), json={"notes": "typed in the office"})
    assert r.status == 200
    await dev.client.pull()
    synced = dev.client.synced("lead")[lead["id"]]
    assert synced["notes"] == "typed in the office" and synced["phone"] == "555-0100"
    shown = dev.client.view()["lead"][lead["id"]]
    assert shown["notes"] == "typed in the office" and shown["phone"] == "555-0199"
    await dev.client.sync()
    assert dev.client.pending == []
    assert dev.client.view()["lead"][lead["id"]] == await get_json(u, url("lead", lead["id"]))


async def test_a_push_alone_never_drops_the_outbox(tenant: TenantHandle) -> None:
    dev = device_for(tenant.users[0])
    lead = dev.client.create("lead", {"name": "Kept"})
    await dev.client.push()
    assert [m.id for m in dev.client.pending] == [lead] and dev.client.acked_mid == 1
    assert await dev.client.push() == []  # nothing beyond what the server acknowledged
    summary = await dev.client.pull()
    assert summary.last_mutation_id == 1 and dev.client.pending == []
    assert dev.client.synced("lead")[lead]["name"] == "Kept"


async def test_a_pull_settles_a_push_whose_response_was_lost(tenant: TenantHandle) -> None:
    dev = device_for(tenant.users[0])
    dev.client.create("lead", {"name": "Answered by the pull"})
    dev.lossy.drop_responses("/push")
    with pytest.raises(TransportError):
        await dev.client.push()
    await dev.client.pull()
    assert dev.client.pending == [] and dev.client.acked_mid == 1
    assert await dev.client.push() == []  # no resend needed


async def test_a_request_that_never_arrived_is_simply_sent_again(tenant: TenantHandle) -> None:
    dev = device_for(tenant.users[0])
    dev.client.create("lead", {"name": "Second try"})
    dev.lossy.drop_requests("/push")
    with pytest.raises(TransportError):
        await dev.client.push()
    assert [a.status for a in await dev.client.push()] == ["applied"]


async def test_a_lost_pull_changes_nothing_locally(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    await make(u, "lead")
    dev = device_for(u, page_limit=2)
    dev.lossy.drop_responses("/pull")
    with pytest.raises(TransportError):
        await dev.client.pull()
    assert dev.client.cursor is None and dev.client.store.records == {}
    await dev.client.pull()
    assert len(dev.client.synced("lead")) == 1


async def test_offline_chain_of_edits_replays_in_order(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    u = tenant.users[0]
    dev = device_for(u)
    lead = dev.client.create("lead", {"name": "Chain"})
    contact = dev.client.create("contact", {"lead_id": lead, "first_name": "Jo"})
    dev.client.update("lead", lead, {"lead_status": "qualified"})
    new_client = dev.client.convert(lead)
    dev.client.update("client", new_client, {"phone": "555-0142"})
    dev.client.delete("contact", contact)
    view = dev.client.view()
    assert view["lead"][lead]["lead_status"] == "converted"
    assert view["contact"][contact]["client_id"] == new_client
    assert view["contact"][contact]["deleted_at"] is not None
    answers = await dev.client.push()
    assert {a.status for a in answers} == {"applied"}, answers
    await dev.client.pull()
    records = await oracle.tenant_records(client, tenant.tenant_id)
    assert dev.client.view() == oracle.visible_view(records, u.user_id)
    assert records["client"][new_client]["phone"] == "555-0142"


async def test_over_a_plain_client_session(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    u = tenant.users[0]
    async with aiohttp.ClientSession() as session:
        transport = HttpTransport(session, u.token, base_url=str(client.make_url("/")))
        dev = SyncClient(transport)
        lead = dev.create("lead", {"name": "Over the wire"})
        await dev.sync()
        assert dev.synced("lead")[lead]["name"] == "Over the wire"
    async with aiohttp.ClientSession() as session:
        broken = SyncClient(HttpTransport(session, u.token, "http://127.0.0.1:9"))
        broken.create("lead", {"name": "No server"})
        with pytest.raises(TransportError):
            await broken.push()
        assert len(broken.pending) == 1


async def test_devices_of_one_user_converge(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    u = tenant.users[0]
    phone, laptop = device_for(u), device_for(u)
    lead = phone.client.create("lead", {"name": "Phone's"})
    await settle([phone, laptop])
    laptop.client.update("lead", lead, {"notes": "from the laptop"})
    phone.client.update("lead", lead, {"phone": "555-0100"})
    await settle([phone, laptop])
    records = await oracle.tenant_records(client, tenant.tenant_id)
    assert phone.client.view() == laptop.client.view() == oracle.visible_view(records, u.user_id)
    assert records["lead"][lead]["notes"] == "from the laptop"
