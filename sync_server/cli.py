"""``pathsix`` (and ``python -m sync_server``): serve, migrate, and platform operations.

    pathsix serve [--host 127.0.0.1] [--port 8080] [--workers 1]
    pathsix db upgrade | db downgrade REV
    pathsix tenant create --name N --admin-email E --admin-password P [--json]
    pathsix user create --tenant-id T --email E --password P [--name N] [--role R]... [--json]
    pathsix demo seed [--json]
    pathsix sync compact
    pathsix search reindex
    pathsix contracts export [--check]

``--json`` prints exactly one JSON object on stdout; logs and errors go to stderr. A refused
operation (an ``ApiError`` from a service) or an unreachable database exits with status 1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import uuid
import warnings
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from alembic.util import CommandError as AlembicCommandError
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from sync_server.db.engine import Database, create_engine
from sync_server.errors import ApiError
from sync_server.observability import configure_logging
from sync_server.services.tenants import KNOWN_ROLES, NewUser, create_tenant, create_user
from sync_server.settings import Settings
from sync_server.tenancy import mint_for_platform

T = TypeVar("T")

Command = Callable[[argparse.Namespace], int]


def _with_db(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    """Run one async operation against a fresh engine, disposed before returning."""

    async def run() -> T:
        db = Database(create_engine(settings))
        try:
            return await work(db)
        finally:
            await db.dispose()

    return asyncio.run(run())


def _emit(args: argparse.Namespace, payload: dict[str, Any], text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(payload, sort_keys=True))
    else:
        print(text)


def _describe(err: ApiError) -> str:
    fields = err.details.get("fields")
    if not isinstance(fields, dict) or not fields:
        return err.message
    problems = "; ".join(f"{name}: {', '.join(map(str, msgs))}" for name, msgs in fields.items())
    return f"{err.message} ({problems})"


def _fail(message: str) -> int:
    print(f"pathsix: error: {message}", file=sys.stderr)
    return 1


class ConfigurationError(Exception):
    """The environment does not make a valid ``Settings``."""


def load_settings() -> Settings:
    """The settings from the environment, a generated JWT secret reported as a warning on stderr,
    and logs (slow queries, warnings) on stderr, so stdout carries only the command's output."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            settings = Settings().with_secrets()
    except ValidationError as err:
        raise ConfigurationError(str(err)) from err
    for warning in caught:
        print(f"pathsix: warning: {warning.message}", file=sys.stderr)
    configure_logging(settings)
    return settings


# Commands ---------------------------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace) -> int:
    from aiohttp import web

    from sync_server.app import create_app
    from sync_server.db import migrate
    from sync_server.serving import WorkersRefused, serve_workers

    settings = load_settings()
    if args.workers != 1:
        try:
            return serve_workers(
                settings, args.host, args.port, args.workers, lambda: create_app(settings)
            )
        except WorkersRefused as err:
            return _fail(str(err))
    if settings.is_sqlite:
        # The embedded default migrates itself, before the event loop starts (Alembic runs its
        # own loop).
        migrate.upgrade(settings)
    web.run_app(create_app(settings), host=args.host, port=args.port)
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from sync_server.db import migrate

    settings = load_settings()
    migrate.upgrade(settings, args.revision)
    target = migrate.head_revision() if args.revision == "head" else args.revision
    print(f"database upgraded to {target}")
    return 0


def cmd_db_downgrade(args: argparse.Namespace) -> int:
    from sync_server.db import migrate

    migrate.downgrade(load_settings(), args.revision)
    print(f"database downgraded to {args.revision}")
    return 0


def cmd_tenant_create(args: argparse.Namespace) -> int:
    settings = load_settings()
    admin = NewUser(args.admin_email, args.admin_password, args.admin_name or "")

    async def work(db: Database) -> dict[str, Any]:
        ctx, user = await create_tenant(db, args.name, admin, settings.bcrypt_rounds)
        return {
            "tenant_id": str(ctx.tenant_id),
            "name": args.name,
            "user_id": str(user.id),
            "email": user.email,
            "roles": sorted(ctx.roles),
        }

    out = _with_db(settings, work)
    _emit(
        args,
        out,
        f"created tenant {out['name']!r} {out['tenant_id']}\n"
        f"  admin {out['email']} {out['user_id']} roles: {', '.join(out['roles'])}",
    )
    return 0


def cmd_user_create(args: argparse.Namespace) -> int:
    settings = load_settings()
    roles = tuple(args.roles) if args.roles else ("user",)
    new = NewUser(args.email, args.password, args.name or "", roles)

    async def work(db: Database) -> dict[str, Any]:
        user = await create_user(db, args.tenant_id, new, settings.bcrypt_rounds)
        return {
            "tenant_id": str(args.tenant_id),
            "user_id": str(user.id),
            "email": user.email,
            "name": user.name,
            "roles": sorted(set(roles)),
        }

    out = _with_db(settings, work)
    _emit(
        args,
        out,
        f"created user {out['email']} {out['user_id']} in tenant {out['tenant_id']}\n"
        f"  roles: {', '.join(out['roles'])}",
    )
    return 0


