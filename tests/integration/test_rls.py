"""Tenant isolation: PostgreSQL row-level security (catalog and behaviour, as the application's
own role) and repository scoping (both backends)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from sync_server.db.models import Lead, tenant_tables
from sync_server.db.repositories import Repositories
from sync_server.http.keys import DB
from sync_server.settings import Settings
from sync_server.tenancy import mint_for_platform
from tests.support.tenants import TenantHandle

SET_TENANT = text("SELECT set_config('app.tenant_id', :tid, true)")


@asynccontextmanager
async def connect(url: str) -> AsyncIterator[AsyncConnection]:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            yield conn
    finally:
        await engine.dispose()


def superuser_url(settings: Settings) -> str:
    url = make_url(settings.database_url).set(username="postgres")
    return url.render_as_string(hide_password=False)


async def rows(conn: AsyncConnection, sql: str, **params: Any) -> list[Any]:
    return list((await conn.execute(text(sql), params)).all())


async def add_lead(t: TenantHandle, name: str) -> uuid.UUID:
    lead_id = uuid.uuid4()
    app = t.admin.client.app
    async with app[DB].session(mint_for_platform(t.tenant_id)) as session:
        session.add(Lead(tenant_id=t.tenant_id, id=lead_id, name=name))
    return lead_id


# --- catalog -------------------------------------------------------------------------------------

CATALOG = """
SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
       (SELECT array_agg(p.qual || ' / ' || coalesce(p.with_check, '')) FROM pg_policies p
         WHERE p.schemaname = 'public' AND p.tablename = c.relname
           AND p.policyname = 'tenant_isolation') AS policies
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND (
    c.relname = 'tenants' OR EXISTS (
        SELECT 1 FROM information_schema.columns col WHERE col.table_schema = 'public'
          AND col.table_name = c.relname AND col.column_name = 'tenant_id'))
