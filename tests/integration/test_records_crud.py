"""CRUD of the eight records through REST, closed value lists, field formats, cross-field rules
and If-Match (API.md "Records" and "Conventions")."""

from __future__ import annotations

from typing import Any

import pytest

from sync_server.entities import ENTITIES
from tests.support.records import (
    TEXT_FIELD,
    body_for,
    closed_fields,
    create,
    field_error,
    get_json,
    list_ids,
    make,
    url,
)
from tests.support.tenants import TenantHandle

ENTITY_NAMES = list(ENTITIES)


def _is_utc_z(value: str) -> bool:
    return value.endswith("Z") and "+" not in value


@pytest.mark.parametrize("entity", ENTITY_NAMES)
async def test_create_detail_patch_delete(tenant: TenantHandle, entity: str) -> None:
    u = tenant.users[0]
    body = await body_for(u, entity)
    r = await u.post(url(entity), json=body)
    assert r.status == 201, await r.text()
    rec = await r.json()
    assert r.headers["ETag"] == f'"{rec["version"]}"' and rec["version"] > 0
    assert rec["created_by"] == str(u.user_id) and rec["deleted_at"] is None
    assert all(_is_utc_z(rec[k]) for k in ("created_at", "updated_at"))
    for key, value in body.items():
        if key not in ("contact_date", "project_worth", "price"):
            assert rec[key] == value, key
    assert await get_json(u, url(entity, rec["id"])) == rec

    field = TEXT_FIELD[entity]
    r = await u.patch(url(entity, rec["id"]), json={field: "Edited value"})
    assert r.status == 200, await r.text()
    edited = await r.json()
    assert edited[field] == "Edited value" and edited["version"] > rec["version"]
    assert r.headers["ETag"] == f'"{edited["version"]}"'
    assert (await get_json(u, url(entity, rec["id"])))[field] == "Edited value"
    assert rec["id"] in await list_ids(u, entity)

    r = await u.delete(url(entity, rec["id"]))
    assert r.status == 200, await r.text()
    trashed = await r.json()
    assert trashed["deleted_at"] is not None and _is_utc_z(trashed["deleted_at"])
    assert trashed["version"] > edited["version"]
    assert rec["id"] not in await list_ids(u, entity)
    assert (await get_json(u, url(entity, rec["id"])))["deleted_at"] == trashed["deleted_at"]


@pytest.mark.parametrize("entity", ENTITY_NAMES)
async def test_unknown_fields_refused(tenant: TenantHandle, entity: str) -> None:
    u = tenant.users[0]
    body = await body_for(u, entity)
    r = await u.post(url(entity), json=body | {"colour": "red"})
    assert r.status == 422
    assert field_error(await r.json(), "colour") == "unknown field"
    rec = await create(u, entity, body)
    for extra in ({"colour": "red"}, {"tenant_id": str(tenant.tenant_id)}, {"version": 1}):
        r = await u.patch(url(entity, rec["id"]), json=extra)
        assert r.status == 422
        assert field_error(await r.json(), next(iter(extra))) == "unknown field"
    assert (await get_json(u, url(entity, rec["id"])))["version"] == rec["version"]


def test_closed_lists_are_all_found() -> None:
    found = {(e, f) for e, s in ENTITIES.items() for f in closed_fields(s)}
    expected = {
        ("lead", "lead_status"),
        ("lead", "phone_label"),
        ("client", "status"),
        ("client", "secondary_phone_label"),
        ("project", "project_status"),
        ("project", "value_type"),
        ("account", "status"),
        ("subscription", "status"),
        ("subscription", "billing_cycle"),
        ("interaction", "type"),
        ("interaction", "followup_status"),
        ("note", "entity"),
    }
    assert expected <= found


@pytest.mark.parametrize("entity", [e for e in ENTITY_NAMES if closed_fields(ENTITIES[e])])
async def test_closed_lists_refuse_other_values(tenant: TenantHandle, entity: str) -> None:
    u, spec = tenant.users[0], ENTITIES[entity]
    body = await body_for(u, entity)
    rec = await create(u, entity, body)
    for field, allowed in closed_fields(spec).items():
        for bad in ("bogus", allowed[0].upper(), f" {allowed[0]}x", ""):
            r = await u.post(url(entity), json=body | {field: bad})
            assert r.status == 422, (field, bad)
            field_error(await r.json(), field)
            r = await u.patch(url(entity, rec["id"]), json={field: bad})
            assert r.status == 422, (field, bad)
            field_error(await r.json(), field)
        r = await u.get(url(entity) + f"?{field}=bogus")
        assert r.status == 422, field
        message = field_error(await r.json(), field)
        if field not in spec.filterable:
            assert "unknown parameter; allowed:" in message and "created_by" in message
        else:
            r = await u.get(url(entity) + f"?{field}={allowed[0]},bogus")
            assert r.status == 422
            field_error(await r.json(), field)
            assert (await u.get(url(entity) + f"?{field}={allowed[-1]}")).status == 200
    assert (await get_json(u, url(entity, rec["id"])))["version"] == rec["version"]


