"""The admin conflict queue: conflicts made by real pushes of two devices, listed, inspected and
resolved through the one write path, and the resolution seen by the devices' pulls."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient

from tests.support.records import make, url
from tests.support.statements import statements
from tests.support.tenants import Actor, TenantHandle

API = "/api/v1"
Q = f"{API}/admin/conflicts"
EDITED_AT = "2026-11-21T09:12:00.000Z"


@dataclass
class Device:
    """A device of one user speaking the sync protocol."""

    actor: Actor
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    mid: int = 0
    cursor: str | None = None
    base_seq: int = 0

    @property
    def headers(self) -> dict[str, str]:
        return {"User-Agent": f"PathSixApp/1.0 ({self.actor.email})"}

    async def pull(self, cursor: str | None = None, *, keep: bool = True) -> dict[str, Any]:
        body = {"client_id": self.id, "schema_version": 1, "cursor": cursor or self.cursor}
        r = await self.actor.post(f"{API}/sync/pull", json=body, headers=self.headers)
        assert r.status == 200, await r.text()
        data: dict[str, Any] = await r.json()
        if keep:
            self.cursor, self.base_seq = data["cursor"], data["server_seq"]
        return data

    async def sync_all(self) -> None:
        while (await self.pull())["has_more"]:
            pass

    async def push(
        self, entity: str, record_id: str, op: str, fields: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        self.mid += 1
        mutation = {
            "mid": self.mid,
            "entity": entity,
            "id": record_id,
            "op": op,
            "base_seq": self.base_seq,
            "fields": fields or {},
            "client_time": EDITED_AT,
        }
        r = await self.actor.post(
            f"{API}/sync/push",
            json={"client_id": self.id, "schema_version": 1, "mutations": [mutation]},
            headers=self.headers,
        )
        assert r.status == 200, await r.text()
        result: dict[str, Any] = (await r.json())["results"][0]
        return result


@dataclass
class Scene:
    """User A created a lead assigned to user B; each has a device that synced, then both
    edited the lead offline from the same base."""

    tenant: TenantHandle
    lead: dict[str, Any]
    da: Device
    db: Device

    @property
    def admin(self) -> Actor:
        return self.tenant.admin

    @property
    def a(self) -> Actor:
        return self.da.actor

    @property
    def b(self) -> Actor:
        return self.db.actor


async def scene(tenant: TenantHandle) -> Scene:
    a, b = tenant.users
    lead = await make(a, "lead", assigned_to=str(b.user_id))
    da, db = Device(a), Device(b)
    await da.sync_all()
    await db.sync_all()
    return Scene(tenant, lead, da, db)


async def field_conflicts(s: Scene) -> tuple[str, str]:
    """A sets lead_status + phone, then B (stale) sets other values: lead_status is held (open
    conflict), phone merges by LWW (auto_resolved, A's value lost)."""
    lid = s.lead["id"]
    first = await s.da.push(
        "lead", lid, "update", {"lead_status": "contacted", "phone": "555-0111"}
    )
    assert first["status"] == "applied", first
    second = await s.db.push(
        "lead", lid, "update", {"lead_status": "qualified", "phone": "555-0122"}
    )
    assert second["status"] == "conflict" and second["conflict_id"], second
    items = await list_items(s.admin, f"record_id={lid}&status=auto_resolved")
    assert len(items) == 1
    return second["conflict_id"], items[0]["id"]


async def list_items(admin: Actor, query: str = "") -> list[dict[str, Any]]:
    r = await admin.get(f"{Q}?{query}")
    assert r.status == 200, await r.text()
    items: list[dict[str, Any]] = (await r.json())["items"]
    return items


async def get_lead(actor: Actor, lead_id: str) -> dict[str, Any]:
    r = await actor.get(url("lead", lead_id))
    assert r.status == 200, await r.text()
    data: dict[str, Any] = await r.json()
    return data


async def resolve(admin: Actor, cid: str, status: int = 200, **body: Any) -> dict[str, Any]:
    r = await admin.post(f"{Q}/{cid}/resolve", json=body)
    assert r.status == status, await r.text()
    data: dict[str, Any] = await r.json()
    return data


def changes_of(pull: dict[str, Any], entity: str, record_id: str) -> list[dict[str, Any]]:
    return [c for c in pull["changes"] if c["entity"] == entity and c["id"] == record_id]


def field_errors(body: dict[str, Any]) -> dict[str, list[str]]:
    assert body["code"] == "validation_error", body
    fields: dict[str, list[str]] = body["details"]["fields"]
    return fields


# Listing ---------------------------------------------------------------------------------------


async def test_list_filters_and_pages(tenant: TenantHandle) -> None:
    s = await scene(tenant)
    open_id, auto_id = await field_conflicts(s)
    admin = s.admin

    r = await admin.get(f"{Q}?count=true")
    assert r.status == 200, await r.text()
    body = await r.json()
    assert set(body) == {"items", "next_cursor", "limit", "total", "record_titles"}
    assert body["total"] == 2 and body["limit"] == 25 and body["next_cursor"] is None
    assert {i["id"] for i in body["items"]} == {open_id, auto_id}
    assert body["record_titles"] == {s.lead["id"]: s.lead["name"]}
    assert "total" not in await (await admin.get(Q)).json()

    assert [i["id"] for i in await list_items(admin, "status=open")] == [open_id]
    assert [i["id"] for i in await list_items(admin, "status=auto_resolved")] == [auto_id]
    assert await list_items(admin, "status=resolved") == []
    assert len(await list_items(admin, "entity=lead")) == 2
    assert await list_items(admin, "entity=client") == []
    assert len(await list_items(admin, f"user_id={s.b.user_id}")) == 2
    assert await list_items(admin, f"user_id={s.a.user_id}") == []
    assert len(await list_items(admin, f"client_id={s.db.id}")) == 2
    assert await list_items(admin, f"client_id={s.da.id}") == []
    assert [i["id"] for i in await list_items(admin, "kind=field&status=open")] == [open_id]
    today = datetime.now(UTC).date()
    day = timedelta(days=1)
    assert len(await list_items(admin, f"created_from={today}&created_to={today}")) == 2
    assert await list_items(admin, f"created_from={today + day}") == []
    assert await list_items(admin, f"created_to={today - day}") == []

    # Keyset pages, newest first, no duplicates.
    first = await (await admin.get(f"{Q}?limit=1")).json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    second = await (await admin.get(f"{Q}?limit=1&cursor={first['next_cursor']}")).json()
    assert len(second["items"]) == 1 and second["next_cursor"] is None
    pages = [first["items"][0], second["items"][0]]
    assert {p["id"] for p in pages} == {open_id, auto_id}
    assert pages[0]["created_at"] >= pages[1]["created_at"]


async def test_list_refuses_bad_parameters(tenant: TenantHandle) -> None:
    admin = tenant.admin
    cases = {
        "status=closed": "status",
        "sort=-created_at": "sort",
        "bogus=1": "bogus",
        "limit=0": "limit",
        "limit=101": "limit",
        "entity=nope": "entity",
        "user_id=not-a-uuid": "user_id",
        "created_from=yesterday": "created_from",
        "created_from=2026-02-02&created_to=2026-02-01": "created_to",
        "cursor=garbage": "cursor",
    }
    for query, name in cases.items():
        r = await admin.get(f"{Q}?{query}")
        assert r.status == 422, (query, await r.text())
        assert name in field_errors(await r.json()), query
    body = await (await admin.get(f"{Q}?bogus=1")).json()
    message = " ".join(body["details"]["fields"]["bogus"])
    assert "allowed" in message and "status" in message and "created_from" in message
    body = await (await admin.get(f"{Q}?status=closed")).json()
    assert "auto_resolved" in " ".join(body["details"]["fields"]["status"])


# Detail ----------------------------------------------------------------------------------------


async def test_detail_shows_both_sides_who_device_and_live_values(tenant: TenantHandle) -> None:
    s = await scene(tenant)
    open_id, auto_id = await field_conflicts(s)
    r = await s.admin.get(f"{Q}/{open_id}")
    assert r.status == 200, await r.text()
    d = await r.json()
    assert d["id"] == open_id and d["status"] == "open" and d["kind"] == "field"
    assert d["entity"] == "lead" and d["record_id"] == s.lead["id"]
    assert d["user"] == {"id": str(s.b.user_id), "email": s.b.email, "name": "User 1"}
    assert d["device"]["client_id"] == s.db.id
    assert d["device"]["user_agent"].startswith("PathSixApp/1.0")
    assert d["device"]["last_seen_at"].endswith("Z")
    assert d["pushed_at"] == d["created_at"] and d["pushed_at"].endswith("Z")
    assert d["edited_at"] == "2026-11-21T09:12:00Z"
    view = d["field_views"]["lead_status"]
    assert view["server"] == "contacted" and view["client"] == "qualified"
    assert view["current"] == "contacted" and view["policy"] == "manual"
    assert view["winner"] == "server"
    assert set(d["field_views"]) == {"lead_status"}
    assert d["current"] == {"lead_status": "contacted"}
    assert d["record"]["exists"] is True and d["record"]["deleted_at"] is None
    assert d["record"]["version"] >= 1 and d["record"]["title"] == s.lead["name"]
    assert set(d["choices"]) == {"server", "client", "custom"}

    auto = await (await s.admin.get(f"{Q}/{auto_id}")).json()
    view = auto["field_views"]["phone"]
    # LWW: the device (B) arrived later and won; the server value (A's) is the loser.
    assert view == {
        "base": None,
        "server": "555-0111",
        "client": "555-0122",
        "current": "555-0122",
        "policy": "lww",
        "winner": "client",
    }
    assert "Restore" in auto["choices"]["server"]


async def test_admin_only_and_tenant_scoped(
    tenant: TenantHandle, other_tenant: TenantHandle
) -> None:
    s = await scene(tenant)
    open_id, _ = await field_conflicts(s)
    for actor in (s.a, s.b):
        assert (await actor.get(Q)).status == 403
        assert (await actor.get(f"{Q}/{open_id}")).status == 403
        r = await actor.post(f"{Q}/{open_id}/resolve", json={"choice": "client"})
        assert r.status == 403 and (await r.json())["code"] == "forbidden"
        r = await actor.post(f"{Q}/resolve", json={"ids": [open_id], "choice": "client"})
        assert r.status == 403
    stranger = other_tenant.admin
    r = await stranger.get(f"{Q}/{open_id}")
    assert r.status == 404 and (await r.json())["code"] == "not_found"
    r = await stranger.post(f"{Q}/{open_id}/resolve", json={"choice": "client"})
    assert r.status == 404
    assert await list_items(stranger) == []
    assert (await s.admin.get(f"{Q}/not-a-uuid")).status == 404
    assert (await s.admin.get(f"{Q}/{uuid.uuid4()}")).status == 404
    # The stranger's bulk attempt fails per id and changes nothing.
    r = await stranger.post(f"{Q}/resolve", json={"ids": [open_id], "choice": "client"})
    assert (await r.json())["results"][0]["status"] == "failed"
    assert (await get_lead(s.a, s.lead["id"]))["lead_status"] == "contacted"


# Resolution ------------------------------------------------------------------------------------


async def test_resolve_client_applies_the_device_value_and_reaches_devices(
    tenant: TenantHandle,
) -> None:
    s = await scene(tenant)
    open_id, _ = await field_conflicts(s)
    await s.da.pull()
    await s.db.pull()
    before = await get_lead(s.a, s.lead["id"])
    assert before["lead_status"] == "contacted"

    d = await resolve(s.admin, open_id, choice="client")
    assert d["status"] == "resolved" and d["resolved_by"] == str(s.admin.user_id)
    assert d["resolved_at"].endswith("Z") and d["choices"] == {}
    res = d["resolution"]
    assert res["choice"] == "client" and res["action"] == "update"
    assert res["fields"] == {"lead_status": "qualified"} and res["previous_status"] == "open"
    after = await get_lead(s.a, s.lead["id"])
    assert after["lead_status"] == "qualified"
    assert after["version"] > before["version"] and res["seq"] >= after["version"]
    assert d["current"] == {"lead_status": "qualified"}

    # The pushing device gets the record and its conflict, now resolved.
    pulled = await s.db.pull()
    [put] = changes_of(pulled, "lead", s.lead["id"])
    assert put["op"] == "put" and put["record"]["lead_status"] == "qualified"
    [conflict] = changes_of(pulled, "conflict", open_id)
    assert conflict["record"]["status"] == "resolved"
    assert conflict["record"]["resolution"]["choice"] == "client"
    # The other device sees the record change (not B's conflict).
    pulled = await s.da.pull()
    [put] = changes_of(pulled, "lead", s.lead["id"])
    assert put["record"]["lead_status"] == "qualified"
    assert changes_of(pulled, "conflict", open_id) == []

    again = await resolve(s.admin, open_id, 409, choice="server")
    assert again["code"] == "conflict" and again["details"]["resolution"]["choice"] == "client"
    assert await list_items(s.admin, "status=open") == []


async def test_resolve_server_keeps_the_live_value(tenant: TenantHandle) -> None:
    s = await scene(tenant)
    open_id, _ = await field_conflicts(s)
    await s.db.pull()
    before = await get_lead(s.a, s.lead["id"])
    d = await resolve(s.admin, open_id, choice="server")
    assert d["status"] == "resolved"
    assert d["resolution"] == {
        "choice": "server",
        "action": "keep",
        "fields": {},
        "seq": None,
        "previous_status": "open",
    }
    after = await get_lead(s.a, s.lead["id"])
    assert after["lead_status"] == "contacted" and after["version"] == before["version"]
    pulled = await s.db.pull()
    [conflict] = changes_of(pulled, "conflict", open_id)
    assert conflict["record"]["status"] == "resolved"
    assert changes_of(pulled, "lead", s.lead["id"]) == []


async def test_resolving_takes_the_tenant_clock_before_the_conflict(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    """A push locks held conflicts under the tenant clock; a resolution must take the two in the
    same order, or an admin resolving while the device pushes deadlocks (PostgreSQL)."""
    s = await scene(tenant)
    open_id, _ = await field_conflicts(s)
    with statements(client) as sent:
        await resolve(s.admin, open_id, choice="client")
    clock = next(i for i, q in enumerate(sent) if "FROM tenant_clock" in q)
    conflict = next(i for i, q in enumerate(sent) if "FROM conflicts" in q)
    assert clock < conflict, sent[: conflict + 1]
    if "FOR UPDATE" in sent[conflict]:  # PostgreSQL: both are locks (SQLite has none)
        assert "FOR UPDATE" in sent[clock], sent[clock]


async def test_resolve_custom_is_validated_like_a_write(tenant: TenantHandle) -> None:
    s = await scene(tenant)
    open_id, _ = await field_conflicts(s)
    body = await resolve(s.admin, open_id, 422, choice="custom", fields={"name": "Other"})
    assert "fields.name" in field_errors(body)
    assert "lead_status" in " ".join(field_errors(body)["fields.name"])
    body = await resolve(s.admin, open_id, 422, choice="custom", fields={"lead_status": "won"})
    assert "lead_status" in field_errors(body)
    body = await resolve(
        s.admin, open_id, 422, choice="custom", fields={"lead_status": "converted"}
    )
    assert "lead_status" in field_errors(body)
    assert "fields" in field_errors(await resolve(s.admin, open_id, 422, choice="custom"))
    body = await resolve(s.admin, open_id, 422, choice="server", fields={"lead_status": "lost"})
    assert "fields" in field_errors(body)
    assert "choice" in field_errors(await resolve(s.admin, open_id, 422, choice="mine"))
    # Nothing of the refused attempts stuck.
    assert (await (await s.admin.get(f"{Q}/{open_id}")).json())["status"] == "open"

    d = await resolve(s.admin, open_id, choice="custom", fields={"lead_status": "lost"})
    assert d["resolution"]["fields"] == {"lead_status": "lost"}
    assert (await get_lead(s.b, s.lead["id"]))["lead_status"] == "lost"


async def test_restore_an_auto_resolved_loser(tenant: TenantHandle) -> None:
    s = await scene(tenant)
    _, auto_id = await field_conflicts(s)
    assert (await get_lead(s.a, s.lead["id"]))["phone"] == "555-0122"  # B won by LWW
    await s.da.pull()
    # "server" = the server side's value, which lost: restore it.
    d = await resolve(s.admin, auto_id, choice="server")
    assert d["resolution"]["action"] == "restore_loser"
    assert d["resolution"]["previous_status"] == "auto_resolved"
    assert d["resolution"]["fields"] == {"phone": "555-0111"}
    lead = await get_lead(s.a, s.lead["id"])
    assert lead["phone"] == "555-0111"
    [put] = changes_of(await s.da.pull(), "lead", s.lead["id"])
    assert put["record"]["phone"] == "555-0111"
    assert d["field_views"]["phone"]["winner"] == "client"  # as recorded


async def test_restore_a_delete_that_lost_to_a_restore(tenant: TenantHandle) -> None:
    s = await scene(tenant)
    lid = s.lead["id"]
    assert (await s.da.push("lead", lid, "delete"))["status"] == "applied"
    merged = await s.db.push("lead", lid, "restore")  # had not seen the delete
    assert merged["status"] == "merged", merged
    assert (await get_lead(s.a, lid))["deleted_at"] is None
    [auto] = await list_items(s.admin, f"record_id={lid}&status=auto_resolved")
    assert set(auto["fields"]) == {"deleted_at"} and auto["fields"]["deleted_at"]["server"]
    d = await (await s.admin.get(f"{Q}/{auto['id']}")).json()
    assert "back to Trash" in d["choices"]["server"]
    d = await resolve(s.admin, auto["id"], choice="server")
    assert d["resolution"]["action"] == "restore_loser" and d["record"]["deleted_at"]
    assert (await get_lead(s.a, lid))["deleted_at"] is not None


async def test_keep_an_auto_resolved_winner(tenant: TenantHandle) -> None:
    s = await scene(tenant)
    _, auto_id = await field_conflicts(s)
    before = await get_lead(s.a, s.lead["id"])
    d = await resolve(s.admin, auto_id, choice="client")
    assert d["status"] == "resolved" and d["resolution"]["action"] == "keep"
    after = await get_lead(s.a, s.lead["id"])
    assert after["phone"] == "555-0122" and after["version"] == before["version"]


async def test_bulk_resolve_per_id_results(tenant: TenantHandle) -> None:
    s = await scene(tenant)
    open_id, auto_id = await field_conflicts(s)
    missing = str(uuid.uuid4())
    r = await s.admin.post(
        f"{Q}/resolve", json={"ids": [open_id, missing, auto_id, open_id], "choice": "client"}
    )
    assert r.status == 200, await r.text()
    results = (await r.json())["results"]
    assert [(x["id"], x["status"]) for x in results] == [
        (open_id, "resolved"),
        (missing, "failed"),
        (auto_id, "resolved"),
    ]
    assert results[1]["error"]["code"] == "not_found"
    lead = await get_lead(s.a, s.lead["id"])
    assert lead["lead_status"] == "qualified" and lead["phone"] == "555-0122"
    # Already resolved ones fail alone.
    r = await s.admin.post(f"{Q}/resolve", json={"ids": [open_id], "choice": "server"})
    [only] = (await r.json())["results"]
    assert only["status"] == "failed" and only["error"]["code"] == "conflict"
    for bad in (
        {"ids": [], "choice": "client"},
        {"ids": [open_id], "choice": "custom"},
        {"ids": [str(uuid.uuid4()) for _ in range(501)], "choice": "server"},
        {"ids": ["nope"], "choice": "server"},
    ):
        r = await s.admin.post(f"{Q}/resolve", json=bad)
        assert r.status == 422, bad


async def test_bulk_failure_rolls_back_only_its_own_item(tenant: TenantHandle) -> None:
    """A resolution whose write is refused (here: the record was purged since) fails alone."""
    s = await scene(tenant)
    open_id, auto_id = await field_conflicts(s)
    r = await s.a.delete(url("lead", s.lead["id"]))
    assert r.status == 200
    r = await s.admin.delete(f"{API}/trash/lead/{s.lead['id']}")
    assert r.status == 204
    other = await scene(tenant)
    other_open, _ = await field_conflicts(other)
    r = await s.admin.post(
        f"{Q}/resolve", json={"ids": [open_id, other_open, auto_id], "choice": "client"}
    )
    results = (await r.json())["results"]
    assert [x["status"] for x in results] == ["failed", "resolved", "resolved"]
    assert results[0]["error"]["code"] == "conflict"  # the record is gone
    assert (await get_lead(other.a, other.lead["id"]))["lead_status"] == "qualified"
    d = await resolve(s.admin, open_id, choice="server")  # discarding still works
    assert d["status"] == "resolved" and d["record"]["exists"] is False


async def test_list_titles_take_one_read_per_entity(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    """Record names on a page of conflicts: one read per entity on the page, not per record."""
    a, b = tenant.users
    admin = tenant.admin
    leads = [await make(a, "lead", name=f"Lead {i}", assigned_to=str(b.user_id)) for i in range(6)]
    dev = Device(b)
    await dev.sync_all()
    for lead in leads:  # moved away from b, whose offline edits are then held
        body = {"assigned_to": str(a.user_id)}
        r = await admin.patch(f"{API}/admin/leads/{lead['id']}", json=body)
        assert r.status == 200, await r.text()
    for lead in leads:
        held = await dev.push("lead", lead["id"], "update", {"city": "Tulsa"})
        assert held["status"] == "conflict", held
    with statements(client) as sent:
        body = await (await admin.get(f"{Q}?entity=lead")).json()
    assert body["record_titles"] == {lead["id"]: lead["name"] for lead in leads}
    reads = [s for s in sent if "FROM leads" in s]
    assert len(reads) == 1, reads


# Whole-record conflict kinds -------------------------------------------------------------------


async def test_delete_update_device_deleted(tenant: TenantHandle) -> None:
    s = await scene(tenant)
    lid = s.lead["id"]
    assert (await s.da.push("lead", lid, "update", {"name": "Renamed"}))["status"] == "applied"
    held = await s.db.push("lead", lid, "delete")
    assert held["status"] == "conflict", held
    d = await (await s.admin.get(f"{Q}/{held['conflict_id']}")).json()
    assert d["kind"] == "delete_update" and "name" in d["field_views"]
    assert d["field_views"]["name"]["client"] is None
    assert "Trash" in d["choices"]["client"]
    assert (await get_lead(s.a, lid))["deleted_at"] is None
    await s.da.pull()
    d = await resolve(s.admin, held["conflict_id"], choice="client")
    assert d["resolution"]["action"] == "trash" and d["record"]["deleted_at"]
    lead = await get_lead(s.a, lid)
    assert lead["deleted_at"] is not None and lead["name"] == "Renamed"
    [put] = changes_of(await s.da.pull(), "lead", lid)
    assert put["record"]["deleted_at"] is not None


async def test_delete_update_device_deleted_server_keeps(tenant: TenantHandle) -> None:
    s = await scene(tenant)
    lid = s.lead["id"]
    await s.da.push("lead", lid, "update", {"name": "Renamed"})
    held = await s.db.push("lead", lid, "delete")
    d = await resolve(s.admin, held["conflict_id"], choice="server")
    assert d["status"] == "resolved" and d["resolution"]["action"] == "keep"
    assert (await get_lead(s.a, lid))["deleted_at"] is None


async def test_delete_update_device_edited_a_trashed_record(tenant: TenantHandle) -> None:
    s = await scene(tenant)
    lid = s.lead["id"]
    assert (await s.da.push("lead", lid, "delete"))["status"] == "applied"
    held = await s.db.push("lead", lid, "update", {"city": "Shelbyville"})
    assert held["status"] == "conflict", held
    d = await (await s.admin.get(f"{Q}/{held['conflict_id']}")).json()
    assert d["kind"] == "delete_update" and d["field_views"]["city"]["client"] == "Shelbyville"
    assert d["record"]["deleted_at"] is not None and "Restore" in d["choices"]["client"]
    d = await resolve(s.admin, held["conflict_id"], choice="client")
    assert d["resolution"]["action"] == "restore"
    lead = await get_lead(s.a, lid)
    assert lead["deleted_at"] is None and lead["city"] == "Shelbyville"


async def test_delete_update_device_cleared_fields_of_a_trashed_record(
    tenant: TenantHandle,
) -> None:
    """An edit that only clears fields carries no device values, like a delete: the conflict
    keeps the device's op, so it is still applied as the edit it was."""
    s = await scene(tenant)
    lid = s.lead["id"]
    assert (await s.da.push("lead", lid, "update", {"city": "Springfield"}))["status"] == "applied"
    assert (await s.da.push("lead", lid, "delete"))["status"] == "applied"
    held = await s.db.push("lead", lid, "update", {"city": None})
    assert held["status"] == "conflict", held
    d = await (await s.admin.get(f"{Q}/{held['conflict_id']}")).json()
    assert (d["kind"], d["op"]) == ("delete_update", "update")
    assert "Restore" in d["choices"]["client"]
    d = await resolve(s.admin, held["conflict_id"], choice="client")
    assert d["resolution"]["action"] == "restore"
    lead = await get_lead(s.a, lid)
    assert lead["deleted_at"] is None and lead["city"] is None


async def purged_scene(tenant: TenantHandle) -> Scene:
    s = await scene(tenant)
    lid = s.lead["id"]
    assert (await s.a.delete(url("lead", lid))).status == 200  # to Trash, by its creator
    assert (await s.admin.delete(f"{API}/trash/lead/{lid}")).status == 204
    return s


async def test_update_purged_needs_custom_when_incomplete(tenant: TenantHandle) -> None:
    s = await purged_scene(tenant)
    lid = s.lead["id"]
    held = await s.db.push("lead", lid, "update", {"phone": "555-0199"})
    assert held["status"] == "conflict", held
    cid = held["conflict_id"]
    d = await (await s.admin.get(f"{Q}/{cid}")).json()
    assert d["kind"] == "update_purged" and d["record"]["exists"] is False
    assert d["record"]["title"] is None
    assert d["current"] is None and d["field_views"]["phone"]["client"] == "555-0199"

    body = await resolve(s.admin, cid, 422, choice="client")
    assert "custom" in body["error"] and "name" in field_errors(body)
    body = await resolve(s.admin, cid, 422, choice="custom", fields={"colour": "red"})
    assert "fields.colour" in field_errors(body)

    await s.db.pull()
    d = await resolve(
        s.admin,
        cid,
        choice="custom",
        fields={"name": "Back again", "assigned_to": str(s.b.user_id)},
    )
    assert d["resolution"]["action"] == "recreate" and d["record"]["exists"] is True
    lead = await get_lead(s.b, lid)
    assert lead["name"] == "Back again" and lead["phone"] == "555-0199"
    pulled = await s.db.pull()
    [put] = changes_of(pulled, "lead", lid)
    assert put["op"] == "put" and put["record"]["phone"] == "555-0199"
    assert changes_of(pulled, "conflict", cid)[0]["record"]["status"] == "resolved"


async def test_update_purged_client_recreates_and_server_discards(tenant: TenantHandle) -> None:
    s = await purged_scene(tenant)
    lid = s.lead["id"]
    first = await s.db.push("lead", lid, "update", {"name": "Revived", "city": "Ogdenville"})
    second = await s.db.push("lead", lid, "update", {"phone": "555-0177"})
    assert first["status"] == second["status"] == "conflict"
    d = await resolve(s.admin, first["conflict_id"], choice="client")
    assert d["resolution"]["action"] == "recreate"
    assert d["resolution"]["fields"] == {"name": "Revived", "city": "Ogdenville"}
    # Re-created by the admin (its creator now) from the device's values.
    assert (await get_lead(s.admin, lid))["name"] == "Revived"
    body = await (await s.admin.get(f"{Q}/{first['conflict_id']}")).json()
    assert body["current"] == {"name": "Revived", "city": "Ogdenville"}
    body = await resolve(s.admin, second["conflict_id"], 409, choice="client")
    assert "exists again" in body["error"]
    d = await resolve(s.admin, second["conflict_id"], choice="server")
    assert d["status"] == "resolved" and d["resolution"]["action"] == "keep"


async def test_convert_conflict(tenant: TenantHandle) -> None:
    s = await scene(tenant)
    lid = s.lead["id"]
    await s.da.push("lead", lid, "update", {"notes": "Called twice"})
    new_client = str(uuid.uuid4())
    held = await s.db.push("lead", lid, "convert", {"client_id": new_client})
    assert held["status"] == "conflict", held
    d = await (await s.admin.get(f"{Q}/{held['conflict_id']}")).json()
    assert d["kind"] == "convert" and new_client in d["choices"]["client"]
    d = await resolve(s.admin, held["conflict_id"], choice="client")
    assert d["resolution"]["action"] == "convert"
    assert d["resolution"]["fields"] == {"converted_client_id": new_client}
    lead = await get_lead(s.b, lid)
    assert lead["lead_status"] == "converted" and lead["converted_client_id"] == new_client
    r = await s.b.get(url("client", new_client))
    assert r.status == 200 and (await r.json())["source_lead_id"] == lid