"""


@pytest.mark.postgres_only
async def test_rls_enabled_and_forced_on_every_tenant_table(settings: Settings) -> None:
    async with connect(settings.migration_database_url) as conn:
        catalog = await rows(conn, CATALOG)
    names = {r.relname for r in catalog}
    assert names == {*tenant_tables(), "tenants"}
    for row in catalog:
        assert row.relrowsecurity, f"RLS is off on {row.relname}"
        assert row.relforcerowsecurity, f"RLS is not forced on {row.relname}"
        assert row.policies and len(row.policies) == 1, f"{row.relname} has no tenant policy"
        using, check = row.policies[0].split(" / ")
        column = "id" if row.relname == "tenants" else "tenant_id"
        for clause in (using, check):
            assert f"{column} = " in clause and "app.tenant_id" in clause, (row.relname, clause)


@pytest.mark.postgres_only
async def test_application_role_owns_nothing_and_cannot_bypass(settings: Settings) -> None:
    async with connect(settings.database_url) as conn:
        assert (await rows(conn, "SELECT current_user"))[0][0] == settings.app_db_role
    async with connect(superuser_url(settings)) as conn:
        roles = await rows(
            conn,
            "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = ANY(:names)",
            names=[settings.app_db_role, make_url(settings.migration_database_url).username],
        )
        owned = await rows(
            conn,
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = :r",
            r=settings.app_db_role,
        )
    assert len(roles) == 2
    assert all(not r.rolsuper and not r.rolbypassrls for r in roles), roles
    assert owned == []


# --- behaviour as the application role -----------------------------------------------------------


@pytest.mark.postgres_only
async def test_no_tenant_setting_sees_nothing(
    settings: Settings, tenant: TenantHandle, other_tenant: TenantHandle
) -> None:
    await add_lead(tenant, "A lead")
    await add_lead(other_tenant, "B lead")
    ids = [tenant.tenant_id, other_tenant.tenant_id]
    async with connect(superuser_url(settings)) as su:
        existing = await rows(su, "SELECT count(*) FROM leads WHERE tenant_id = ANY(:ids)", ids=ids)
        assert existing[0][0] == 2  # the rows are there...
    async with connect(settings.database_url) as conn:
        for table in ("leads", "users", "user_roles", "login_identities", "tenants"):
            assert (await rows(conn, f"SELECT count(*) FROM {table}"))[0][0] == 0, table


@pytest.mark.postgres_only
async def test_tenant_setting_shows_only_that_tenant(
    settings: Settings, tenant: TenantHandle, other_tenant: TenantHandle
) -> None:
    mine = await add_lead(tenant, "A lead")
    await add_lead(other_tenant, "B lead")
    async with connect(settings.database_url) as conn:
        async with conn.begin():
            await conn.execute(SET_TENANT, {"tid": str(tenant.tenant_id)})
            users = await rows(conn, "SELECT tenant_id, id FROM users")
            leads = await rows(conn, "SELECT id FROM leads")
            tenants = await rows(conn, "SELECT id FROM tenants")
        assert {u.tenant_id for u in users} == {tenant.tenant_id}
        expected = {tenant.admin.user_id, *(u.user_id for u in tenant.users)}
        assert {u.id for u in users} == expected
        assert [lead.id for lead in leads] == [mine]
        assert [t.id for t in tenants] == [tenant.tenant_id]
        # The setting is transaction-local: the pooled connection forgets it at commit.
        assert (await rows(conn, "SELECT count(*) FROM users"))[0][0] == 0


@pytest.mark.postgres_only
async def test_writes_into_another_tenant_fail(
    settings: Settings, tenant: TenantHandle, other_tenant: TenantHandle
) -> None:
    mine = await add_lead(tenant, "A lead")
    theirs = await add_lead(other_tenant, "B lead")
    a, b = str(tenant.tenant_id), str(other_tenant.tenant_id)
    insert = "INSERT INTO leads (tenant_id, id, name, created_at, updated_at, version, field_dots,"
    insert += " lead_status) VALUES (:t, :id, 'x', now(), now(), 0, '{}', 'new')"
    attacks = [
        (insert, {"t": b, "id": uuid.uuid4()}),
        ("UPDATE leads SET tenant_id = :t WHERE id = :id", {"t": b, "id": mine}),
    ]
    async with connect(settings.database_url) as conn:
        for sql, params in attacks:
            with pytest.raises(DBAPIError, match="row-level security"):
                async with conn.begin():
                    await conn.execute(SET_TENANT, {"tid": a})
                    await conn.execute(text(sql), params)
        async with conn.begin():
            await conn.execute(SET_TENANT, {"tid": a})
            hit = await conn.execute(text("DELETE FROM leads WHERE id = :id"), {"id": theirs})
            assert hit.rowcount == 0
            rename = text("UPDATE leads SET name = 'pwned' WHERE id = :id")
            hit = await conn.execute(rename, {"id": theirs})
            assert hit.rowcount == 0
    async with connect(superuser_url(settings)) as su:
        left = await rows(su, "SELECT name FROM leads WHERE id = :id", id=theirs)
    assert [r.name for r in left] == ["B lead"]


@pytest.mark.postgres_only
async def test_login_lookup_works_without_a_tenant(
    settings: Settings, other_tenant: TenantHandle
) -> None:
    user = other_tenant.users[0]
    async with connect(settings.database_url) as conn:
        found = await rows(
            conn, "SELECT tenant_id, user_id FROM pathsix_login_lookup(:e)", e=user.email.upper()
        )
    assert [tuple(r) for r in found] == [(other_tenant.tenant_id, user.user_id)]


# --- repositories (both backends) ----------------------------------------------------------------


async def test_repositories_never_mix_tenants(
    tenant: TenantHandle, other_tenant: TenantHandle
) -> None:
    db = tenant.admin.client.app[DB]
    seen: dict[uuid.UUID, set[uuid.UUID]] = {}
    for t, other in ((tenant, other_tenant), (other_tenant, tenant)):
        ctx = mint_for_platform(t.tenant_id)
        async with db.session(ctx) as session:
            repos = Repositories(ctx, session)
            users = await repos.users.list()
            assert {u.tenant_id for u in users} == {t.tenant_id}
            seen[t.tenant_id] = {u.id for u in users}
            assert await repos.users.count() == len(users) == 3
            assert set(await repos.users.roles_by_user()) == seen[t.tenant_id]
            assert await repos.users.get(other.admin.user_id) is None
            assert await repos.users.roles_of(other.admin.user_id) == []
            assert (await repos.tenants.get()) is not None
    assert seen[tenant.tenant_id] == {tenant.admin.user_id, *(u.user_id for u in tenant.users)}
    assert not seen[tenant.tenant_id] & seen[other_tenant.tenant_id]
