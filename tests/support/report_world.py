"""The reports' fixture tenant, built through the REST API (and the sync API for devices).

Two users (``u1``, ``u2``) each own the same mix of leads, clients, projects, subscriptions and
interactions, with amounts scaled by a factor per user so their numbers differ; the admin owns a
few records, some assigned to a user; u1 shares a project with u2 by assignment. Some records go
to Trash, a lead is converted, a device pulls and another pushes a stale edit (conflicts).

The API never lets a client set ``created_at`` / ``updated_at``, and time-based reports need a
past: after every write, a few records are backdated straight in the database (``BACKDATED``).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import update

from sync_server.app import create_app
from sync_server.entities import ENTITIES
from sync_server.http.keys import DB, SERVICES
from sync_server.settings import Settings
from sync_server.tenancy import mint_for_platform
from tests.support.records import make, url
from tests.support.tenants import Actor, TenantHandle, build_tenant

API = "/api/v1"
# Cells a spreadsheet would run as formulas: the exports must neutralise them.
FORMULA_NAME = '=HYPERLINK("http://evil.test","click")'
FORMULA_SOURCE = "@SUM(A1)"
MINUS_SOURCE = "-2+3"


@dataclass
class ReportWorld:
    t: TenantHandle
    now: datetime
    ids: dict[str, str] = field(default_factory=dict)
    devices: dict[str, str] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return self.now.date()

    def actor(self, who: str) -> Actor:
        return {"admin": self.t.admin, "u1": self.t.users[0], "u2": self.t.users[1]}[who]

    def user_id(self, who: str) -> str:
        return str(self.actor(who).user_id)


class Seeder:
    def __init__(self, world: ReportWorld) -> None:
        self.w = world
        self.backdates: list[tuple[str, str, int, int | None]] = []

    def day(self, n: int) -> str:
        return (self.w.today + timedelta(days=n)).isoformat()

    def at(self, days: float) -> str:
        moment = self.w.now + timedelta(days=days, hours=2)
        return moment.isoformat().replace("+00:00", "Z")

    async def add(self, who: Actor, label: str, kind: str, **over: Any) -> dict[str, Any]:
        record = await make(who, kind, **over)
        self.w.ids[label] = record["id"]
        return record

    async def trash(self, who: Actor, label: str, kind: str) -> None:
        r = await who.delete(url(kind, self.w.ids[label]))
        assert r.status == 200, await r.text()

    def backdate(self, label: str, kind: str, created: int, updated: int | None = None) -> None:
        """``created`` (and ``updated``) days before now, applied once every write is done."""
        self.backdates.append((kind, self.w.ids[label], created, updated))


async def seed_user(s: Seeder, who: Actor, p: str, k: int) -> None:
    """One user's mix; ``p`` prefixes labels and names, ``k`` scales the money."""
    add = s.add
    await add(who, f"{p}L_new", "lead", name=f"{p} new lead", lead_source="web")
    await add(who, f"{p}L_contacted", "lead", lead_status="contacted", lead_source="web")
    await add(who, f"{p}L_qualified", "lead", lead_status="qualified", lead_source="referral")
    await add(who, f"{p}L_lost", "lead", lead_status="lost")
    await add(who, f"{p}L_old", "lead", lead_status="qualified", lead_source="web")
    await add(who, f"{p}L_trash", "lead", lead_source="web")
    source = FORMULA_SOURCE if p == "u1" else MINUS_SOURCE
    name = FORMULA_NAME if p == "u1" else f"{p} converted lead"
    await add(who, f"{p}L_conv", "lead", name=name, lead_source=source)

    await add(who, f"{p}C1", "client", name=f"{p} client one", status="active")
    await add(who, f"{p}C2", "client", name=f"{p} client two", status="active")
    await add(who, f"{p}C_in", "client", name=f"{p} inactive", status="inactive")
    await add(who, f"{p}C_can", "client", name=f"{p} cancelled", status="cancelled")
    await add(who, f"{p}C_ret", "client", name=f"{p} retained", status="active")
    await add(who, f"{p}C_pro", "client", name=f"{p} prospect", status="prospect")
    await add(who, f"{p}C_trash", "client", name=f"{p} trashed client", status="active")
    ids = s.w.ids

    def project(status: str, worth: str, value_type: str = "one_time", **over: Any) -> Any:
        return {"project_status": status, "project_worth": worth, "value_type": value_type} | over

    c1, c2 = ids[f"{p}C1"], ids[f"{p}C2"]
    await add(
        who,
        f"{p}P_lead",
        "project",
        **project("pending", f"{1000 * k}", lead_id=ids[f"{p}L_qualified"]),
    )
    await add(
        who, f"{p}P_pend", "project", **project("pending", f"{100 * k}", "monthly", client_id=c1)
    )
    await add(
        who,
        f"{p}P_act",
        "project",
        **project("active", f"{5000 * k}", "yearly", client_id=c1, project_start=s.day(-40)),
    )
    await add(
        who,
        f"{p}P_done",
        "project",
        **project(
            "completed",
            f"{2500 * k}",
            client_id=c2,
            project_start=s.day(-60),
            project_end=s.day(-20),
        ),
    )
    await add(who, f"{p}P_cxl", "project", **project("cancelled", f"{800 * k}", client_id=c2))
    await add(
        who,
        f"{p}P_solo",
        "project",
        **project(
            "completed", f"{300 * k}.50", project_start=s.day(-10), project_end=s.day(-5 + k)
        ),
    )
    await add(
        who,
        f"{p}P_old",
        "project",
        **project(
            "completed", "700", client_id=c1, project_start=s.day(-230), project_end=s.day(-200)
        ),
    )
    await add(who, f"{p}P_trash", "project", **project("active", "9999", client_id=c1))
    await add(
        who, f"{p}P_conv", "project", **project("pending", f"{400 * k}", lead_id=ids[f"{p}L_conv"])
    )
    await add(
        who,
        f"{p}P_newlead",
        "project",
        **project("active", f"{250 * k}", "monthly", lead_id=ids[f"{p}L_new"]),
    )

    def sub(client: str, price: str, cycle: str, status: str = "active", **over: Any) -> Any:
        body = {"client_id": ids[client], "price": price, "billing_cycle": cycle, "status": status}
        return body | over

    await add(
        who,
        f"{p}S_base",
        "subscription",
        **sub(f"{p}C1", f"{49 * k}.99", "monthly", start_date=s.day(-100), renewal_date=s.day(5)),
    )
    await add(
        who,
        f"{p}S_new",
        "subscription",
        **sub(f"{p}C1", f"{1200 * k}", "yearly", start_date=s.day(-45), renewal_date=s.day(45)),
    )
    await add(
        who,
        f"{p}S_paused",
        "subscription",
        **sub(f"{p}C2", "20", "monthly", "paused", start_date=s.day(-30), renewal_date=s.day(3)),
    )
    await add(
        who,
        f"{p}S_nostart",
        "subscription",
        **sub(f"{p}C2", f"{100 * k}.06", "yearly", renewal_date=s.day(10)),
    )
    await add(
        who,
        f"{p}S_cxl",
        "subscription",
        **sub(f"{p}C_ret", "15.50", "monthly", "cancelled", start_date=s.day(-200)),
    )
    await add(
        who,
        f"{p}S_trashclient",
        "subscription",
        **sub(f"{p}C_trash", "1000", "monthly", start_date=s.day(-10)),
    )
    await add(
        who,
        f"{p}S_trashed",
        "subscription",
        **sub(f"{p}C1", "500", "monthly", start_date=s.day(-10)),
    )
    await add(
        who,
        f"{p}S_future",
        "subscription",
        **sub(f"{p}C_ret", "30", "monthly", start_date=s.day(20), renewal_date=s.day(25)),
    )

    def meet(parent: str, follow: float | None, status: str = "pending") -> Any:
        field = "lead_id" if "L_" in parent else "client_id"
        body = {field: ids[parent], "contact_date": s.at(-50), "followup_status": status}
        return body | ({"follow_up": s.at(follow)} if follow is not None else {})

    for label, parent, follow, status in (
        ("I_o40", "C1", -40, "pending"),
        ("I_o10", "L_new", -10, "pending"),
        ("I_o2", "C2", -2, "pending"),
        ("I_d3", "C1", 3, "pending"),
        ("I_d10", "L_contacted", 10 + k, "pending"),
        ("I_done", "C1", -5, "completed"),
        ("I_d20", "C1", 20, "pending"),
        ("I_trash", "C_trash", -3, "pending"),
        ("I_d40", "C1", 40, "pending"),
        ("I_none", "C1", None, "pending"),
        ("I_conv", "L_conv", 1, "pending"),
    ):
        await add(who, f"{p}{label}", "interaction", **meet(f"{p}{parent}", follow, status))
    await add(who, f"{p}contact", "contact", lead_id=ids[f"{p}L_conv"])

    r = await who.post(url("lead", ids[f"{p}L_conv"], "/convert"), json={})
    assert r.status == 201, await r.text()
    ids[f"{p}C_conv"] = (await r.json())["id"]
    for label, kind in (("L_trash", "lead"), ("C_trash", "client"), ("P_trash", "project")):
        await s.trash(who, f"{p}{label}", kind)
    await s.trash(who, f"{p}S_trashed", "subscription")
    s.backdate(f"{p}L_old", "lead", 200)
    s.backdate(f"{p}L_conv", "lead", 10)
    s.backdate(f"{p}C_in", "client", 120, 120)
    s.backdate(f"{p}C_can", "client", 120)
    s.backdate(f"{p}C_ret", "client", 120, 120)
    s.backdate(f"{p}C_pro", "client", 120, 120)


