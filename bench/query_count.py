"""How many SQL statements each benchmarked operation sends, counted in the product's own code.

    .venv/bin/python -m bench.query_count [--quick]

Runs the services behind each endpoint (the same repositories, write path and sync code the
handlers call) in one tenant transaction on the seeded database, as the app role under RLS, with
an engine hook counting statements by kind. Each operation runs in a transaction that is rolled
back, so the database is left as it was. Not counted: the request's BEGIN/COMMIT and
``set_config``. The auth middleware's live check (token revocation, user and roles in one
statement), which every authenticated request adds, is counted on a line of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common
from bench.seed import ensure_seeded

Work = Callable[[Any], Awaitable[object]]


class _Rollback(Exception):
    pass


def _kind(statement: str) -> str:
    """``VERB table``: the table of the outermost FROM/INTO/UPDATE (not of a subquery; a UNION
    starts with a parenthesised SELECT)."""
    statement = statement.strip().removeprefix("(")
    words = statement.split()
    verb = words[0].upper() if words else "?"
    table = ""
    for m in re.finditer(r"\b(?:FROM|INTO|UPDATE)\s+(\w+)", statement, re.IGNORECASE):
        before = statement[: m.start()]
        if before.count("(") == before.count(")"):
            table = m.group(1)
            break
    if verb == "SELECT" and "FOR UPDATE" in statement.upper():
        verb = "SELECT FOR UPDATE"
    return f"{verb} {table}".strip()


async def count(
    db: str, tenant_id: str, user_id: str, roles: tuple[str, ...], work: Work
) -> Counter[str]:
    from scripts import pg_setup
    from sync_server.db.engine import Database, create_engine
    from sync_server.db.repositories import Repositories
    from sync_server.settings import Settings
    from sync_server.tenancy import mint_from_token

    app_url, _ = pg_setup.urls(db)
    engine = create_engine(Settings(database_url=app_url, jwt_secret="unused-here"))
    seen: Counter[str] = Counter()

    def hook(_c: Any, _cur: Any, statement: str, _p: Any, _ctx: Any, many: bool) -> None:
        if "set_config" not in statement:
            seen[_kind(statement) + (" (executemany)" if many else "")] += 1

    event.listen(engine.sync_engine, "before_cursor_execute", hook)
    database = Database(engine)
    ctx = mint_from_token(uuid.UUID(tenant_id), uuid.UUID(user_id), roles)
    try:
        async with database.session(ctx) as session:
            await work(Repositories(ctx, session))
            raise _Rollback
    except _Rollback:
        pass
    finally:
        await database.dispose()
    return seen


def _mutations(n: int, ids: list[str]) -> list[dict[str, Any]]:
    now = datetime.now(UTC)
    out = []
    for i in range(n):
        if i % 2 and ids:
            out.append(
                {
                    "mid": i + 1,
                    "entity": "lead",
                    "id": ids[i % len(ids)],
                    "op": "update",
                    "base_seq": 0,
                    "fields": {"notes": f"n{i}"},
                    "client_time": now,
                }
            )
        else:
            out.append(
                {
                    "mid": i + 1,
                    "entity": "lead",
                    "id": str(uuid.uuid4()),
                    "op": "create",
                    "base_seq": 0,
                    "fields": {"name": f"L{i}", "city": "Springfield"},
                    "client_time": now,
                }
            )
    return out  # fmt: skip


async def run(quick: bool) -> dict[str, dict[str, int]]:
    from sync_server.db.repositories.records import ListQuery
    from sync_server.entities import ENTITIES
    from sync_server.schemas.sync import PullRequest, PushRequest
    from sync_server.services.records import get_visible, list_page
    from sync_server.services.sync_cursor import CursorCodec
    from sync_server.services.sync_pull import Puller
    from sync_server.services.sync_push import push
    from sync_server.services.write_path import RecordWriter

    manifest = await ensure_seeded(quick)
    db = manifest["db"]
    tenant = manifest["tenants"][0]
    tid, user = tenant["id"], tenant["users"][0]["id"]
    lead = ENTITIES["lead"]
    import asyncpg

    conn = await asyncpg.connect(common.app_dsn(db))
    try:
        async with common.tenant_tx(conn, tid):
            ids = [str(r["id"]) for r in await conn.fetch(
                "SELECT id FROM leads WHERE assigned_to = $1 AND created_by = $1 "
                "AND deleted_at IS NULL LIMIT 50", uuid.UUID(user))]  # fmt: skip
            # A lead of this user with the most interactions: reassigning it moves them all.
            parent = await conn.fetchrow(
                "SELECT lead_id, count(*) AS n FROM interactions i JOIN leads l "
                "ON l.tenant_id = i.tenant_id AND l.id = i.lead_id WHERE l.assigned_to = $1 "
                "AND l.created_by = $1 GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
                uuid.UUID(user),
            )
    finally:
        await conn.close()
    other_user = tenant["users"][1]["id"]
    codec = CursorCodec("unused-here")
    client_id = uuid.uuid4()

    def pushing(n: int) -> Work:
        req = PushRequest.model_validate({"client_id": str(client_id), "schema_version": 1,
                                          "mutations": _mutations(n, ids)})  # fmt: skip
        return lambda r: push(r, req, "bench")

    works: dict[str, Work] = {
        "auth live check (every authenticated request)": lambda r: r.users.live_token(
            uuid.UUID(user), "bench-jti"),
        "REST list (leads, lead_status=new)": lambda r: list_page(
            r, lead, ListQuery(filters={"lead_status": "new"})),
        "REST detail (lead)": lambda r: get_visible(r, lead, uuid.UUID(ids[0])),
        "REST create (lead)": lambda r: RecordWriter(r).create(
            lead, {"name": "Counted", "city": "Springfield"}),
        "REST patch (lead phone)": lambda r: RecordWriter(r).update(
            lead, uuid.UUID(ids[1]), {"phone": "555-0100"}),
        f"REST patch assigned_to of a lead with {parent['n']} interactions": lambda r: (
            RecordWriter(r).update(lead, parent["lead_id"], {"assigned_to": other_user})),
        "sync push, 1 create": pushing(1),
        "sync push, 2 mutations (create + update)": pushing(2),
        "sync push, 100 mutations (50 creates + 50 updates)": pushing(100),
        "sync pull, first page (limit 1000) of a new device": lambda r: Puller(r, codec).pull(
            PullRequest(client_id=uuid.uuid4(), schema_version=1, limit=1000), "bench"),
    }  # fmt: skip
    out = {}
    for name, work in works.items():
        counted = await count(db, tid, user, ("user",), work)
        out[name] = dict(sorted(counted.items(), key=lambda kv: -kv[1])) | {
            "TOTAL": sum(counted.values())
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    out = asyncio.run(run(args.quick))
    for name, counts in out.items():
        total = counts["TOTAL"]
        detail = ", ".join(f"{k} x{v}" for k, v in counts.items() if k != "TOTAL")
        print(f"- **{name}**: {total} statements ({detail})")
    common.write_results("query-count" + ("-quick" if args.quick else ""), out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
