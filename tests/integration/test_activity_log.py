"""Every change through the write path leaves an activity_log row: who, what, which fields."""

from __future__ import annotations

from sync_server.db.models import ChangeLog
from sync_server.entities import ENTITIES
from tests.support.records import activity, db_rows, get_json, make, url
from tests.support.tenants import TenantHandle

T = "/api/v1/trash"


async def test_each_action_is_logged_with_user_and_fields(tenant: TenantHandle) -> None:
    admin, u = tenant.admin, tenant.users[0]
    lead = await make(admin, "lead", name="Logged", assigned_to=str(u.user_id))
    client = admin.client
    await u.patch(url("lead", lead["id"]), json={"city": "Reno", "lead_status": "contacted"})
    await u.patch(url("lead", lead["id"]), json={"city": "Reno"})  # no change, no row
    await u.delete(url("lead", lead["id"]))
    await admin.post(f"{T}/lead/{lead['id']}/restore")
    r = await u.post(url("lead", lead["id"], "/convert"), json={})
    converted = await r.json()

    rows = await activity(client, tenant.tenant_id, lead["id"])
    got = [(r.action, r.user_id, r.fields["changed"]) for r in rows]
    assert got == [
        ("create", admin.user_id, sorted(ENTITIES["lead"].fields)),
        ("update", u.user_id, ["city", "lead_status"]),
        ("delete", u.user_id, ["deleted_at"]),
        ("restore", admin.user_id, ["deleted_at"]),
        ("convert", u.user_id, ["converted_client_id", "converted_on", "lead_status"]),
    ]
    assert all(r.entity == "lead" and str(r.record_id) == lead["id"] for r in rows)
    seqs = [r.seq for r in rows]
    assert seqs == sorted(set(seqs))
    assert (await get_json(u, url("lead", lead["id"])))["version"] == seqs[-1]

    client_rows = await activity(client, tenant.tenant_id, converted["id"])
    assert [(r.action, r.user_id) for r in client_rows] == [("create", u.user_id)]
    assert "source_lead_id" in client_rows[0].fields["changed"]


async def test_child_moves_and_rejections(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    lead = await make(u, "lead")
    contact = await make(u, "contact", lead_id=lead["id"])
    r = await u.patch(url("contact", contact["id"]), json={"first_name": ""})
    assert r.status == 422  # refused writes leave no trace
    await u.post(url("lead", lead["id"], "/convert"), json={})
    rows = await activity(u.client, tenant.tenant_id, contact["id"])
    assert [(r.action, r.user_id, r.fields["changed"]) for r in rows] == [
        ("create", u.user_id, sorted(ENTITIES["contact"].fields)),
        ("convert", u.user_id, ["client_id", "lead_id"]),
    ]
    changes = await db_rows(
        u.client, tenant.tenant_id, ChangeLog, ChangeLog.record_id == rows[0].record_id
    )
    assert [(c.seq, c.action) for c in changes] == [(r.seq, r.action) for r in rows]
