"""Benchmark data: tenants, users and a large set of CRM records, loaded fast.

    .venv/bin/python -m bench.seed [--quick] [--reseed]

Full: 10 tenants, each with an admin, 5 users and 4 "device" users (empty at first, for the sync
load test), 100,000 leads, 20,000 clients, 10,000 projects and 50,000 interactions (1.8 million
records). ``--quick``: 2 tenants, a tenth of the records, in another database.

How, and what it bypasses (this is benchmark set-up, not product code):

- the database is (re)created with ``scripts/pg_setup.create_database(db, drop=True)`` and
  migrated with ``sync_server.db.migrate.upgrade``;
- tenants and users go through the product's own ``create_tenant`` / ``create_user`` services
  (bcrypt cost 4: logins are not measured here);
- records are generated inside PostgreSQL (``INSERT ... SELECT ... FROM generate_series``) over
  asyncpg as the *owner* role, one transaction per tenant with ``app.tenant_id`` set, so row-level
  security still checks every row. This bypasses the write path, and fills by hand the columns
  it would fill: ``version`` from a per-tenant counter (1, 2, 3... after the seq the user
  announcements took), ``field_dots`` ``{}`` (no field written by a device yet), and
  ``tenant_clock.seq`` set to the highest version. No ``change_log``/``change_audience`` rows are
  written: snapshot pulls read the record tables, and incremental pulls are measured on changes
  pushed through the real API. Secondary indexes are dropped during the load and rebuilt after
  (same definitions, read back from ``pg_indexes``), then the tables are vacuumed and analysed.

Visibility is spread so that each of the 5 users of a tenant is assigned a fifth of every record
type (20,000 leads each); in tenant 0 the admin *created* 55 % of the records, so it sees about
100,000 records across entities (the initial-sync benchmark uses it); other admins created 10 %.

Idempotent-ish: a database whose tenants and record counts match the manifest
(``bench/results/seed-<db>.json``) is kept as is. Benchmarks add records to it as they run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import asyncpg

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import FULL_DB, QUICK_DB, RESULTS, log, owner_dsn, superuser_dsn
from scripts import pg_setup
from sync_server.entities import ENTITIES
from sync_server.search import MAX_TERM

PASSWORD = "bench-password-123"
DOMAIN = "bench.pathsix.test"
RECORD_TABLES = ("leads", "clients", "projects", "interactions")


@dataclass(frozen=True)
class Sizes:
    tenants: int
    leads: int
    clients: int
    projects: int
    interactions: int
    users: int = 5
    device_users: int = 4
    heavy_share: int = 11  # tenant 0: admin created this many records in 20
    admin_share: int = 2  # other tenants

    @property
    def per_tenant(self) -> int:
        return self.leads + self.clients + self.projects + self.interactions


FULL = Sizes(tenants=10, leads=100_000, clients=20_000, projects=10_000, interactions=50_000)
QUICK = Sizes(tenants=2, leads=10_000, clients=2_000, projects=1_000, interactions=5_000)


def db_for(quick: bool) -> str:
    return QUICK_DB if quick else FULL_DB


def manifest_path(db: str) -> Path:
    return RESULTS / f"seed-{db}.json"


# Record generation (runs inside PostgreSQL) ------------------------------------------------------

_FIRST = "Ana Ben Cara Dan Eva Finn Gia Hugo Ida Jon Kai Lea Max Nia Omar Pia Raj Sue Tom Uma"
_LAST = (
    "Smith Jones Miller Brown Davis Garcia Wilson Moore Taylor Thomas Lee White Harris Clark "
    "Lewis Walker Young King Wright Lopez"
)
_COMPANY = (
    "Bakery Garage Dental Plumbing Roofing Salon Florist Tailor Cafe Gym Vet Books Print "
    "Cycles Optics Pharmacy Hardware Studio Kitchen Laundry"
)
_CITY = (
    "Springfield Riverside Fairview Franklin Greenville Bristol Clinton Salem Madison Georgetown "
    "Arlington Ashland Burlington Manchester Milton Newport Oxford Clayton Dayton Dover Hudson "
    "Jackson Kingston Lebanon Marion Mount_Vernon Oakland Richmond Winchester Auburn"
)


def _array(words: str) -> str:
    return "ARRAY[" + ",".join(f"'{w.replace('_', ' ')}'" for w in words.split()) + "]"


# $1 tenant, $2 count, $3 version offset, $4 the 5 users, $5 admin, $6 admin share (of 20)
_PEOPLE = f"""
    SELECT i, now() - make_interval(mins => ($2 - i) * 5) AS ts,
           ({_array(_FIRST)})[1 + (i * 3) % 20] AS fn, ({_array(_LAST)})[1 + (i / 2) % 20] AS ln,
           ({_array(_CITY)})[1 + (i * 13) % 30] AS city,
           CASE WHEN (i / 5) % 20 < $6 THEN $5 ELSE ($4::uuid[])[1 + i % 5] END AS creator,
           ($4::uuid[])[1 + i % 5] AS owner
    FROM generate_series(1, $2) AS i