async def seed_admin(s: Seeder) -> None:
    admin, u1, u2 = s.w.t.admin, s.w.actor("u1"), s.w.actor("u2")
    await s.add(admin, "A_lead", "lead", name="admin own lead", lead_source="web")
    await s.add(
        admin,
        "A_lead_u1",
        "lead",
        lead_status="contacted",
        lead_source="partner",
        assigned_to=str(u1.user_id),
    )
    await s.add(
        admin,
        "A_client_u2",
        "client",
        name="admin client for u2",
        status="active",
        assigned_to=str(u2.user_id),
    )
    await s.add(
        admin,
        "A_sub_u2",
        "subscription",
        client_id=s.w.ids["A_client_u2"],
        price="10",
        billing_cycle="monthly",
        start_date=s.day(-5),
    )
    # On a lead u1 sees, but assigned to the admin: u1 must not count it.
    await s.add(
        admin,
        "A_proj_on_u1_lead",
        "project",
        project_status="pending",
        project_worth="777",
        lead_id=s.w.ids["A_lead_u1"],
        assigned_to=str(admin.user_id),
    )
    # Visible to u1 (creator) and to u2 (assignee), though u2 cannot see its client.
    await s.add(
        u1,
        "u1P_shared",
        "project",
        name="shared project",
        project_status="active",
        project_worth="600",
        value_type="one_time",
        client_id=s.w.ids["u1C1"],
        assigned_to=str(u2.user_id),
    )


