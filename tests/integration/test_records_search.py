"""Search: ``q=`` on record lists and ``GET /search``, through the search index the write path
keeps (``sync_server/search.py``). Every word of the query begins a word of a searchable field,
in any field and order, case and accents ignored; phone numbers match however they are typed;
the index follows every write (REST, sync, conversion, purge); search never shows what a list
would not."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any
from urllib.parse import quote

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import delete

from sync_server.db import migrate
from sync_server.db.models import SearchTerm
from sync_server.db.repositories import Repositories
from sync_server.db.repositories import records as records_repo
from sync_server.http.keys import DB
from sync_server.services import search as search_service
from sync_server.settings import Settings
from sync_server.tenancy import mint_for_platform
from tests.property.world import device_for
from tests.support.records import create, db_rows, field_error, get_json, make, url
from tests.support.tenants import Actor, TenantHandle

S = "/api/v1/search"


async def _names(actor: Actor, q: str, entity: str = "lead", key: str = "name") -> list[str]:
    body = await get_json(actor, f"{url(entity)}?q={quote(q)}&limit=100")
    return sorted(item[key] for item in body["items"])


@pytest.mark.parametrize("common_word", [records_repo.COMMON_WORD, 1])
async def test_every_word_begins_a_word_of_some_field(
    tenant: TenantHandle, common_word: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same answers whether the words count as rare (found from the index) or common
    (tested per row read, on PostgreSQL: ``COMMON_WORD`` = 1 makes every word common)."""
    monkeypatch.setattr(records_repo, "COMMON_WORD", common_word)
    u = tenant.users[0]
    await create(u, "lead", {"name": "Acme Plumbing", "city": "Boston"})
    await create(u, "lead", {"name": "Acme_2", "contact_person": "Ann Lee", "city": "Salem"})
    await create(u, "lead", {"name": "Bolt Works", "email": "ops@acme-mail.com"})
    await create(u, "lead", {"name": "Zed", "phone": "555 (010) 0199"})
    assert await _names(u, "acme") == ["Acme Plumbing", "Acme_2", "Bolt Works"]
    assert await _names(u, "ACM BOS") == ["Acme Plumbing"]  # two fields, any order, any case
    assert await _names(u, "boston acme") == ["Acme Plumbing"]
    assert await _names(u, "lee ann") == ["Acme_2"]
    assert await _names(u, "ops@acme") == ["Bolt Works"]
    assert await _names(u, "acme 2") == ["Acme_2"]  # "_" separates words
    for typed in ("555-010-0199", "5550100199", "55501", "555 010", "0199"):
        assert await _names(u, typed) == ["Zed"], typed
    assert await _names(u, "cme") == []  # words are found by their beginning
    assert await _names(u, "acme salem boston") == []  # every word must be found
    assert await _names(u, "%") == []  # no words: nothing
    assert await _names(u, "plumbing%") == ["Acme Plumbing"]  # % is no wildcard