"""

_CONTACT_COLUMNS = """contact_person, contact_title, email, phone, phone_label, address, city,
    state, zip, notes, business_type, assigned_to"""
_CONTACT_VALUES = """fn || ' ' || ln, 'Owner', lower(fn) || '.' || lower(ln) || i || '@example.com',
    '555-' || lpad((i % 10000)::text, 4, '0'), 'work', i || ' Main St', city, 'CA',
    lpad((i % 99999)::text, 5, '0'),
    CASE WHEN i % 3 = 0 THEN 'Asked for a quote; call back next week' END,
    (ARRAY['retail','services','manufacturing','health','tech'])[1 + (i / 7) % 5], owner"""

LEADS = f"""
INSERT INTO leads (tenant_id, id, name, lead_status, lead_source, created_at, updated_at,
    created_by, deleted_at, version, field_dots, {_CONTACT_COLUMNS})
SELECT $1::uuid, md5($1::uuid::text || ':lead:' || i)::uuid,
    'Lead ' || i || ' ' || ({_array(_COMPANY)})[1 + (i * 7) % 20],
    (ARRAY['new','contacted','qualified','lost'])[1 + (i / 5) % 4],
    (ARRAY['web','referral','cold_call','event','ads'])[1 + (i / 3) % 5],
    ts, ts, creator, CASE WHEN i % 100 = 99 THEN ts + interval '1 day' END, $3 + i, '{{}}'::jsonb,
    {_CONTACT_VALUES}
FROM ({_PEOPLE}) g
"""

CLIENTS = f"""
INSERT INTO clients (tenant_id, id, name, status, created_at, updated_at, created_by, deleted_at,
    version, field_dots, {_CONTACT_COLUMNS})
SELECT $1::uuid, md5($1::uuid::text || ':client:' || i)::uuid,
    'Client ' || i || ' ' || ({_array(_COMPANY)})[1 + (i * 7) % 20],
    (ARRAY['prospect','active','inactive','cancelled'])[1 + (i / 5) % 4],
    ts, ts, creator, CASE WHEN i % 100 = 99 THEN ts + interval '1 day' END, $3 + i, '{{}}'::jsonb,
    {_CONTACT_VALUES}
FROM ({_PEOPLE}) g
"""

# Half the projects are assigned (their own visibility), half follow their client. $7 clients.
PROJECTS = f"""
INSERT INTO projects (tenant_id, id, name, description, project_status, project_start,
    project_end, project_worth, value_type, client_id, assigned_to, created_at, updated_at,
    created_by, version, field_dots)
SELECT $1::uuid, md5($1::uuid::text || ':project:' || i)::uuid, 'Project ' || i,
    'Website and marketing',
    (ARRAY['active','pending','completed','cancelled'])[1 + (i / 5) % 4],
    ts::date, ts::date + 90, ((i % 500) * 100)::numeric(14, 2), 'one_time',
    CASE WHEN i % 2 = 1 THEN md5($1::uuid::text || ':client:' || (1 + (i * 2) % $7))::uuid END,
    CASE WHEN i % 2 = 0 THEN owner END,
    ts, ts, creator, $3 + i, '{{}}'::jsonb
FROM ({_PEOPLE}) g
"""

# Half on a lead, half on a client. $7 leads, $8 clients.
INTERACTIONS = f"""
INSERT INTO interactions (tenant_id, id, client_id, lead_id, contact_date, type, summary,
    follow_up, followup_status, created_at, updated_at, created_by, version, field_dots)
SELECT $1::uuid, md5($1::uuid::text || ':interaction:' || i)::uuid,
    CASE WHEN i % 2 = 1 THEN md5($1::uuid::text || ':client:' || (1 + (i * 3) % $8))::uuid END,
    CASE WHEN i % 2 = 0 THEN md5($1::uuid::text || ':lead:' || (1 + (i * 2) % $7))::uuid END,
    ts, (ARRAY['call','meeting','email','visit','other'])[1 + (i / 5) % 5],
    'Talked with ' || fn || ' ' || ln || ' about the next order',
    CASE WHEN i % 4 = 0 THEN ts + interval '7 days' END,
    CASE WHEN i % 4 = 0 THEN 'pending' END,
    ts, ts, owner, $3 + i, '{{}}'::jsonb
