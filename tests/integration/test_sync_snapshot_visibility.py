"""Snapshot pages (``SyncRepository.snapshot_page``) state the visibility rules in their own,
index-friendly shape (owner branches merged, parents tested by primary key): for the random
worlds of test_visibility_agreement they must return exactly the records ``visible_clause``
lets each user see, in (version, id) order, whole pages and page by page alike, and nothing
above the snapshot's ``until``.
"""

from __future__ import annotations

import uuid
from typing import Any

from hypothesis import given

from sync_server.db.repositories import Repositories
from sync_server.entities import ENTITIES
from tests.integration.test_visibility_agreement import (
    WORLD_SETTINGS,
    Plan,
    _rows,
    expected,
    plans,
    rolled_back_world,
)
from tests.support.tenants import TenantHandle


@WORLD_SETTINGS
@given(plan=plans())
async def test_snapshot_pages_hold_exactly_the_visible_records(
    tenant: TenantHandle, plan: Plan
) -> None:
    async with rolled_back_world(tenant) as (repos, users):
        rows = _rows(plan, users)
        # Few distinct versions, so that the keyset's id tiebreak is exercised too.
        for n, (_kind, _index, row) in enumerate(rows):
            row.version = 1 + n % 3
            await repos.records.insert(row)
        await _check_pages(repos, plan, rows, users)


async def _check_pages(
    repos: Repositories, plan: Plan, rows: list[tuple[str, int, Any]], users: list[uuid.UUID]
) -> None:
    for kind, spec in ENTITIES.items():
        mine = [(index, row) for k, index, row in rows if k == kind]
        for user_index, user in enumerate(users):
            want = sorted(
                (row.version, row.id)
                for index, row in mine
                if user_index in expected(plan, kind, index)
            )
            whole = await repos.sync.snapshot_page(spec, user, 3, None, 100)
            assert [(r.version, r.id) for r in whole] == want, (kind, user_index, plan)
            paged: list[tuple[int, uuid.UUID]] = []
            after = None
            while page := await repos.sync.snapshot_page(spec, user, 3, after, 1):
                paged += [(r.version, r.id) for r in page]
                after = paged[-1]
            assert paged == want, (kind, user_index, plan)
            below = await repos.sync.snapshot_page(spec, user, 1, None, 100)
            assert [(r.version, r.id) for r in below] == [w for w in want if w[0] <= 1]
