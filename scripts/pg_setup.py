"""Create the PostgreSQL roles and a database for PathSix (tests, benchmarks, local production).

Two roles, as ARCHITECTURE.md asks: ``pathsix_owner`` owns the tables and runs migrations;
``pathsix_app`` is what the application connects as: it owns nothing and cannot bypass RLS.
Connects as the ``postgres`` superuser over trust auth (the machine's service set-up).

    python scripts/pg_setup.py pathsix_test [--drop]
"""

from __future__ import annotations

import argparse

import psycopg2
from psycopg2 import sql

ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
OWNER, APP = "pathsix_owner", "pathsix_app"


def ensure_roles(cur: psycopg2.extensions.cursor) -> None:
    for role, extra in ((OWNER, "CREATEDB"), (APP, "NOCREATEDB")):
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
        if not cur.fetchone():
            cur.execute(
                sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOBYPASSRLS " + extra).format(
                    sql.Identifier(role)
                )
            )


def create_database(name: str, drop: bool) -> None:
    conn = psycopg2.connect(ADMIN_DSN)
    conn.autocommit = True
    with conn.cursor() as cur:
        ensure_roles(cur)
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        exists = cur.fetchone() is not None
        if exists and drop:
            cur.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = False
        if not exists:
            cur.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(name), sql.Identifier(OWNER)
                )
            )
    conn.close()
    db = psycopg2.connect(f"host=127.0.0.1 port=5432 user=postgres dbname={name}")
    db.autocommit = True
    with db.cursor() as cur:
        cur.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(sql.Identifier(OWNER)))
        cur.execute(
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                sql.Identifier(name), sql.Identifier(APP)
            )
        )
    db.close()


def drop_database(name: str) -> None:
    conn = psycopg2.connect(ADMIN_DSN)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    conn.close()


def urls(name: str) -> tuple[str, str]:
    """(application URL, migration URL) for a database made by ``create_database``."""
    base = "postgresql+asyncpg://{}@127.0.0.1:5432/" + name
    return base.format(APP), base.format(OWNER)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("name")
    parser.add_argument("--drop", action="store_true")
    args = parser.parse_args()
    create_database(args.name, args.drop)
    app, owner = urls(args.name)
    print(f"DATABASE_URL={app}\nPATHSIX_MIGRATION_DATABASE_URL={owner}")
