"""Admin overviews (``GET /api/v1/admin/{leads,clients,projects,accounts}``): the whole tenant,
filters, sort on any shown column, cursor and offset pagination, counts, admin only."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from sync_server.entities import ENTITIES
from sync_server.errors import ApiError
from sync_server.schemas.admin import OVERVIEW_ENTITIES, OVERVIEW_QUERIES, shown_columns
from sync_server.services.admin_records import overview_query
from tests.property.world import device_for
from tests.support.records import field_error, get_json, make, url
from tests.support.tenants import Actor, TenantHandle

A = "/api/v1/admin"


def overview(entity: str, query: str = "") -> str:
    return f"{A}/{ENTITIES[entity].path}" + (f"?{query}" if query else "")


async def every_id(admin: Actor, entity: str, query: str = "", limit: int = 2) -> list[str]:
    """Follow next_cursor to the end with small pages."""
    ids: list[str] = []
    cursor = None
    while True:
        extra = f"&cursor={cursor}" if cursor else ""
        body = await get_json(admin, overview(entity, f"{query}&limit={limit}{extra}"))
        ids += [i["id"] for i in body["items"]]
        if (cursor := body["next_cursor"]) is None:
            return ids


@pytest.mark.parametrize("entity", OVERVIEW_ENTITIES)
async def test_admin_sees_the_whole_tenant_users_do_not(tenant: TenantHandle, entity: str) -> None:
    user = tenant.users[0]
    # A record of the user's, not assigned to anyone: not visible to the admin on /leads.
    theirs = await make(user, entity)
    assert theirs["id"] not in [
        i["id"] for i in (await get_json(tenant.admin, url(entity) + "?limit=100"))["items"]
    ]
    body = await get_json(tenant.admin, overview(entity, "count=true&limit=100"))
    assert theirs["id"] in [i["id"] for i in body["items"]]
    assert body["total"] >= 1 and body["limit"] == 100
    r = await user.get(overview(entity))
    assert r.status == 403 and (await r.json())["code"] == "forbidden"


async def test_user_id_status_and_text_filters(tenant: TenantHandle) -> None:
    admin, (u0, u1) = tenant.admin, tenant.users
    created_by_u0 = await make(u0, "lead", tag="alpha", lead_status="contacted")
    assigned_to_u0 = await make(u1, "lead", tag="beta", assigned_to=str(u0.user_id))
    other = await make(u1, "lead", tag="gamma", lead_status="contacted")
    ids = await every_id(admin, "lead", f"user_id={u0.user_id}")
    assert set(ids) == {created_by_u0["id"], assigned_to_u0["id"]}
    both = await every_id(admin, "lead", f"user_id={u0.user_id},{u1.user_id}")
    assert set(both) == {created_by_u0["id"], assigned_to_u0["id"], other["id"]}
    # ``status`` is the entity's status field; the field's own name works too.
    for param in ("status", "lead_status"):
        contacted = await every_id(admin, "lead", f"{param}=contacted")
        assert set(contacted) == {created_by_u0["id"], other["id"]}
    assert await every_id(admin, "lead", "q=GAMMA") == [other["id"]]
    assert await every_id(admin, "lead", "q=gamma&status=new") == []
    # Entities whose status field is called ``status``, and one without assigned_to.
    client = await make(u0, "client", status="inactive")
    assert await every_id(admin, "client", f"status=inactive&user_id={u0.user_id}") == [
        client["id"]
    ]
    account = await make(u0, "account", status="closed")
    assert await every_id(admin, "account", f"user_id={u0.user_id}&status=closed") == [
        account["id"]
    ]


async def test_date_ranges(tenant: TenantHandle) -> None:
    admin = tenant.admin
    lead = await make(admin, "lead")
    today = datetime.now(UTC).date()
    yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)
    for query, found in [
        (f"created_from={today}&created_to={today}", True),
        (f"created_from={yesterday}", True),
        (f"created_to={yesterday}", False),
        (f"created_from={tomorrow}", False),
        (f"updated_from={today}&updated_to={today}", True),
        (f"updated_to={yesterday}", False),
    ]:
        assert (lead["id"] in await every_id(admin, "lead", query, limit=100)) is found, query


async def test_sort_on_any_shown_column_with_cursor_and_offset(tenant: TenantHandle) -> None:
    admin, user = tenant.admin, tenant.users[0]
    tag = uuid.uuid4().hex[:8]
    cities = ["Austin", None, "Boston", "Austin", None, "Denver"]
    made = []
    for i, city in enumerate(cities):
        made.append(await make(user, "lead", tag=f"{tag}-{i}", city=city))
    query = f"q={tag}&sort=city"
    ids = await every_id(admin, "lead", query)
    by_id = {m["id"]: m for m in made}
    got = [by_id[i]["city"] for i in ids]
    assert got == ["Austin", "Austin", "Boston", "Denver", None, None]  # nulls last
    assert await every_id(admin, "lead", f"q={tag}&sort=-city") == [
        *reversed(ids[:4]),
        *sorted(ids[4:], reverse=True),
    ]
    # Offset pages agree with the cursor order; count gives the total.
    pages = [
        await get_json(admin, overview("lead", f"{query}&limit=4&offset={o}&count=true"))
        for o in (0, 4)
    ]
    assert [i["id"] for p in pages for i in p["items"]] == ids
    assert pages[0]["total"] == 6 and pages[1]["next_cursor"] is None
    # Columns that are not list sorts on /leads: email, assigned_to, created_by, version.
    for column in ("email", "assigned_to", "created_by", "version", "zip"):
        assert len(await every_id(admin, "lead", f"q={tag}&sort=-{column}", limit=4)) == 6


async def test_bad_parameters_answer_422_naming_the_field(tenant: TenantHandle) -> None:
    admin = tenant.admin
    cases = {
        "lead_status=oil_and_gas": "lead_status",
        "status=oil_and_gas": "lead_status",
        "status=new&lead_status=new": "status",
        "user_id=nope": "user_id",
        "created_from=2024-13-01": "created_from",
        "created_from=2024-05-02&created_to=2024-05-01": "created_to",
        "offset=-1": "offset",
        "offset=2&cursor=abc": "offset",
        "limit=101": "limit",
        "sort=password_hash": "sort",
        "sort=deleted_atx": "sort",
        "colour=red": "colour",
        "format=csv": "format",
    }
    for query, field in cases.items():
        r = await admin.get(overview("lead", query))
        assert r.status == 422, query
        field_error(await r.json(), field)


@pytest.mark.parametrize("entity", OVERVIEW_ENTITIES)
def test_query_model_names_exactly_what_the_parser_accepts(entity: str) -> None:
    """The documented query model (OpenAPI) and the parser agree on every parameter name, and
    every shown column sorts."""
    spec = ENTITIES[entity]
    documented = set(OVERVIEW_QUERIES[entity].model_fields)
    with pytest.raises(ApiError) as refused:
        overview_query(spec, {"undocumented": "x"})
    message = refused.value.details["fields"]["undocumented"][0]
    assert set(message.split("allowed: ")[1].split(", ")) | {"status"} == documented
    for name in documented:
        try:
            overview_query(spec, {name: "?"})
        except ApiError as exc:
            assert not any(
                "unknown parameter" in m for ms in exc.details["fields"].values() for m in ms
            )
    for column in shown_columns(spec):
        assert overview_query(spec, {"sort": f"-{column}"}).sort == column


@pytest.mark.parametrize("entity", OVERVIEW_ENTITIES)
async def test_admin_reads_and_edits_any_record_with_if_match(
    tenant: TenantHandle, entity: str
) -> None:
    """The overview's edit modal: a record the admin neither created nor is assigned to."""
    admin, user = tenant.admin, tenant.users[0]
    theirs = await make(user, entity)
    item = f"{overview(entity)}/{theirs['id']}"
    assert (await admin.get(url(entity, theirs["id"]))).status == 404  # normal rules on /leads
    r = await admin.get(item)
    assert r.status == 200 and (await r.json())["id"] == theirs["id"]
    etag = r.headers["ETag"]
    field = "notes"
    r = await admin.patch(item, json={field: "edited by the admin"}, headers={"If-Match": etag})
    assert r.status == 200, await r.text()
    edited = await r.json()
    assert edited[field] == "edited by the admin" and edited["version"] > theirs["version"]
    assert (await get_json(user, url(entity, theirs["id"])))[field] == "edited by the admin"
    stale = await admin.patch(item, json={field: "again"}, headers={"If-Match": etag})
    body = await stale.json()
    assert stale.status == 412 and body["code"] == "modified"
    assert body["details"]["current"][field] == "edited by the admin"
    bad = await admin.patch(item, json={"colour": "red"})
    assert bad.status == 422 and field_error(await bad.json(), "colour")
    assert (await user.get(item)).status == 403
    assert (await user.patch(item, json={field: "x"})).status == 403
    missing = f"{overview(entity)}/{uuid.uuid4()}"
    assert (await admin.get(missing)).status == 404
    assert (await admin.patch(missing, json={field: "x"})).status == 404


async def test_an_admin_edit_reaches_the_owners_device(tenant: TenantHandle) -> None:
    admin, user = tenant.admin, tenant.users[0]
    lead = await make(user, "lead", phone="555-0100")
    device = device_for(user)
    await device.client.pull()
    r = await admin.patch(f"{overview('lead')}/{lead['id']}", json={"phone": "555-0199"})
    assert r.status == 200
    await device.client.pull()
    assert device.client.view()["lead"][lead["id"]]["phone"] == "555-0199"
