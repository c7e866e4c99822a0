"""The demo tenant behind ``pathsix demo seed``: an admin, three field users and their records.

Seeding is idempotent: the demo admin's login identifies the demo tenant, so a second run finds it,
adds any demo user that is missing and creates nothing else. Every write goes through the platform
services (``services.tenants``), the same code the CLI and the admin API use.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sync_server.db.engine import Database
from sync_server.db.models import User
from sync_server.db.repositories import Repositories, lookup_login
from sync_server.entities import ENTITIES
from sync_server.services.lifecycle import convert
from sync_server.services.tenants import NewUser, create_tenant, create_user
from sync_server.services.write_path import RecordWriter
from sync_server.settings import Settings
from sync_server.tenancy import mint_for_platform

TENANT_NAME = "PathSix Demo Field Services"
DOMAIN = "demo.pathsix.test"
# Demo logins are printed by the CLI on purpose: they are for trying the product, never for data
# worth protecting.
PASSWORD = "pathsix-demo"


@dataclass(frozen=True, slots=True)
class DemoLogin:
    email: str
    name: str
    roles: tuple[str, ...]


ADMIN = DemoLogin(f"admin@{DOMAIN}", "Demo Admin", ("admin", "user"))
FIELD_USERS = tuple(
    DemoLogin(f"field{i}@{DOMAIN}", f"Field User {i}", ("user",)) for i in (1, 2, 3)
)


async def _find(db: Database, email: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    async with db.platform_session() as session:
        return await lookup_login(session, email)


async def _ensure_users(
    db: Database, settings: Settings
) -> tuple[uuid.UUID, dict[str, uuid.UUID], bool]:
    """The demo tenant's id, the ids of its demo users by email, and whether the tenant is new."""
    rounds = settings.bcrypt_rounds
    user_ids: dict[str, uuid.UUID] = {}
    found = await _find(db, ADMIN.email)
    if found is None:
        ctx, admin = await create_tenant(
            db, TENANT_NAME, NewUser(ADMIN.email, PASSWORD, ADMIN.name, ADMIN.roles), rounds
        )
        tenant_id, created = ctx.tenant_id, True
        user_ids[ADMIN.email] = admin.id
    else:
        tenant_id, user_ids[ADMIN.email] = found
        created = False
    for login in FIELD_USERS:
        existing = await _find(db, login.email)
        if existing is not None:
            user_ids[login.email] = existing[1]
            continue
        user: User = await create_user(
            db, tenant_id, NewUser(login.email, PASSWORD, login.name, login.roles), rounds
        )
        user_ids[login.email] = user.id
    return tenant_id, user_ids, created


SOURCES = ("referral", "website", "door-to-door", "trade show", "google ads", "facebook")
TRADES = ("plumbing", "hvac", "electrical", "landscaping", "roofing", "cleaning")
STREETS = ("Oak St", "Maple Ave", "Pine Rd", "Cedar Ln", "Elm St", "Harbor Way", "Mill Rd")
CITIES = (("Portland", "OR"), ("Eugene", "OR"), ("Salem", "OR"), ("Bend", "OR"))
NAMES = (
    "Acme",
    "Summit",
    "Riverside",
    "Evergreen",
    "Blue Sky",
    "Pioneer",
    "Cascade",
    "Northwind",
    "Granite",
    "Silver Creek",
    "Redwood",
    "Lakeside",
    "Highland",
    "Golden Gate",
    "Sunrise",
)
KINDS = ("Plumbing", "Heating & Air", "Electric", "Lawn Care", "Roofing", "Cleaning Co")
LEAD_STATUSES = ("new", "contacted", "qualified", "lost")
PROJECT_STATUSES = ("active", "pending", "completed", "cancelled")
VALUE_TYPES = ("one_time", "monthly", "yearly")
N_LEADS, N_CONVERTED = 240, 45


def _contact(rng: random.Random, i: int) -> dict[str, Any]:
    city, state = rng.choice(CITIES)
    return {
        "name": f"{rng.choice(NAMES)} {rng.choice(KINDS)} #{i}",
        "contact_person": f"{rng.choice(('Dana', 'Sam', 'Lee', 'Alex', 'Kim'))} "
        f"{rng.choice(('Nguyen', 'Smith', 'Garcia', 'Patel', 'Olsen'))}",
        "phone": f"503-555-{1000 + i:04d}",
        "phone_label": rng.choice(("work", "mobile")),
        "email": f"office{i}@example.com",
        "address": f"{rng.randint(10, 9999)} {rng.choice(STREETS)}",
        "city": city,
        "state": state,
        "zip": f"97{rng.randint(100, 999)}",
        "business_type": rng.choice(TRADES),
    }


async def _as_user(db: Database, tenant_id: uuid.UUID, user_id: uuid.UUID, work: Any) -> Any:
    ctx = mint_for_platform(tenant_id, user_id, ("user",))
    async with db.session(ctx) as session:
        return await work(RecordWriter(Repositories(ctx, session)))


