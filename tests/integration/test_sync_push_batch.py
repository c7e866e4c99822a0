"""A push is one batch of the write path (write_path.each_in_batch): rows staged in memory and
written together, seqs handed out under the clock lock. These pin what the batch must not
change: a mutation the database refuses fails alone with the same result as before (the push is
then redone one savepoint per mutation), parents and children created in one push are written
in foreign-key order, a reassignment in a push moves records created earlier in that push, and
the seqs stay gapless and equal to the tenant clock."""

from __future__ import annotations

import uuid
from typing import Any

from aiohttp.test_utils import TestClient

from sync_server.db.models import ChangeLog
from tests.integration.test_sync_idempotency import mut, push, server_seq, statuses
from tests.property.world import device_for
from tests.support.records import db_rows, get_json, make, url
from tests.support.tenants import TenantHandle


async def _log_seqs(client: TestClient[Any, Any], tenant: TenantHandle, after: int) -> list[int]:
    rows = await db_rows(client, tenant.tenant_id, ChangeLog, ChangeLog.seq > after)
    return sorted(r.seq for r in rows)


async def test_a_row_the_database_refuses_fails_alone(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    u = tenant.users[0]
    parent = await make(u, "client", name="Parent")
    device = str(uuid.uuid4())
    before = await server_seq(u, device)
    lead, acc1, acc2, acc3 = (str(uuid.uuid4()) for _ in range(4))
    batch = [
        mut(1, "lead", lead, "create", name="Before"),
        mut(2, "account", acc1, "create", client_id=parent["id"], account_number="N-1"),
        mut(3, "account", acc2, "create", client_id=parent["id"], account_number="N-1"),
        mut(4, "account", acc3, "create", client_id=parent["id"], account_number="N-2"),
        mut(5, "lead", lead, notes="after"),
    ]
    status, body = await push(u, device, batch)
    assert status == 200, body
    assert statuses(body) == ["applied", "applied", "rejected", "applied", "applied"], body
    refused = body["results"][2]
    assert refused["seq"] is None and refused["error"]["code"] == "conflict"
    assert refused["error"]["error"] == "The change breaks a uniqueness or reference rule"
    assert body["last_mutation_id"] == 5
    seqs = [r["seq"] for r in body["results"] if r["status"] == "applied"]
    assert seqs == list(range(before + 1, before + 5)) and body["seq"] == seqs[-1]
    assert await _log_seqs(client, tenant, before) == seqs  # nothing of mid 3 was logged
    await get_json(u, url("account", acc1))
    await get_json(u, url("account", acc2), status=404)
    assert (await get_json(u, url("lead", lead)))["notes"] == "after"


async def test_parents_and_children_of_one_push_are_written_in_order(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    u = tenant.users[0]
    device = str(uuid.uuid4())
    before = await server_seq(u, device)
    c, lead, project = (str(uuid.uuid4()) for _ in range(3))
    children = {  # created before their parents in the list of tables, after them in the push
        "account": {"client_id": c, "account_number": "O-1"},
        "contact": {"lead_id": lead, "first_name": "Kim"},
        "interaction": {"client_id": c, "project_id": project, "contact_date":
                        "2026-01-01T10:00:00Z", "summary": "Call"},
        "note": {"entity": "project", "entity_id": project, "body": "x"},
        "subscription": {"client_id": c, "plan_name": "Basic", "price": "10.00",
                         "billing_cycle": "monthly"},
    }  # fmt: skip
    batch = [
        mut(1, "client", c, "create", name="C"),
        mut(2, "lead", lead, "create", name="L"),
        mut(3, "project", project, "create", name="P", client_id=c),
    ]
    ids = {}
    for mid, (entity, fields) in enumerate(children.items(), start=4):
        ids[entity] = str(uuid.uuid4())
        batch.append(mut(mid, entity, ids[entity], "create") | {"fields": fields})
    status, body = await push(u, device, batch)
    assert status == 200 and set(statuses(body)) == {"applied"}, body
    assert await _log_seqs(client, tenant, before) == list(range(before + 1, before + 9))
    for entity, record_id in ids.items():
        await get_json(u, url(entity, record_id))


async def test_a_reassignment_moves_what_the_same_push_created(tenant: TenantHandle) -> None:
    admin, (u0, u1) = tenant.admin, tenant.users
    dev, w0, w1 = device_for(admin), device_for(u0), device_for(u1)
    for d in (dev, w0, w1):
        await d.client.pull()
    c = dev.client.create("client", {"name": "Moved", "assigned_to": str(u0.user_id)})
    contact = dev.client.create("contact", {"client_id": c, "first_name": "Kim"})
    dev.client.update("client", c, {"assigned_to": str(u1.user_id)})
    answers = await dev.client.push()  # one push: the contact exists only in the batch yet
    assert [a.status for a in answers] == ["applied"] * 3
    await w0.client.pull()
    await w1.client.pull()
    assert c not in w0.client.synced("client") and contact not in w0.client.synced("contact")
    assert c in w1.client.synced("client") and contact in w1.client.synced("contact")
