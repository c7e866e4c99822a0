"""PostgreSQL row-level security, applied by migrations (no-ops on SQLite).

Every table with ``tenant_id`` gets RLS enabled *and forced* (so even the owner is filtered) with
one policy comparing ``tenant_id`` with the per-transaction setting ``app.tenant_id``. ``NULLIF``
matters: after a ``set_config(..., true)`` transaction ends the setting reads back as ``''`` in
that session, and ``''::uuid`` would raise instead of matching nothing.

Login must find a user before the tenant is known: ``pathsix_login_lookup(email)`` is a
SECURITY DEFINER function owned by the migration role, which alone has a read-all policy on
``login_identities``.
"""

from __future__ import annotations

from alembic import context, op
from sqlalchemy import inspect, text

TENANT_SETTING = "NULLIF(current_setting('app.tenant_id', true), '')::uuid"


def _is_postgres() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def _tenant_tables() -> list[str]:
    insp = inspect(op.get_bind())
    names = insp.get_table_names()
    return sorted(t for t in names if any(c["name"] == "tenant_id" for c in insp.get_columns(t)))


def app_role() -> str:
    return str(context.config.attributes.get("app_role", "pathsix_app"))


def enable_row_level_security() -> None:
    if not _is_postgres():
        return
    for table in _tenant_tables():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING (tenant_id = {TENANT_SETTING}) WITH CHECK (tenant_id = {TENANT_SETTING})"
        )
    op.execute("ALTER TABLE tenants ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE tenants FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON tenants "
        f"USING (id = {TENANT_SETTING}) WITH CHECK (id = {TENANT_SETTING})"
    )
    op.execute(
        "CREATE POLICY login_lookup ON login_identities FOR SELECT TO CURRENT_USER USING (true)"
    )
    op.execute(
        """
        CREATE FUNCTION pathsix_login_lookup(p_email text)
        RETURNS TABLE (tenant_id uuid, user_id uuid)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
            SELECT tenant_id, user_id FROM login_identities WHERE email = lower(p_email)
        $$
        """
    )
    grant_app_role()


def protect_table(table: str) -> None:
    """Row-level security and the app role's grant for one tenant table added after 0001."""
    if not _is_postgres():
        return
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {table} "
        f"USING (tenant_id = {TENANT_SETTING}) WITH CHECK (tenant_id = {TENANT_SETTING})"
    )
    grant_app_role()


def grant_app_role() -> None:
    """Give the application role data access and nothing else (it owns no table)."""
    if not _is_postgres():
        return
    role = app_role()
    exists = (
        op.get_bind()
        .execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
        .scalar()
    )
    if not exists:
        return
    op.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
    op.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"')
    op.execute(f'GRANT EXECUTE ON FUNCTION pathsix_login_lookup(text) TO "{role}"')


def disable_row_level_security() -> None:
    if _is_postgres():
        op.execute("DROP FUNCTION IF EXISTS pathsix_login_lookup(text)")