async def seed_sync(s: Seeder) -> None:
    """u1's device pulls everything; u2's device pushes a stale edit (open + auto-resolved
    conflicts); then one more change reaches u1, so u1's device is behind by it."""
    u1, u2 = s.w.actor("u1"), s.w.actor("u2")
    d1, d2 = str(uuid.uuid4()), str(uuid.uuid4())
    s.w.devices = {"u1": d1, "u2": d2}
    pull: dict[str, Any] = {"client_id": d1, "schema_version": 1, "limit": 500}
    for _ in range(50):
        r = await u1.post(f"{API}/sync/pull", json=pull)
        body = await r.json()
        assert r.status == 200, body
        if not body["has_more"]:
            break
        pull["cursor"] = body["cursor"]
    disputed = s.w.ids["u2L_lost"]
    r = await u2.patch(url("lead", disputed), json={"lead_status": "contacted", "city": "Reno"})
    assert r.status == 200, await r.text()
    stale = {"lead_status": "qualified", "city": "Elko"}
    mutation = {"mid": 1, "entity": "lead", "id": disputed, "op": "update", "base_seq": 0}
    push = {"client_id": d2, "schema_version": 1, "mutations": [mutation | {"fields": stale}]}
    r = await u2.post(f"{API}/sync/push", json=push)
    assert r.status == 200 and (await r.json())["results"][0]["status"] == "conflict"
    await s.add(s.w.t.admin, "A_late_u1", "lead", name="late lead", assigned_to=str(u1.user_id))


async def apply_backdates(s: Seeder) -> None:
    t = s.w.t
    app = t.admin.client.app
    assert app is not None
    async with app[DB].session(mint_for_platform(t.tenant_id)) as session:
        for kind, record_id, created, updated in s.backdates:
            model = ENTITIES[kind].model
            values: dict[str, Any] = {"created_at": s.w.now - timedelta(days=created)}
            if updated is not None:
                values["updated_at"] = s.w.now - timedelta(days=updated)
            await session.execute(
                update(model)
                .where(model.tenant_id == t.tenant_id, model.id == uuid.UUID(record_id))
                .values(**values)
            )


async def build_report_world(t: TenantHandle) -> ReportWorld:
    world = ReportWorld(t, datetime.now(UTC))
    s = Seeder(world)
    await seed_user(s, world.actor("u1"), "u1", 1)
    await seed_user(s, world.actor("u2"), "u2", 2)
    await seed_admin(s)
    await seed_sync(s)
    await apply_backdates(s)
    return world


@asynccontextmanager
async def report_world(settings: Settings) -> AsyncIterator[ReportWorld]:
    """A server of its own and the world in a fresh tenant (for a module-scoped fixture)."""
    app = create_app(settings)
    async with TestClient(TestServer(app)) as client:
        tokens, rounds = app[SERVICES].tokens, settings.bcrypt_rounds
        yield await build_report_world(await build_tenant(client, app[DB], tokens, rounds, 2))