def cmd_demo_seed(args: argparse.Namespace) -> int:
    from sync_server.demo import seed_demo

    settings = load_settings()
    out = _with_db(settings, lambda db: seed_demo(db, settings))
    state = "created" if out["created"] else "already present"
    lines = [f"demo tenant {out['tenant_id']} ({state}); logins:"]
    lines += [
        f"  {login['email']:<32} password: {login['password']}  roles: {', '.join(login['roles'])}"
        for login in out["logins"]
    ]
    lines += [f"  {entity}: {count}" for entity, count in sorted(out["records"].items())]
    _emit(args, out, "\n".join(lines))
    return 0


def cmd_sync_compact(_args: argparse.Namespace) -> int:
    from sync_server.services.compaction import main_compact

    return main_compact(load_settings(), mint_for_platform)


def cmd_search_reindex(_args: argparse.Namespace) -> int:
    from sync_server.services.search import main_reindex

    return main_reindex(load_settings(), mint_for_platform)


def cmd_contracts_export(args: argparse.Namespace) -> int:
    # Needs no settings and no database: it renders the Pydantic models into contracts/.
    from sync_server import contracts

    return contracts.main(args.check)


# Parser -----------------------------------------------------------------------------------------


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object on stdout (for scripts)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pathsix", description="PathSix CRM sync server and operator commands."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the HTTP server (embedded SQLite is migrated first)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes sharing the port (one CPU each); more than 1 needs PostgreSQL and Redis",
    )
    serve.set_defaults(handler=cmd_serve)

    db = sub.add_parser("db", help="database migrations").add_subparsers(
        dest="db_command", required=True, metavar="ACTION"
    )
    up = db.add_parser("upgrade", help="apply migrations (alembic upgrade)")
    up.add_argument("revision", nargs="?", default="head", help="target revision (default head)")
    up.set_defaults(handler=cmd_db_upgrade)
    down = db.add_parser("downgrade", help="revert migrations down to REV (e.g. base)")
    down.add_argument("revision", metavar="REV")
    down.set_defaults(handler=cmd_db_downgrade)

    tenant = sub.add_parser("tenant", help="tenants").add_subparsers(
        dest="tenant_command", required=True, metavar="ACTION"
    )
    tc = tenant.add_parser("create", help="create a tenant with its first admin")
    tc.add_argument("--name", required=True)
    tc.add_argument("--admin-email", required=True)
    tc.add_argument("--admin-password", required=True)
    tc.add_argument("--admin-name", default="")
    _json_flag(tc)
    tc.set_defaults(handler=cmd_tenant_create)

    user = sub.add_parser("user", help="users").add_subparsers(
        dest="user_command", required=True, metavar="ACTION"
    )
    uc = user.add_parser("create", help="create a user in a tenant")
    uc.add_argument("--tenant-id", required=True, type=uuid.UUID)
    uc.add_argument("--email", required=True)
    uc.add_argument("--password", required=True)
    uc.add_argument("--name", default="")
    uc.add_argument(
        "--role",
        dest="roles",
        action="append",
        choices=KNOWN_ROLES,
        help="repeatable; default: user",
    )
    _json_flag(uc)
    uc.set_defaults(handler=cmd_user_create)

    demo = sub.add_parser("demo", help="the demo tenant").add_subparsers(
        dest="demo_command", required=True, metavar="ACTION"
    )
    ds = demo.add_parser("seed", help="create the demo tenant unless present; print its logins")
    _json_flag(ds)
    ds.set_defaults(handler=cmd_demo_seed)

    sync = sub.add_parser("sync", help="sync log maintenance").add_subparsers(
        dest="sync_command", required=True, metavar="ACTION"
    )
    compact = sync.add_parser(
        "compact", help="compact every tenant's change log older than the retention period"
    )
    compact.set_defaults(handler=cmd_sync_compact)

    search = sub.add_parser("search", help="the search index").add_subparsers(
        dest="search_command", required=True, metavar="ACTION"
    )
    reindex = search.add_parser(
        "reindex", help="rebuild every tenant's search words from the records (idempotent)"
    )
    reindex.set_defaults(handler=cmd_search_reindex)

    contracts = sub.add_parser("contracts", help="generated wire contracts").add_subparsers(
        dest="contracts_command", required=True, metavar="ACTION"
    )
    export = contracts.add_parser("export", help="regenerate contracts/ from the Pydantic models")
    export.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if contracts/ is stale"
    )
    export.set_defaults(handler=cmd_contracts_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Command = args.handler
    try:
        return handler(args)
    except ConfigurationError as err:
        return _fail(f"invalid configuration:\n{err}")
    except ApiError as err:
        return _fail(_describe(err))
    except SQLAlchemyError as err:
        # The driver's message only: SQLAlchemy's own text can carry statement parameters.
        cause = getattr(err, "orig", None) or err
        return _fail(f"database: {type(cause).__name__}: {cause}")
    except AlembicCommandError as err:
        return _fail(f"migration: {err}")
    except OSError as err:
        return _fail(f"{type(err).__name__}: {err}")
