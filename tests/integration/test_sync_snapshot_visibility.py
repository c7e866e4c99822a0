"""Snapshot pages (``SyncRepository.snapshot_page``) state the visibility rules in their own,
index-friendly shape (owner branches merged, parents tested by primary key): for the random
worlds of test_visibility_agreement they must return exactly the records ``visible_clause``
lets each user see, in (version, id) order, whole pages and page by page alike, and nothing
above the snapshot's ``until``.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings

from sync_server.db.repositories import Repositories
from sync_server.entities import ENTITIES
from sync_server.http.keys import DB
from sync_server.tenancy import mint_for_platform
from tests.integration.test_visibility_agreement import N_USERS, Plan, _rows, expected, plans
from tests.support.tenants import TenantHandle


class _Rollback(Exception):
    pass


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=plans())
async def test_snapshot_pages_hold_exactly_the_visible_records(
    tenant: TenantHandle, plan: Plan
) -> None:
    users = [tenant.admin.user_id, *(u.user_id for u in tenant.users)]
    assert len(users) == N_USERS
    ctx = mint_for_platform(tenant.tenant_id, tenant.admin.user_id)
    with contextlib.suppress(_Rollback):
        async with tenant.admin.client.app[DB].session(ctx) as session:
            repos = Repositories(ctx, session)
            rows = _rows(plan, users)
            # Few distinct versions, so that the keyset's id tiebreak is exercised too.
            for n, (_kind, _index, row) in enumerate(rows):
                row.version = 1 + n % 3
                await repos.records.insert(row)
            await _check_pages(repos, plan, rows, users)
            raise _Rollback  # leave the tenant empty for the next example


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
