"""The tenant's white-label configuration: ``GET /config`` for everyone, ``GET/PUT /admin/config``
for admins; validation keeps the closed status lists closed; a change reaches devices by sync."""

from __future__ import annotations

from typing import Any

from sync_server.client import HttpTransport, SyncClient
from sync_server.schemas.tenant_config import TenantConfig
from tests.support.records import field_error, get_json
from tests.support.tenants import Actor, TenantHandle

API = "/api/v1"
CONFIG, ADMIN_CONFIG = f"{API}/config", f"{API}/admin/config"

FULL: dict[str, Any] = {
    "branding": {
        "name": "Acme Field Services",
        "logo_url": "https://cdn.example.com/acme.png",
        "primary_color": "#1A2b3C",
    },
    "labels": {
        "lead_status": {"new": "Fresh", "qualified": "Hot"},
        "client_status": {"prospect": "Maybe"},
        "project_status": {"pending": "Queued"},
        "account_status": {"closed": "Shut"},
        "subscription_status": {"paused": "On hold"},
        "followup_status": {"rescheduled": "Moved"},
    },
    "nouns": {"client": {"singular": "Customer", "plural": "Customers"}},
    "lead_sources": ["Referral", "Trade show"],
    "business_types": ["Restaurant", "Office"],
    "currency": "EUR",
    "date_format": "DD.MM.YYYY",
    "features": {"calendar": False, "imports": True},
}


async def put(admin: Actor, body: Any, status: int = 200) -> dict[str, Any]:
    r = await admin.put(ADMIN_CONFIG, json=body)
    assert r.status == status, await r.text()
    data: dict[str, Any] = await r.json()
    return data


async def test_defaults_then_a_full_config_round_trips(tenant: TenantHandle) -> None:
    admin, user = tenant.admin, tenant.users[0]
    defaults = TenantConfig().model_dump(mode="json")
    assert await get_json(user, CONFIG) == defaults
    assert await get_json(admin, ADMIN_CONFIG) == defaults
    saved = await put(admin, FULL)
    assert saved == defaults | FULL
    assert await get_json(user, CONFIG) == saved
    assert await get_json(admin, ADMIN_CONFIG) == saved
    # PUT replaces: what is left out takes its default again.
    assert await put(admin, {"currency": "GBP"}) == defaults | {"currency": "GBP"}


async def test_relabelling_never_adds_or_removes_a_status(tenant: TenantHandle) -> None:
    admin = tenant.admin
    await put(admin, FULL)
    cases: list[tuple[dict[str, Any], str]] = [
        (
            {"labels": {"lead_status": {"oil_and_gas": "Oil"}}},
            "labels.lead_status.oil_and_gas.[key]",
        ),
        ({"labels": {"client_status": {"lost": "Lost"}}}, "labels.client_status.lost.[key]"),
        (
            {"labels": {"project_status": {"archived": "Old"}}},
            "labels.project_status.archived.[key]",
        ),
        ({"labels": {"deal_status": {"won": "Won"}}}, "labels.deal_status"),
        ({"labels": {"lead_status": {"new": ""}}}, "labels.lead_status.new"),
        ({"statuses": {"lead": ["new", "won"]}}, "statuses"),
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "usd"}, "currency"),
        ({"date_format": "YYYY/DD/MM"}, "date_format"),
        ({"features": {"teleport": True}}, "features.teleport.[key]"),
        ({"features": {"calendar": "yes"}}, "features.calendar"),
        ({"branding": {"primary_color": "red"}}, "branding.primary_color"),
        ({"branding": {"logo_url": "http://insecure.example.com/x.png"}}, "branding.logo_url"),
        ({"branding": {"logo_url": "javascript:alert(1)"}}, "branding.logo_url"),
        ({"lead_sources": ["Web", "web"]}, "lead_sources"),
        ({"business_types": ["x" * 121]}, "business_types.0"),
        ({"tenant_id": "x"}, "tenant_id"),
        ({"nouns": {"deal": {"singular": "Deal", "plural": "Deals"}}}, "nouns.deal.[key]"),
        ({"nouns": {"client": {"singular": "Customer"}}}, "nouns.client.plural"),
        ({"nouns": {"lead": {"singular": "", "plural": "Leads"}}}, "nouns.lead.singular"),
    ]
    for body, field in cases:
        field_error(await put(admin, body, 422), field)
    # Nothing of the refused bodies was stored.
    assert (await get_json(admin, ADMIN_CONFIG))["labels"]["lead_status"] == {
        "new": "Fresh",
        "qualified": "Hot",
    }
    r = await admin.put(ADMIN_CONFIG, data="{nope", headers={"Content-Type": "application/json"})
    assert r.status == 400 and (await r.json())["code"] == "bad_json"


async def test_admin_only(tenant: TenantHandle) -> None:
    user = tenant.users[0]
    assert (await user.get(ADMIN_CONFIG)).status == 403
    assert (await user.put(ADMIN_CONFIG, json=FULL)).status == 403
    assert (await get_json(user, CONFIG))["currency"] == "USD"


async def test_each_tenant_has_its_own(tenant: TenantHandle, other_tenant: TenantHandle) -> None:
    await put(tenant.admin, FULL)
    assert (await get_json(other_tenant.users[0], CONFIG))["currency"] == "USD"


async def test_a_change_reaches_devices_as_entity_config(tenant: TenantHandle) -> None:
    phone = SyncClient(HttpTransport(tenant.users[0].client, tenant.users[0].token))
    await phone.pull()
    await put(tenant.admin, FULL)
    changes = (await phone.pull()).changes
    [change] = [c for c in changes if c.entity == "config"]
    assert str(change.id) == str(tenant.tenant_id) and change.op == "put"
    assert change.record is not None
    assert change.record["config"]["labels"]["lead_status"]["qualified"] == "Hot"
    # A fresh device gets it in its snapshot too.
    fresh = SyncClient(HttpTransport(tenant.admin.client, tenant.admin.token))
    await fresh.pull()
    assert fresh.synced("config")[str(tenant.tenant_id)]["config"]["currency"] == "EUR"