FROM ({_PEOPLE}) g
"""


# The search index the write path keeps (sync_server/search.py), built in SQL: lower-case words
# split on anything but letters and digits, cut to 64 characters, plus all the digits of a value
# with more than one group of them. Same words as the Python tokenizer for this ASCII data.
def _search_terms(entity: str, table: str, column: str) -> str:
    value = f"r.{column}"
    return f"""
INSERT INTO search_terms (tenant_id, entity, term, record_id, field)
SELECT DISTINCT r.tenant_id, '{entity}', left(w, {MAX_TERM}), r.id, '{column}'
FROM {table} r, regexp_split_to_table(lower({value}), '[^[:alnum:]]+') AS w
WHERE w <> ''
UNION
SELECT r.tenant_id, '{entity}', left(regexp_replace({value}, '[^0-9]+', '', 'g'), {MAX_TERM}),
       r.id, '{column}'
FROM {table} r WHERE {value} ~ '[0-9][^0-9]+[0-9]'
ON CONFLICT DO NOTHING
"""


SEARCH_TERMS = [
    _search_terms(spec.name, spec.model.__tablename__, column)
    for spec in ENTITIES.values()
    if spec.model.__tablename__ in RECORD_TABLES
    for column in spec.searchable
]


# Users (through the product's services) ----------------------------------------------------------


def _email(t: int, who: str) -> str:
    return f"t{t}-{who}@{DOMAIN}"


async def _create_people(db: str, sizes: Sizes) -> list[dict[str, Any]]:
    from sync_server.db.engine import Database, create_engine
    from sync_server.services.tenants import NewUser, create_tenant, create_user
    from sync_server.settings import Settings

    app_url, _ = pg_setup.urls(db)
    settings = Settings(database_url=app_url, jwt_secret="unused-here", bcrypt_rounds=4)
    database = Database(create_engine(settings))
    tenants = []
    try:
        for t in range(sizes.tenants):
            admin = NewUser(_email(t, "admin"), PASSWORD, f"Admin {t}")
            ctx, admin_user = await create_tenant(database, f"Bench seed {t}", admin, 4)
            users, devices = [], []
            for j in range(sizes.users):
                u = await create_user(
                    database, ctx.tenant_id, NewUser(_email(t, f"user{j}"), PASSWORD), 4
                )
                users.append({"id": str(u.id), "email": u.email})
            for j in range(sizes.device_users):
                new = NewUser(_email(t, f"device{j}"), PASSWORD)
                u = await create_user(database, ctx.tenant_id, new, 4)
                devices.append({"id": str(u.id), "email": u.email})
            tenants.append(
                {
                    "id": str(ctx.tenant_id),
                    "admin": {"id": str(admin_user.id), "email": admin_user.email},
                    "users": users,
                    "device_users": devices,
                }
            )
    finally:
        await database.dispose()
    return tenants


# Records (asyncpg as the owner) ------------------------------------------------------------------


async def _secondary_indexes(conn: asyncpg.Connection) -> list[tuple[str, str]]:
    rows = await conn.fetch(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        JOIN pg_class c ON c.relname = i.indexname
        JOIN pg_index x ON x.indexrelid = c.oid
        WHERE i.schemaname = 'public' AND i.tablename = ANY($1::text[])
          AND NOT x.indisunique AND NOT x.indisprimary
        ORDER BY i.indexname
        """,
        list(RECORD_TABLES),
    )
    return [(r["indexname"], r["indexdef"]) for r in rows]


async def _load_tenant(conn: asyncpg.Connection, tenant: dict[str, Any], t: int, s: Sizes) -> int:
    tid = uuid.UUID(tenant["id"])
    users = [uuid.UUID(u["id"]) for u in tenant["users"]]
    admin = uuid.UUID(tenant["admin"]["id"])
    share = s.heavy_share if t == 0 else s.admin_share
    async with conn.transaction():
        await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(tid))
        base = int(await conn.fetchval("SELECT seq FROM tenant_clock FOR UPDATE"))
        common = (tid, users, admin, share)
        offset = base
        for sql, n, extra in (
            (LEADS, s.leads, ()),
            (CLIENTS, s.clients, ()),
            (PROJECTS, s.projects, (s.clients,)),
            (INTERACTIONS, s.interactions, (s.leads, s.clients)),
        ):
            await conn.execute(sql, common[0], n, offset, *common[1:], *extra)
            offset += n
        for sql in SEARCH_TERMS:
            await conn.execute(sql)
        await conn.execute("UPDATE tenant_clock SET seq = $1", offset)
    return offset