async def test_lead_status_converted_only_through_convert(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    r = await u.post(url("lead"), json={"name": "X", "lead_status": "converted"})
    assert r.status == 422
    assert "convert" in field_error(await r.json(), "lead_status")
    lead = await make(u, "lead")
    r = await u.patch(url("lead", lead["id"]), json={"lead_status": "converted"})
    assert r.status == 422
    assert "convert" in field_error(await r.json(), "lead_status")
    assert (await get_json(u, url("lead", lead["id"])))["lead_status"] == "new"


async def test_money_is_a_decimal_string(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    project = await make(u, "project", project_worth="1250")
    assert project["project_worth"] == "1250.00"
    sub = await make(u, "subscription", price="0.5")
    assert sub["price"] == "0.50"
    r = await u.patch(url("project", project["id"]), json={"project_worth": "19.99"})
    assert (await r.json())["project_worth"] == "19.99"
    for bad in (1250, 12.5, "12.345", "-1", "abc", "NaN"):
        r = await u.patch(url("project", project["id"]), json={"project_worth": bad})
        assert r.status == 422, bad
        field_error(await r.json(), "project_worth")
    body = await body_for(u, "subscription")
    r = await u.post(url("subscription"), json=body | {"price": 99})
    assert r.status == 422
    field_error(await r.json(), "price")


async def test_timestamps_are_utc_with_z(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    it = await make(
        u, "interaction", contact_date="2024-05-01T12:00:00+02:00", follow_up="2024-05-02T08:30:00Z"
    )
    assert it["contact_date"] == "2024-05-01T10:00:00Z"
    assert it["follow_up"] == "2024-05-02T08:30:00Z"
    body = await body_for(u, "interaction")
    r = await u.post(url("interaction"), json=body | {"contact_date": "2024-05-01T10:00:00"})
    assert r.status == 422
    field_error(await r.json(), "contact_date")


@pytest.mark.parametrize("entity", ["contact", "interaction"])
async def test_exactly_one_of_client_or_lead(tenant: TenantHandle, entity: str) -> None:
    u = tenant.users[0]
    client, lead = await make(u, "client"), await make(u, "lead")
    own = {k: v for k, v in (await body_for(u, entity)).items() if k != "client_id"}
    both = own | {"client_id": client["id"], "lead_id": lead["id"]}
    for bad in (own, both):
        r = await u.post(url(entity), json=bad)
        assert r.status == 422, bad
        assert "exactly one of client_id, lead_id" in (await r.text())
    rec = await create(u, entity, own | {"client_id": client["id"]})
    for bad_patch in ({"lead_id": lead["id"]}, {"client_id": None}):
        r = await u.patch(url(entity, rec["id"]), json=bad_patch)
        assert r.status == 422, bad_patch
        assert "exactly one of client_id, lead_id" in (await r.text())
    r = await u.patch(url(entity, rec["id"]), json={"client_id": None, "lead_id": lead["id"]})
    assert r.status == 200, await r.text()
    moved = await r.json()
    assert moved["client_id"] is None and moved["lead_id"] == lead["id"]


async def test_required_fields_cannot_be_nulled(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    for entity, field in TEXT_FIELD.items():
        rec = await make(u, entity)
        r = await u.patch(url(entity, rec["id"]), json={field: None})
        assert r.status == 422, entity
        field_error(await r.json(), field)


async def test_cross_field_dates_hold_after_patch(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    project = await make(u, "project", project_start="2024-03-01", project_end="2024-04-01")
    r = await u.patch(url("project", project["id"]), json={"project_start": "2024-05-01"})
    assert r.status == 422 and "project_end" in await r.text()


async def _if_match_case(u: Any, entity: str) -> None:
    rec = await make(u, entity)
    field, path = TEXT_FIELD[entity], url(entity, rec["id"])
    r = await u.patch(path, json={field: "first"}, headers={"If-Match": f'"{rec["version"]}"'})
    assert r.status == 200, await r.text()
    current = await r.json()
    r = await u.patch(path, json={field: "stale"}, headers={"If-Match": f'"{rec["version"]}"'})
    assert r.status == 412
    err = await r.json()
    assert err["code"] == "modified" and err["details"]["current"] == current
    r = await u.delete(path, headers={"If-Match": f'"{rec["version"]}"'})
    assert r.status == 412 and (await r.json())["details"]["current"] == current
    for bad in ("abc", '"12a"', "W/"):
        r = await u.patch(path, json={field: "x"}, headers={"If-Match": bad})
        assert r.status == 400 and (await r.json())["code"] == "bad_request", bad
    r = await u.patch(
        path, json={field: "second"}, headers={"If-Match": f'W/"{current["version"]}"'}
    )
    assert r.status == 200 and (await r.json())[field] == "second"
    assert (await get_json(u, path))[field] == "second"


@pytest.mark.parametrize("entity", ["lead", "subscription"])
async def test_if_match(tenant: TenantHandle, entity: str) -> None:
    await _if_match_case(tenant.users[0], entity)


async def test_malformed_ids_and_bodies(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    r = await u.get(url("lead", "not-a-uuid"))
    assert r.status == 404 and (await r.json())["code"] == "not_found"
    r = await u.post(url("lead"), data=b"{nope", headers={"Content-Type": "application/json"})
    assert r.status == 400 and (await r.json())["code"] == "bad_json"
    r = await u.post(url("lead"), json=["a list"])
    assert r.status == 422


async def test_duplicate_account_number_is_a_conflict_not_a_crash(
    tenant: TenantHandle, other_tenant: TenantHandle
) -> None:
    u = tenant.users[0]
    first = await make(u, "account", account_number="ACC-1")
    body = await body_for(u, "account", account_number="ACC-1")
    r = await u.post(url("account"), json=body)
    assert r.status == 409 and (await r.json())["code"] == "conflict", await r.text()
    second = await make(u, "account", account_number="ACC-2")
    r = await u.patch(url("account", second["id"]), json={"account_number": "ACC-1"})
    assert r.status == 409 and (await r.json())["code"] == "conflict"
    assert (await get_json(u, url("account", second["id"])))["account_number"] == "ACC-2"
    assert (await get_json(u, url("account", first["id"]))) == first
    # Unique per tenant only: another tenant may use the same number.
    await make(other_tenant.users[0], "account", account_number="ACC-1")
