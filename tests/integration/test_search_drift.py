"""An index that drifted from the rows never costs a write: the write path's word changes are
idempotent, so an edit bringing back a word the index still holds is saved (REST) or applied
(a device's push), and the index ends up right."""

from __future__ import annotations

import uuid
from typing import Any

from aiohttp.test_utils import TestClient

from sync_server.db.models import SearchTerm
from sync_server.db.repositories import Repositories
from sync_server.http.keys import DB
from sync_server.services import search as search_service
from sync_server.tenancy import mint_for_platform
from tests.property.world import device_for
from tests.support.records import db_rows, get_json, make, url
from tests.support.statements import statements
from tests.support.tenants import TenantHandle


async def _plant(
    client: TestClient[Any, Any], tenant: TenantHandle, record_id: str, *words: tuple[str, str]
) -> None:
    """Words the index holds for a record whose fields no longer have them (stale)."""
    app = client.app
    assert app is not None
    async with app[DB].session(mint_for_platform(tenant.tenant_id)) as session:
        session.add_all(
            SearchTerm(tenant_id=tenant.tenant_id, entity="lead", term=term,
                       record_id=uuid.UUID(record_id), field=field)
            for field, term in words
        )  # fmt: skip


async def _terms(
    client: TestClient[Any, Any], tenant: TenantHandle, record_id: str, field: str
) -> set[str]:
    """The words the index holds for one field of a record."""
    rows = await db_rows(client, tenant.tenant_id, SearchTerm)
    return {t.term for t in rows if t.record_id == uuid.UUID(record_id) and t.field == field}


async def test_an_edit_bringing_back_a_stale_word_is_saved(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    u = tenant.users[0]
    lead = await make(u, "lead", name="Juniper Tiles", city="Reno")
    await _plant(client, tenant, lead["id"], ("name", "birch"))
    r = await u.patch(url("lead", lead["id"]), json={"name": "Birch Tiles"})
    assert r.status == 200, await r.text()
    assert await _terms(client, tenant, lead["id"], "name") == {"birch", "tiles"}
    found = await get_json(u, f"{url('lead')}?q=birch")
    assert [item["id"] for item in found["items"]] == [lead["id"]]


async def test_a_pushed_edit_bringing_back_a_stale_word_is_applied(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    u = tenant.users[0]
    dev = device_for(u)
    lead = await make(u, "lead", name="Oak Fencing", city="Reno")
    await dev.client.pull()
    await _plant(client, tenant, lead["id"], ("city", "birch"), ("city", "falls"))
    dev.client.update("lead", lead["id"], {"city": "Birch Falls"})
    [pushed] = await dev.client.push()
    assert pushed.status == "applied", pushed
    assert await _terms(client, tenant, lead["id"], "city") == {"birch", "falls"}


async def test_reindex_holds_the_tenant_clock(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    """A write committing between reindex reading a page and its words would be undone in the
    index: reindex takes the tenant clock first, as a write does."""
    await make(tenant.users[0], "lead", name="Cedar Gutters")
    app = client.app
    assert app is not None
    ctx = mint_for_platform(tenant.tenant_id)
    with statements(client) as sent:
        async with app[DB].session(ctx) as session:
            await search_service.reindex_tenant(Repositories(ctx, session))
    clock = next(i for i, q in enumerate(sent) if "FROM tenant_clock" in q)
    first_read = next(i for i, q in enumerate(sent) if "search_terms" in q or "FROM leads" in q)
    assert clock < first_read, sent[: first_read + 1]
    if app[DB].engine.dialect.name == "postgresql":
        assert "FOR UPDATE" in sent[clock], sent[clock]
