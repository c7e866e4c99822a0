"""Per-user view preferences (``GET/PUT /api/v1/preferences``)."""

from __future__ import annotations

from typing import Any

from tests.support.records import field_error, get_json
from tests.support.tenants import Actor, TenantHandle

P = "/api/v1/preferences"

PREFS: dict[str, Any] = {
    "page_size": 50,
    "views": {
        "leads": {"sort": "-name", "columns": ["name", "lead_status", "city"]},
        "admin_leads": {"page_size": 100, "sort": "email", "columns": ["name", "assigned_to"]},
        "interactions": {"sort": "-contact_date"},
    },
}


async def put(actor: Actor, body: Any, status: int = 200) -> dict[str, Any]:
    r = await actor.put(P, json=body)
    assert r.status == status, await r.text()
    data: dict[str, Any] = await r.json()
    return data


async def test_round_trip_per_user(tenant: TenantHandle) -> None:
    (u0, u1) = tenant.users
    assert await get_json(u0, P) == {"page_size": 25, "views": {}}
    assert await put(u0, PREFS) == PREFS
    assert await get_json(u0, P) == PREFS
    assert await get_json(u1, P) == {"page_size": 25, "views": {}}  # per user
    assert await get_json(tenant.admin, P) == {"page_size": 25, "views": {}}
    # PUT replaces the whole.
    assert await put(u0, {"page_size": 10}) == {"page_size": 10, "views": {}}
    assert await get_json(u0, P) == {"page_size": 10, "views": {}}


async def test_validation(tenant: TenantHandle) -> None:
    user = tenant.users[0]
    await put(user, PREFS)
    for body, field in [
        ({"page_size": 9}, "page_size"),
        ({"page_size": 101}, "page_size"),
        ({"views": {"leads": {"page_size": 5}}}, "views.leads.page_size"),
        ({"views": {"leads": {"sort": "email"}}}, "views.leads.sort"),  # not a /leads sort
        ({"views": {"leads": {"columns": ["password_hash"]}}}, "views.leads.columns.0"),
        ({"views": {"leads": {"columns": ["name", "name"]}}}, "views.leads.columns"),
        ({"views": {"leads": {"columns": []}}}, "views.leads.columns"),
        ({"views": {"dashboard": {}}}, "views.dashboard"),
        ({"theme": "dark"}, "theme"),
    ]:
        field_error(await put(user, body, 422), field)
    assert await get_json(user, P) == PREFS
