"""List conventions of API.md: limits, keyset pagination (nullable columns too), cursors bound
to their sort, count, filters, search, Trash excluded."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from tests.support.records import create, field_error, get_json, make, url
from tests.support.tenants import Actor, TenantHandle


async def _walk(actor: Actor, entity: str, query: str, limit: int) -> list[dict[str, Any]]:
    """Every item of a list, page by page; each page respects the limit."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(100):
        page = f"{url(entity)}?{query}&limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        body = await get_json(actor, page)
        assert body["limit"] == limit and len(body["items"]) <= limit and "total" not in body
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items
        assert len(body["items"]) == limit
    raise AssertionError("pagination did not end")


def _expected(rows: list[dict[str, Any]], field: str, desc: bool, key: Any) -> list[str]:
    """Values in order (NULLs last in both directions), ties broken by id the same way."""
    present = [r for r in rows if r[field] is not None]
    nulls = [r for r in rows if r[field] is None]
    present.sort(key=lambda r: (key(r[field]), uuid.UUID(r["id"])), reverse=desc)
    nulls.sort(key=lambda r: uuid.UUID(r["id"]), reverse=desc)
    return [r["id"] for r in present + nulls]


@pytest.fixture
async def projects(tenant: TenantHandle) -> list[dict[str, Any]]:
    u = tenant.users[0]
    starts = ["2024-03-01", None, "2024-01-15", "2024-03-01", None, "2023-12-31", "2024-03-01"]
    worths = ["10", "250.5", None, "10", "99999", None, "0.01"]
    rows = []
    for i in range(14):
        body = {
            "name": f"proj {i % 5}",
            "project_start": starts[i % len(starts)],
            "project_worth": worths[(i * 3) % len(worths)],
        }
        rows.append(await create(u, "project", body))
    return rows


SORTS = [
    ("project_start", lambda v: v),
    ("project_worth", Decimal),
    ("created_at", lambda v: datetime.fromisoformat(v.replace("Z", "+00:00"))),
    ("updated_at", lambda v: datetime.fromisoformat(v.replace("Z", "+00:00"))),
]


@pytest.mark.parametrize(("field", "key"), SORTS)
@pytest.mark.parametrize("desc", [False, True])
@pytest.mark.parametrize("limit", [1, 4])
async def test_keyset_walks_every_row_once_in_order(
    tenant: TenantHandle,
    projects: list[dict[str, Any]],
    field: str,
    key: Any,
    desc: bool,
    limit: int,
) -> None:
    sort = f"-{field}" if desc else field
    walked = await _walk(tenant.users[0], "project", f"sort={sort}", limit)
    ids = [r["id"] for r in walked]
    assert len(ids) == len(set(ids)) == len(projects)
    assert ids == _expected(projects, field, desc, key)


@pytest.mark.parametrize("sort", ["name", "-name", "project_status"])
async def test_keyset_on_text_columns_matches_one_big_page(
    tenant: TenantHandle, projects: list[dict[str, Any]], sort: str
) -> None:
    u = tenant.users[0]
    whole = await get_json(u, f"{url('project')}?sort={sort}&limit=100")
    assert whole["next_cursor"] is None
    walked = await _walk(u, "project", f"sort={sort}", 3)
    assert [r["id"] for r in walked] == [r["id"] for r in whole["items"]]
    if sort.endswith("name"):
        names = [r["name"] for r in walked]
        assert names == sorted(names, reverse=sort.startswith("-"))


