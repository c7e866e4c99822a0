"""The two faces of the visibility rules agree (db/repositories/visibility.py): for random small
worlds of users, leads, clients, projects and children with random assignments, user U is in
``Audience.of(record)`` iff ``repos.records.get(spec, id, visible_to=U)`` returns the record, iff
the record is in U's list, and both match a plain-Python reading of API.md "Visibility".

Rows are inserted straight through the repositories (no write path: any assignment is allowed,
even ones the API would refuse) inside a transaction that is rolled back after each example.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync_server.db.models import (
    Account,
    Client,
    Contact,
    Interaction,
    Lead,
    Note,
    Project,
    Subscription,
)
from sync_server.db.repositories import Repositories
from sync_server.db.repositories.records import ListQuery
from sync_server.entities import ENTITIES
from sync_server.http.keys import DB
from sync_server.tenancy import mint_for_platform
from tests.support.tenants import TenantHandle

N_USERS = 3  # the tenant fixture's admin and two users
USER = st.integers(0, N_USERS - 1)
MAYBE_USER = st.none() | USER


@dataclass
class Plan:
    """A world as indexes: who created/owns what and which record hangs off which."""

    leads: list[tuple[int, int | None]]
    clients: list[tuple[int, int | None]]
    projects: list[tuple[int, int | None, int | None, int | None]]  # creator, assignee, c, l
    children: list[tuple[str, int, tuple[str, int], int | None]] = field(default_factory=list)
    # (kind, creator, (parent kind, parent index), linked project for interactions)


def _ref(n: int) -> st.SearchStrategy[int | None]:
    return st.none() if n == 0 else st.none() | st.integers(0, n - 1)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    leads = draw(st.lists(st.tuples(USER, MAYBE_USER), max_size=3))
    clients = draw(st.lists(st.tuples(USER, MAYBE_USER), max_size=3))
    projects = draw(
        st.lists(st.tuples(USER, MAYBE_USER, _ref(len(clients)), _ref(len(leads))), max_size=4)
    )
    plan = Plan(leads, clients, projects)
    owners = [("client", i) for i in range(len(clients))] + [("lead", i) for i in range(len(leads))]
    note_targets = owners + [("project", i) for i in range(len(projects))]
    options = {
        "contact": owners,
        "interaction": owners,
        "account": [o for o in owners if o[0] == "client"],
        "subscription": [o for o in owners if o[0] == "client"],
        "note": note_targets,
    }
    for kind, parents in options.items():
        if parents:
            drawn = st.tuples(USER, st.sampled_from(parents), _ref(len(projects)))
            for creator, parent, project in draw(st.lists(drawn, max_size=2)):
                plan.children.append((kind, creator, parent, project))
    return plan


def expected(plan: Plan, kind: str, index: int) -> set[int]:
    """API.md "Visibility", read literally, on the plan (user indexes)."""
    if kind in ("lead", "client"):
        creator, assignee = (plan.leads if kind == "lead" else plan.clients)[index]
        return {u for u in (creator, assignee) if u is not None}
    if kind == "project":
        creator, assignee, client, lead = plan.projects[index]
        if assignee is not None:
            return {creator, assignee}
        if client is not None:
            return expected(plan, "client", client)
        if lead is not None:
            return expected(plan, "lead", lead)
        return {creator}
    _kind, _creator, (parent_kind, parent_index), _project = plan.children[index]
    return expected(plan, parent_kind, parent_index)


def _rows(plan: Plan, users: list[uuid.UUID]) -> list[tuple[str, int, Any]]:
    """ORM rows for the plan, parents first, as (kind, index, row)."""
    now = datetime.now(UTC)
    ids: dict[tuple[str, int], uuid.UUID] = {}
    out: list[tuple[str, int, Any]] = []

    def add(kind: str, index: int, row: Any) -> None:
        ids[(kind, index)] = row.id = uuid.uuid4()
        out.append((kind, index, row))

    def who(i: int | None) -> uuid.UUID | None:
        return None if i is None else users[i]

    for i, (c, a) in enumerate(plan.leads):
        add("lead", i, Lead(name=f"L{i}", created_by=who(c), assigned_to=who(a)))
    for i, (c, a) in enumerate(plan.clients):
        add("client", i, Client(name=f"C{i}", created_by=who(c), assigned_to=who(a)))
    for i, (c, a, client, lead) in enumerate(plan.projects):
        row = Project(name=f"P{i}", created_by=who(c), assigned_to=who(a))
        row.client_id = ids[("client", client)] if client is not None else None
        row.lead_id = ids[("lead", lead)] if lead is not None else None
        add("project", i, row)
    for i, (kind, c, parent, project) in enumerate(plan.children):
        linked = ids[("project", project)] if project is not None else None
        row = _child(kind, parent[0], ids[parent], linked, now)
        row.created_by = who(c)
        add(kind, i, row)
    return out


def _child(kind: str, parent: str, pid: uuid.UUID, project: uuid.UUID | None, now: datetime) -> Any:
    link = {f"{parent}_id": pid}
    if kind == "contact":
        return Contact(first_name="F", **link)
    if kind == "interaction":
        return Interaction(contact_date=now, summary="S", project_id=project, **link)
    if kind == "account":
        return Account(account_number=uuid.uuid4().hex, client_id=pid)
    if kind == "subscription":
        return Subscription(plan_name="S", price=Decimal(1), client_id=pid)
    return Note(entity=parent, entity_id=pid, body="B")


class _Rollback(Exception):
    pass


# Random worlds, each inserted in one transaction that is rolled back afterwards.
WORLD_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@contextlib.asynccontextmanager
async def rolled_back_world(
    tenant: TenantHandle,
) -> AsyncIterator[tuple[Repositories, list[uuid.UUID]]]:
    """Repositories in a transaction that leaves the tenant empty for the next example, and the
    tenant's users (the admin first)."""
    users = [tenant.admin.user_id, *(u.user_id for u in tenant.users)]
    assert len(users) == N_USERS
    ctx = mint_for_platform(tenant.tenant_id, tenant.admin.user_id)
    with contextlib.suppress(_Rollback):
        async with tenant.admin.client.app[DB].session(ctx) as session:
            yield Repositories(ctx, session), users
            raise _Rollback


@WORLD_SETTINGS
@given(plan=plans())
async def test_sql_rule_python_audience_and_api_reading_agree(
    tenant: TenantHandle, plan: Plan
) -> None:
    async with rolled_back_world(tenant) as (repos, users):
        rows = _rows(plan, users)
        for _kind, _index, row in rows:
            await repos.records.insert(row)
        await _check_world(repos, plan, rows, users)


async def _check_world(
    repos: Repositories, plan: Plan, rows: list[tuple[str, int, Any]], users: list[uuid.UUID]
) -> None:
    listed = {}
    for kind, spec in ENTITIES.items():
        for user in users:
            page = await repos.records.page(spec, ListQuery(limit=100), visible_to=user)
            listed[(kind, user)] = {r.id for r in page.rows}
    for kind, index, row in rows:
        spec = ENTITIES[kind]
        want = {users[i] for i in expected(plan, kind, index)}
        audience = await repos.audience.of(spec, row)
        by_sql = {u for u in users if await repos.records.get(spec, row.id, visible_to=u)}
        by_list = {u for u in users if row.id in listed[(kind, u)]}
        assert audience == by_sql == by_list == want, (kind, index, plan)
