"""EXPLAIN (ANALYZE, BUFFERS) of the SQL the server itself generates for the benchmarked reads.

    .venv/bin/python -m bench.explain [--quick]

The statements are not written by hand: the product's own repositories run against the seeded
database (as the app role under RLS, in a tenant transaction, exactly as a request would), an
engine hook captures each statement with its parameters, and the same statement is explained
with the same parameters. The hand-written "raw" queries of records_bench are explained beside
them.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import event

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common
from bench.seed import ensure_seeded

Work = Callable[[Any], Awaitable[object]]


async def _captured(
    db: str, tenant_id: str, user_id: str, work: Work
) -> tuple[str, tuple[Any, ...]]:
    """The last statement ``work(repos)`` executed, with its parameters."""
    from scripts import pg_setup
    from sync_server.db.engine import Database, create_engine
    from sync_server.db.repositories import Repositories
    from sync_server.settings import Settings
    from sync_server.tenancy import mint_from_token

    app_url, _ = pg_setup.urls(db)
    engine = create_engine(Settings(database_url=app_url, jwt_secret="unused-here"))
    seen: list[tuple[str, tuple[Any, ...]]] = []

    def capture(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        if "set_config" not in statement:
            seen.append((statement, tuple(params or ())))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    database = Database(engine)
    # The same context the auth middleware mints from a verified token of this user.
    ctx = mint_from_token(uuid.UUID(tenant_id), uuid.UUID(user_id), ("user",))
    try:
        async with database.session(ctx) as session:
            await work(Repositories(ctx, session))
    finally:
        await database.dispose()
    return seen[-1]


async def _explain(db: str, tenant_id: str, sql: str, params: tuple[Any, ...]) -> str:
    conn = await asyncpg.connect(common.app_dsn(db))
    try:
        async with common.tenant_tx(conn, tenant_id):
            rows = await conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", *params)
    finally:
        await conn.close()
    return "\n".join(r[0] for r in rows)


async def explain_records(manifest: dict[str, Any]) -> dict[str, str]:
    from bench.records_bench import RAW_LIST_Q, RAW_LIST_STATUS, Q
    from sync_server.db.repositories.records import ListQuery
    from sync_server.entities import ENTITIES

    db = manifest["db"]
    tenant = manifest["tenants"][0]
    tid, user = tenant["id"], tenant["users"][0]["id"]
    lead = ENTITIES["lead"]
    conn = await asyncpg.connect(common.app_dsn(db))
    try:
        async with common.tenant_tx(conn, tid):
            some_lead = await conn.fetchval(
                "SELECT id FROM leads WHERE assigned_to = $1 LIMIT 1", uuid.UUID(user)
            )
            until = int(await conn.fetchval("SELECT seq FROM tenant_clock"))
    finally:
        await conn.close()
    uid = uuid.UUID(user)
    heavy = uuid.UUID(tenant["admin"]["id"])
    works: dict[str, tuple[str, Work]] = {
        "API list: leads?lead_status=new&sort=-created_at&limit=25": (
            user,
            lambda r: r.records.page(
                lead, ListQuery(filters={"lead_status": "new"}, limit=25), visible_to=uid
            ),
        ),
        f"API list: leads?q={Q}&limit=25": (
            user,
            lambda r: r.records.page(lead, ListQuery(q=Q, limit=25), visible_to=uid),
        ),
        "API list: leads?q=zzqx&limit=25 (no match: every visible row is read)": (
            user,
            lambda r: r.records.page(lead, ListQuery(q="zzqx", limit=25), visible_to=uid),
        ),
        "API detail: leads/{id}": (
            user,
            lambda r: r.records.get(lead, some_lead, visible_to=uid),
        ),
        "auth live check (every authenticated request)": (
            user,
            lambda r: r.users.live_token(uid, "bench-jti"),
        ),
    }
    for entity in ("lead", "client", "project", "interaction"):
        spec = ENTITIES[entity]
        works[f"sync snapshot page (1000) of {entity}s, tenant 0 admin (sees ~55 %)"] = (
            str(heavy),
            lambda r, spec=spec: r.sync.snapshot_page(spec, heavy, until, None, 1000),
        )
    out: dict[str, str] = {}
    for name, (actor, work) in works.items():
        sql, params = await _captured(db, tid, actor, work)
        out[name] = f"{sql.strip()}\n\n{await _explain(db, tid, sql, params)}"
    out["raw list (hand-written, records_bench)"] = (
        RAW_LIST_STATUS.strip()
        + "\n\n"
        + (await _explain(db, tid, RAW_LIST_STATUS, (uuid.UUID(tid), uid)))
    )
    out["raw q search (hand-written, records_bench)"] = (
        RAW_LIST_Q.strip()
        + "\n\n"
        + (await _explain(db, tid, RAW_LIST_Q, (uuid.UUID(tid), uid, f"%{Q}%")))
    )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()

    async def go() -> dict[str, str]:
        return await explain_records(await ensure_seeded(args.quick))

    plans = asyncio.run(go())
    for name, plan in plans.items():
        print(f"#### {name}\n\n```\n{plan}\n```\n")
    common.write_results("explain" + ("-quick" if args.quick else ""), plans)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
