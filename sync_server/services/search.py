"""``GET /search``: one query over the records a user works with and their colleagues.

Records come from the record lists themselves (``q=`` through the search index, the caller's
visibility, most recently updated first), so search can never show what a list would not; users
are few per tenant and matched here, by the same word rules.
"""

from __future__ import annotations

from typing import Any, get_args

from sqlalchemy import Table

from sync_server.db.repositories import Repositories
from sync_server.db.repositories.records import ListQuery
from sync_server.entities import ENTITIES, record_title
from sync_server.schemas.search import SearchEntity, SearchQuery
from sync_server.search import matched_fields, matches, record_terms
from sync_server.services.operator import Minter, on_every_tenant
from sync_server.services.records import list_page
from sync_server.settings import Settings

_USER_FIELDS = ("name", "email")


async def search(repos: Repositories, query: SearchQuery) -> dict[str, Any]:
    wanted = [query.entity] if query.entity else list(get_args(SearchEntity))
    items: list[dict[str, Any]] = []
    for entity in wanted:
        if entity == "user":
            items += await _users(repos, query)
            continue
        spec = ENTITIES[entity]
        listed = ListQuery(sort="updated_at", descending=True, limit=query.limit, q=query.q)
        for record in (await list_page(repos, spec, listed))["items"]:
            fields = matched_fields(spec.searchable, record, query.q)
            title = record_title(entity, record)
            items.append({"entity": entity, "id": record["id"], "title": title, "fields": fields})
    return {"items": items}


async def _users(repos: Repositories, query: SearchQuery) -> list[dict[str, Any]]:
    hits = []
    for user in await repos.users.list():
        values = {"name": user.name, "email": user.email}
        if user.is_active and matches(_USER_FIELDS, values, query.q):
            hit = {"entity": "user", "id": str(user.id), "title": user.name or user.email,
                   "fields": matched_fields(_USER_FIELDS, values, query.q)}  # fmt: skip
            hits.append((user.updated_at, hit))
    hits.sort(key=lambda hit: (hit[0], hit[1]["id"]), reverse=True)  # as lists: newest first
    return [hit for _, hit in hits[: query.limit]]


# Rebuilding the index --------------------------------------------------------------------------

_PAGE = 2000


async def reindex_tenant(repos: Repositories) -> dict[str, int]:
    """Make the tenant's search index exactly what the write path would have written: words
    missing are added, stale ones and those of records gone removed (``pathsix search
    reindex``, e.g. after records were changed outside the application). Returns counts.

    It holds the tenant's clock, as a write does: a write committing between reading a page's
    records and their words would otherwise be undone in the index. The tenant's writes wait
    meanwhile (they are queued, not refused)."""
    await repos.sync.lock_clock()
    added = removed = 0
    for spec in ENTITIES.values():
        table: Table = spec.model.__table__  # type: ignore[attr-defined]
        removed += await repos.search.drop_orphans(spec.name, table)
        after = None
        while rows := await repos.records.searchable_page(spec, after, _PAGE):
            want = {
                (row.id, field, term)
                for row in rows
                for field, term in record_terms(spec.searchable, row._mapping)
            }
            have = await repos.search.words_of(spec.name, [row.id for row in rows])
            await repos.search.change(
                spec.name, added=sorted(want - have), removed=sorted(have - want)
            )
            added, removed = added + len(want - have), removed + len(have - want)
            after = rows[-1].id
    return {"added": added, "removed": removed}


def main_reindex(settings: Settings, mint: Minter) -> int:
    """``pathsix search reindex``: every tenant, each in its own transaction; a line each."""
    done = on_every_tenant(settings, mint, reindex_tenant)
    for tenant_id, counts in done.items():
        print(f"tenant {tenant_id}: {counts['added']} words added, {counts['removed']} removed")
    print(f"reindexed {len(done)} tenant(s)")
    return 0
