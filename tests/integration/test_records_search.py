"""``q=`` on record lists: the text is found literally and case-insensitively in any one searched
column (never across two), control characters are refused, and it pages like any list."""

from __future__ import annotations

from urllib.parse import quote

from tests.support.records import create, field_error, get_json, url
from tests.support.tenants import TenantHandle


async def _names(tenant: TenantHandle, q: str, entity: str = "lead") -> list[str]:
    body = await get_json(tenant.users[0], f"{url(entity)}?q={quote(q)}&limit=100")
    return sorted(item["name"] for item in body["items"])


async def test_matches_are_literal_and_within_one_column(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    await create(u, "lead", {"name": "Acme 10% off", "city": "Boston"})
    await create(u, "lead", {"name": "Acme_2", "contact_person": "Ann Lee", "city": "Salem"})
    await create(u, "lead", {"name": "Acme 102", "email": "ops@example.com"})
    assert await _names(tenant, "10%") == ["Acme 10% off"]  # % is no wildcard
    assert await _names(tenant, "e_2") == ["Acme_2"]  # nor is _
    assert await _names(tenant, "ANN LEE") == ["Acme_2"]
    assert await _names(tenant, "OPS@EXAMPLE") == ["Acme 102"]
    assert await _names(tenant, "acme") == ["Acme 10% off", "Acme 102", "Acme_2"]
    # The end of one column and the start of the next are not one text.
    assert await _names(tenant, "offboston") == []
    assert await _names(tenant, "off boston") == []
    assert await _names(tenant, "lee salem") == []


async def test_control_characters_are_refused(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    for q in ("acme\nboston", "tab\there", "nul\x00"):
        r = await u.get(f"{url('lead')}?q={quote(q)}")
        assert r.status == 422, q
        assert "control characters" in field_error(await r.json(), "q")


async def test_search_pages_through_every_match(tenant: TenantHandle) -> None:
    u, other = tenant.users[0], tenant.users[1]
    wanted = set()
    for i in range(7):
        mine = await create(u, "lead", {"name": f"Needle {i}"})
        assigned = await create(
            u, "lead", {"name": f"Needle x{i}", "assigned_to": str(other.user_id)}
        )
        wanted |= {mine["id"], assigned["id"]}
        await create(u, "lead", {"name": f"Hay {i}"})
    seen: list[str] = []
    cursor = ""
    for _ in range(10):
        page = await get_json(u, f"{url('lead')}?q=needle&limit=3{cursor}")
        seen += [item["id"] for item in page["items"]]
        if page["next_cursor"] is None:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert len(seen) == len(set(seen)) and set(seen) == wanted
    other_view = await get_json(other, f"{url('lead')}?q=needle&limit=100")
    assert {i["name"] for i in other_view["items"]} == {f"Needle x{i}" for i in range(7)}