async def _load_records(db: str, tenants: list[dict[str, Any]], sizes: Sizes) -> dict[str, float]:
    timings: dict[str, float] = {}
    conn = await asyncpg.connect(owner_dsn(db))
    try:
        indexes = await _secondary_indexes(conn)
        for name, _ in indexes:
            await conn.execute(f'DROP INDEX "{name}"')
        t0 = time.perf_counter()
        pool = [conn, await asyncpg.connect(owner_dsn(db))]  # two cores: two loaders
        try:
            queue = list(enumerate(tenants))

            async def loader(c: asyncpg.Connection) -> None:
                while queue:
                    t, tenant = queue.pop(0)
                    await _load_tenant(c, tenant, t, sizes)
                    log(f"tenant {t}: {sizes.per_tenant:,} records")

            await asyncio.gather(*(loader(c) for c in pool))
        finally:
            await pool[1].close()
        timings["insert_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        for _, definition in indexes:
            await conn.execute(definition)
        timings["indexes_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        for table_name in (*RECORD_TABLES, "search_terms", "users", "tenant_clock"):
            await conn.execute(f"VACUUM (ANALYZE) {table_name}")
        timings["vacuum_analyze_s"] = time.perf_counter() - t0
    finally:
        await conn.close()
    return timings


# Idempotency -------------------------------------------------------------------------------------


async def _present(db: str, sizes: Sizes) -> dict[str, Any] | None:
    path = manifest_path(db)
    if not path.exists():
        return None
    manifest: dict[str, Any] = json.loads(path.read_text())
    if manifest.get("sizes") != asdict(sizes):
        return None
    try:
        conn = await asyncpg.connect(superuser_dsn(db))
    except (asyncpg.InvalidCatalogNameError, OSError):
        return None
    try:
        ids = [uuid.UUID(t["id"]) for t in manifest["tenants"]]
        leads = await conn.fetch(
            "SELECT tenant_id, count(*) AS n FROM leads WHERE tenant_id = ANY($1) GROUP BY 1", ids
        )
    except asyncpg.PostgresError:
        return None
    finally:
        await conn.close()
    if len(leads) != len(ids) or any(r["n"] < sizes.leads for r in leads):
        return None
    return manifest


async def ensure_seeded(quick: bool, reseed: bool = False) -> dict[str, Any]:
    """The manifest of a seeded database, seeding it first unless it is already there."""
    db, sizes = db_for(quick), QUICK if quick else FULL
    if not reseed and (manifest := await _present(db, sizes)) is not None:
        log(f"{db}: already seeded ({manifest['seconds']:.0f} s when it was); keeping it")
        return manifest
    from sync_server.db import migrate
    from sync_server.settings import Settings

    start = time.perf_counter()
    log(f"{db}: creating, migrating and seeding {sizes.tenants} tenants x {sizes.per_tenant:,}")
    pg_setup.create_database(db, drop=True)
    app_url, owner_url = pg_setup.urls(db)
    await migrate.upgrade_async(Settings(database_url=app_url, migration_database_url=owner_url))
    t0 = time.perf_counter()
    tenants = await _create_people(db, sizes)
    timings = {"schema_s": t0 - start, "users_s": time.perf_counter() - t0}
    timings |= await _load_records(db, tenants, sizes)
    manifest = {
        "db": db,
        "quick": quick,
        "sizes": asdict(sizes),
        "password": PASSWORD,
        "tenants": tenants,
        "records": sizes.tenants * sizes.per_tenant,
        "timings": {k: round(v, 1) for k, v in timings.items()},
        "seconds": round(time.perf_counter() - start, 1),
    }
    manifest_path(db).parent.mkdir(parents=True, exist_ok=True)
    manifest_path(db).write_text(json.dumps(manifest, indent=2))
    return manifest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 tenants, a tenth of the records")
    parser.add_argument("--reseed", action="store_true", help="drop and seed even if present")
    args = parser.parse_args()
    manifest = asyncio.run(ensure_seeded(args.quick, args.reseed))
    sizes = manifest["sizes"]
    print(f"| database | tenants | records | seconds | {' | '.join(manifest['timings'])} |")
    print("|---|---:|---:|---:|" + "---:|" * len(manifest["timings"]))
    print(
        f"| {manifest['db']} | {sizes['tenants']} | {manifest['records']:,} | "
        f"{manifest['seconds']} | {' | '.join(str(v) for v in manifest['timings'].values())} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