async def seed_records(
    db: Database, settings: Settings, tenant_id: uuid.UUID, user_ids: dict[str, uuid.UUID]
) -> dict[str, int]:
    """The demo tenant's CRM records, created through the one write path as the field users
    (so the change log, dots and sync see them like any other write). Deterministic."""
    del settings
    rng = random.Random(6)  # noqa: S311 - demo data, not security
    field = [user_ids[u.email] for u in FIELD_USERS]
    counts: dict[str, int] = {}
    now = datetime.now(UTC)
    for owner_index, owner in enumerate(field):

        async def work(w: RecordWriter, owner_index: int = owner_index) -> None:
            await _seed_for(w, rng, owner_index, now, counts)

        await _as_user(db, tenant_id, owner, work)
    return counts


def _bump(counts: dict[str, int], entity: str, n: int = 1) -> None:
    counts[entity] = counts.get(entity, 0) + n


async def _seed_for(
    w: RecordWriter, rng: random.Random, who: int, now: datetime, counts: dict[str, int]
) -> None:
    leads = ENTITIES["lead"]
    for i in range(who * N_LEADS // 3, (who + 1) * N_LEADS // 3):
        data = _contact(rng, i) | {
            "lead_status": LEAD_STATUSES[i % 4],
            "lead_source": SOURCES[i % len(SOURCES)],
        }
        lead = (await w.create(leads, data)).row
        assert lead is not None
        _bump(counts, "lead")
        await _interactions(w, rng, "lead_id", lead.id, now, counts, n=i % 3)
        if i % 17 == 5:
            await w.trash(leads, lead.id)
            _bump(counts, "lead_trashed")
        elif i % (N_LEADS // N_CONVERTED) == 0:
            client = (await convert(w, lead.id, None)).row
            assert client is not None
            _bump(counts, "client")
            await _client_book(w, rng, client.id, i, now, counts)


async def _client_book(
    w: RecordWriter,
    rng: random.Random,
    client_id: uuid.UUID,
    i: int,
    now: datetime,
    counts: dict[str, int],
) -> None:
    today = now.date()
    await w.create(
        ENTITIES["contact"],
        {"client_id": client_id, "first_name": "Pat", "last_name": f"Owner{i}", "is_primary": True},
    )
    await w.create(
        ENTITIES["account"],
        {
            "client_id": client_id,
            "account_number": f"AC-{i:05d}",
            "account_name": "Main",
            "opened_on": today.isoformat(),
        },
    )
    cycle = "monthly" if i % 2 else "yearly"
    price = f"{rng.choice((49, 89, 149, 299)) * (10 if cycle == 'yearly' else 1)}.00"
    start = today - timedelta(days=rng.randint(30, 700))
    await w.create(
        ENTITIES["subscription"],
        {
            "client_id": client_id,
            "plan_name": f"{cycle.title()} service plan",
            "price": price,
            "billing_cycle": cycle,
            "start_date": start.isoformat(),
            "renewal_date": (today + timedelta(days=rng.randint(1, 90))).isoformat(),
            "status": "paused" if i % 11 == 0 else "active",
        },
    )
    project = {
        "name": f"Job {i}",
        "client_id": client_id,
        "project_status": PROJECT_STATUSES[i % 4],
        "value_type": VALUE_TYPES[i % 3],
        "project_worth": f"{rng.randint(5, 120) * 100}.00",
        "project_start": (today - timedelta(days=rng.randint(0, 200))).isoformat(),
    }
    await w.create(ENTITIES["project"], project)
    await w.create(
        ENTITIES["note"],
        {
            "entity": "client",
            "entity_id": client_id,
            "body": "Prefers morning visits; gate code 4411.",
        },
    )
    await _interactions(w, rng, "client_id", client_id, now, counts, n=2)
    for entity in ("contact", "account", "subscription", "project", "note"):
        _bump(counts, entity)


async def _interactions(
    w: RecordWriter,
    rng: random.Random,
    parent: str,
    parent_id: uuid.UUID,
    now: datetime,
    counts: dict[str, int],
    n: int,
) -> None:
    for k in range(n):
        when = now - timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 8))
        follow = now + timedelta(days=rng.randint(-10, 20))
        await w.create(
            ENTITIES["interaction"],
            {
                parent: parent_id,
                "contact_date": when.isoformat(),
                "type": ("call", "visit", "email", "meeting")[k % 4],
                "summary": rng.choice(
                    (
                        "Quoted a repair",
                        "Walked the site",
                        "Left a voicemail",
                        "Sent the estimate",
                        "Discussed a service plan",
                    )
                ),
                "follow_up": follow.isoformat(),
                "followup_status": "pending" if follow > now or k % 2 else "completed",
            },
        )
        _bump(counts, "interaction")


async def seed_demo(db: Database, settings: Settings) -> dict[str, Any]:
    """Create the demo tenant, its users and records unless they exist; return its logins.

    ``{"tenant_id": str, "created": bool, "logins": [{"email", "password", "roles"}],
    "records": {entity: count created by this run}}``
    """
    tenant_id, user_ids, created = await _ensure_users(db, settings)
    records = await seed_records(db, settings, tenant_id, user_ids) if created else {}
    return {
        "tenant_id": str(tenant_id),
        "created": created,
        "logins": [
            {"email": login.email, "password": PASSWORD, "roles": list(login.roles)}
            for login in (ADMIN, *FIELD_USERS)
        ],
        "records": records,
    }