@pytest.mark.parametrize("common_word", [records_repo.COMMON_WORD, 1])
async def test_case_and_accents_are_ignored(
    tenant: TenantHandle, common_word: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Folded words ("José" is indexed "jose") are found by an ASCII query also when it is
    common: on PostgreSQL a common ASCII word is first looked for in the row's lower-cased
    text, where "josé" does not hold "jose", so rows beyond ASCII skip that test."""
    monkeypatch.setattr(records_repo, "COMMON_WORD", common_word)
    u = tenant.users[0]
    await create(u, "lead", {"name": "José Núñez", "city": "İstanbul"})
    await create(u, "lead", {"name": "Jose\u0301 Ortiz", "city": "Straße"})  # typed decomposed
    await create(u, "lead", {"name": "Jose Plain", "city": "Strasse"})
    await create(u, "lead", {"name": "Ελλάδα Ταξί", "city": "Οδός"})
    both = ["Jose Plain", "Jose\u0301 Ortiz", "José Núñez"]
    assert await _names(u, "jose") == both
    assert await _names(u, "josé") == both
    assert await _names(u, "JOSE\u0301") == both
    assert await _names(u, "jose nunez") == ["José Núñez"]
    assert await _names(u, "istanbul") == ["José Núñez"]
    assert await _names(u, "İst") == ["José Núñez"]
    assert await _names(u, "strasse") == ["Jose Plain", "Jose\u0301 Ortiz"]
    assert await _names(u, "straß ortiz") == ["Jose\u0301 Ortiz"]
    assert await _names(u, "ελλαδα ΟΔΟΣ") == ["Ελλάδα Ταξί"]
    assert await _names(u, "josh") == []


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
        page = await get_json(u, f"{url('lead')}?q=needle&limit=3&count=true{cursor}")
        assert page["total"] == 14
        seen += [item["id"] for item in page["items"]]
        if page["next_cursor"] is None:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert len(seen) == len(set(seen)) and set(seen) == wanted
    other_view = await get_json(other, f"{url('lead')}?q=needle&limit=100")
    assert {i["name"] for i in other_view["items"]} == {f"Needle x{i}" for i in range(7)}


async def test_the_index_follows_every_write(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    u, admin = tenant.users[0], tenant.admin
    lead = await create(u, "lead", {"name": "Quartz Roofing", "lead_status": "qualified"})
    r = await u.patch(url("lead", lead["id"]), json={"name": "Granite Roofing"})
    assert r.status == 200, await r.text()
    assert await _names(u, "quartz") == []
    assert await _names(u, "granite roof") == ["Granite Roofing"]

    dev = device_for(u)  # a change pushed by a device is indexed too
    paving = dev.client.create("lead", {"name": "Basalt Paving"})
    [pushed] = await dev.client.push()
    assert pushed.status == "applied", pushed
    assert await _names(u, "basalt") == ["Basalt Paving"]

    converted = await u.post(url("lead", lead["id"], "/convert"), json={})
    assert converted.status in (200, 201), await converted.text()
    assert await _names(u, "granite", "client") == ["Granite Roofing"]

    assert (await u.delete(url("lead", paving))).status == 200  # Trash keeps the words
    trashed = await get_json(u, "/api/v1/trash?entity=lead&q=basalt")
    assert [i["id"] for i in trashed["items"]] == [paving]
    assert (await admin.delete(f"/api/v1/trash/lead/{paving}")).status == 204
    left = await db_rows(client, tenant.tenant_id, SearchTerm)
    assert uuid.UUID(paving) not in {t.record_id for t in left}  # purged: its words too
    assert {t.term for t in left if t.record_id == uuid.UUID(lead["id"])} == {
        "granite",
        "roofing",
    }


async def test_search_finds_records_and_users_with_the_fields_matched(
    tenant: TenantHandle,
) -> None:
    u, other = tenant.users[0], tenant.users[1]
    lead = await make(u, "lead", name="Harbor Lights", city="Harborview")
    customer = await make(u, "client", name="Harbor Supply")
    project = await make(u, "project", client_id=customer["id"], name="Harbor deck")
    contact = await make(u, "contact", client_id=customer["id"], first_name="Hal",
                         last_name="Harbor", email="hal@example.com")  # fmt: skip
    hidden = await make(other, "lead", name="Harbor Secret")  # other's: not for u

    body = await get_json(u, f"{S}?q=harbor")
    hits = {(h["entity"], h["id"]): h for h in body["items"]}
    assert ("lead", hidden["id"]) not in hits
    assert hits["lead", lead["id"]]["fields"] == ["name", "city"]
    assert hits["lead", lead["id"]]["title"] == "Harbor Lights"
    assert hits["client", customer["id"]]["fields"] == ["name"]
    assert hits["project", project["id"]]["title"] == "Harbor deck"
    assert hits["contact", contact["id"]]["title"] == "Hal Harbor"
    kinds = [h["entity"] for h in body["items"]]
    assert kinds == sorted(kinds, key=["lead", "client", "project", "contact", "user"].index)

    first_word = u.email.split("@")[0].split(".")[0].split("-")[0]
    people = await get_json(u, f"{S}?q={quote(first_word)}&entity=user")
    assert {h["entity"] for h in people["items"]} == {"user"}
    assert str(u.user_id) in {h["id"] for h in people["items"]}
    assert all("email" in h["fields"] or "name" in h["fields"] for h in people["items"])

    only = await get_json(u, f"{S}?q=harbor&entity=lead&limit=1")
    assert [(h["entity"], h["id"]) for h in only["items"]] == [("lead", lead["id"])]


async def test_search_refuses_bad_queries(tenant: TenantHandle) -> None:
    u = tenant.users[0]
    for query, name in (("", "q"), ("?q=", "q"), ("?q=a&limit=0", "limit"),
                        ("?q=a&entity=note", "entity"), ("?q=a&x=1", "x"),
                        ("?q=a%0Ab", "q")):  # fmt: skip
        r = await u.get(f"{S}{query}")
        assert r.status == 422, query
        body = await r.json()
        assert body["code"] == "validation_error" and name in body["details"]["fields"], body


async def test_the_migration_indexes_existing_records_as_the_write_path_does(
    client: TestClient[Any, Any], tenant: TenantHandle, settings: Settings
) -> None:
    u = tenant.users[0]
    customer = await make(u, "client", name="Cedar & Pine Ltd", phone="555 201 7788")
    await make(u, "contact", client_id=customer["id"], first_name="Ōla", last_name="Nuñez")
    await make(u, "interaction", client_id=customer["id"], summary="Quote for the deck")
    await make(u, "contact", client_id=customer["id"], first_name="Jose\u0301",
               last_name="Straße", email="jose@İstanbul.example")  # fmt: skip
    written = {_key(t) for t in await db_rows(client, tenant.tenant_id, SearchTerm)}
    assert ("client", "5552017788", "phone") in {(e, t, f) for e, t, _, f in written}

    await asyncio.to_thread(migrate.downgrade, settings, "0003")
    await asyncio.to_thread(migrate.upgrade, settings)
    rebuilt = {_key(t) for t in await db_rows(client, tenant.tenant_id, SearchTerm)}
    assert rebuilt == written
    assert await _names(u, "nuñ ōla", "contact", "last_name") == ["Nuñez"]
    assert await _names(u, "josé strasse istanbul", "contact", "last_name") == ["Straße"]


def _key(term: SearchTerm) -> tuple[str, str, uuid.UUID, str]:
    return term.entity, term.term, term.record_id, term.field


async def test_reindex_mends_an_index_changed_behind_the_write_path(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    u = tenant.users[0]
    lead = await make(u, "lead", name="Juniper Tiles", city="Reno")
    await make(u, "client", name="Birch Decks", phone="555 310 4400")
    written = {_key(t) for t in await db_rows(client, tenant.tenant_id, SearchTerm)}
    app = client.app
    assert app is not None
    ctx = mint_for_platform(tenant.tenant_id)
    async with app[DB].session(ctx) as session:  # words lost, wrong and orphaned
        gone = uuid.uuid4()
        await session.execute(delete(SearchTerm).where(SearchTerm.term == "juniper"))
        session.add_all([
            SearchTerm(tenant_id=tenant.tenant_id, entity="lead", term="bogus",
                       record_id=uuid.UUID(lead["id"]), field="name"),
            SearchTerm(tenant_id=tenant.tenant_id, entity="lead", term="ghost",
                       record_id=gone, field="name"),
        ])  # fmt: skip
    assert await _names(u, "juniper") == []
    async with app[DB].session(ctx) as session:
        counts = await search_service.reindex_tenant(Repositories(ctx, session))
    assert counts == {"added": 1, "removed": 2}
    assert {_key(t) for t in await db_rows(client, tenant.tenant_id, SearchTerm)} == written
    assert await _names(u, "juniper") == ["Juniper Tiles"]
    async with app[DB].session(ctx) as session:
        again = await search_service.reindex_tenant(Repositories(ctx, session))
    assert again == {"added": 0, "removed": 0}