async def test_default_and_maximum_limit(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    for i in range(27):
        await create(u, "lead", {"name": f"L{i:02d}"})
    body = await get_json(u, url("lead"))
    assert body["limit"] == 25 and len(body["items"]) == 25 and body["next_cursor"]
    rest = await get_json(u, f"{url('lead')}?cursor={body['next_cursor']}")
    assert len(rest["items"]) == 2 and rest["next_cursor"] is None
    assert {i["id"] for i in body["items"]}.isdisjoint(i["id"] for i in rest["items"])
    body = await get_json(u, f"{url('lead')}?limit=100")
    assert body["limit"] == 100 and len(body["items"]) == 27 and body["next_cursor"] is None
    for bad in ("101", "0", "-1", "ten", "1.5"):
        r = await u.get(f"{url('lead')}?limit={bad}")
        assert r.status == 422, bad
        assert "100" in field_error(await r.json(), "limit")


async def test_cursor_is_bound_to_its_sort(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    for i in range(3):
        await create(u, "lead", {"name": f"L{i}"})
    first = await get_json(u, f"{url('lead')}?sort=name&limit=1")
    cursor = first["next_cursor"]
    assert cursor
    assert (await u.get(f"{url('lead')}?sort=name&limit=1&cursor={cursor}")).status == 200
    for other in ("-name", "city", "-created_at"):
        r = await u.get(f"{url('lead')}?sort={other}&limit=1&cursor={cursor}")
        assert r.status == 422, other
        field_error(await r.json(), "cursor")
    for junk in ("abc", cursor[:-3], "W10"):
        r = await u.get(f"{url('lead')}?sort=name&cursor={junk}")
        assert r.status == 422, junk
        field_error(await r.json(), "cursor")


async def test_unknown_sort_and_params_name_the_allowed_ones(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    r = await u.get(f"{url('lead')}?sort=password")
    assert r.status == 422
    assert "allowed: created_at, updated_at, name" in field_error(await r.json(), "sort")
    r = await u.get(f"{url('lead')}?tenant_id=x&colour=red")
    body = await r.json()
    assert r.status == 422
    for name in ("tenant_id", "colour"):
        message = field_error(body, name)
        assert "lead_status" in message and "assigned_to" in message and "limit" in message


async def test_filters_count_search_and_trash(tenant: TenantHandle) -> None:
    u, other = tenant.users[0], tenant.users[1]
    rows = {}
    specs = [
        ("alpha", "new", None, "Boston"),
        ("beta", "contacted", other.user_id, "Denver"),
        ("gamma", "contacted", None, "boston"),
        ("delta", "qualified", other.user_id, "Austin"),
        ("epsilon", "lost", None, "Reno"),
    ]
    for name, status, assignee, city in specs:
        body = {"name": f"{name} co", "lead_status": status, "city": city}
        if assignee:
            body["assigned_to"] = str(assignee)
        rows[name] = await create(u, "lead", body)

    async def names(query: str) -> list[str]:
        body = await get_json(u, f"{url('lead')}?{query}&count=true&sort=name")
        assert body["total"] == len(body["items"])
        return [i["name"].removesuffix(" co") for i in body["items"]]

    assert await names("lead_status=contacted") == ["beta", "gamma"]
    assert await names("lead_status=new,qualified,lost") == ["alpha", "delta", "epsilon"]
    assert await names(f"assigned_to={other.user_id}") == ["beta", "delta"]
    assert await names(f"assigned_to={other.user_id}&lead_status=contacted") == ["beta"]
    assert await names(f"created_by={u.user_id}&lead_status=new") == ["alpha"]
    assert await names("q=BOSTON") == ["alpha", "gamma"]
    assert await names("q=del") == ["delta"]  # a word's beginning
    assert await names("q=lta") == []  # not its middle
    assert await names("q=nothing-matches") == []
    r = await u.get(f"{url('lead')}?assigned_to=not-a-uuid")
    assert r.status == 422
    field_error(await r.json(), "assigned_to")

    page = await get_json(u, f"{url('lead')}?limit=2&count=true")
    assert page["total"] == 5 and len(page["items"]) == 2
    assert (await u.delete(url("lead", rows["gamma"]["id"]))).status == 200
    assert await names("q=boston") == ["alpha"]
    assert await names("lead_status=contacted") == ["beta"]
    assert (await get_json(u, f"{url('lead')}?count=true"))["total"] == 4


async def test_filters_on_children(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    c1, c2 = await make(u, "client"), await make(u, "client")
    a1 = await make(u, "account", client_id=c1["id"], status="active")
    a2 = await make(u, "account", client_id=c2["id"], status="closed")
    await make(u, "account", client_id=c2["id"], status="active")

    async def ids(query: str) -> set[str]:
        return {i["id"] for i in (await get_json(u, f"{url('account')}?{query}"))["items"]}

    assert len(await ids(f"client_id={c2['id']}")) == 2
    assert await ids(f"client_id={c1['id']}") == {a1["id"]}
    assert await ids(f"client_id={c2['id']}&status=closed") == {a2["id"]}
    assert len(await ids(f"client_id={c1['id']},{c2['id']}")) == 3


async def test_search_words_and_null_filters(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    for name in ("50% off", "5000 units", "snake_case", "snakecase", "back\\slash"):
        await create(u, "lead", {"name": name, "assigned_to": str(u.user_id)})
    plain = await create(u, "lead", {"name": "unassigned"})

    async def names(query: str) -> list[str]:
        body = await get_json(u, f"{url('lead')}?{query}&sort=name")
        return [i["name"] for i in body["items"]]

    assert await names("q=50%25") == ["50% off", "5000 units"]  # % is no wildcard: "50"
    assert await names("q=%25") == []  # no words, no matches
    assert await names("q=_") == []
    assert await names("q=snake_case") == ["snake_case"]  # two words
    assert await names("q=snake") == ["snake_case", "snakecase"]
    assert await names("q=back%5Cslash") == ["back\\slash"]
    assert await names("assigned_to=null") == [plain["name"]]
