"""Record builders for the REST tests: a valid body for each of the eight entities (parents made
on the way), closed value lists found by introspecting the schemas, and read-only database
helpers for what the API does not show (activity log, purged rows)."""

from __future__ import annotations

import types
import uuid
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from sync_server.db.models import ActivityLog, Conflict, RecordBase
from sync_server.entities import ENTITIES, EntitySpec
from sync_server.http.keys import DB
from sync_server.tenancy import mint_for_platform
from tests.support.tenants import Actor, TenantHandle

API = "/api/v1"

# The text field each test edits, and the child -> parent link the builder fills when absent.
TEXT_FIELD = {
    "lead": "name",
    "client": "name",
    "project": "name",
    "account": "account_number",
    "subscription": "plan_name",
    "contact": "first_name",
    "interaction": "summary",
    "note": "body",
}
DEFAULT_PARENT = {
    "account": ("client_id", "client"),
    "subscription": ("client_id", "client"),
    "contact": ("client_id", "client"),
    "interaction": ("client_id", "client"),
    "note": ("entity_id", "client"),
}


def url(entity: str, record_id: object | None = None, suffix: str = "") -> str:
    base = f"{API}/{ENTITIES[entity].path}"
    return (f"{base}/{record_id}" if record_id is not None else base) + suffix


def base_body(entity: str, tag: str) -> dict[str, Any]:
    """The entity's own fields (no parent links), all valid."""
    bodies: dict[str, dict[str, Any]] = {
        "lead": {
            "name": f"Lead {tag}",
            "email": "lead@example.com",
            "phone": "555-0100",
            "phone_label": "work",
            "city": "Springfield",
        },
        "client": {"name": f"Client {tag}", "status": "active", "phone_label": "mobile"},
        "project": {
            "name": f"Project {tag}",
            "project_worth": "1250",
            "value_type": "one_time",
            "project_status": "active",
        },
        # account_number is unique in a tenant
        "account": {"account_number": f"ACC-{tag}-{uuid.uuid4().hex[:6]}", "status": "active"},
        "subscription": {"plan_name": f"Plan {tag}", "price": "99.5", "billing_cycle": "yearly"},
        "contact": {"first_name": f"Ann {tag}"},
        "interaction": {
            "contact_date": "2024-05-01T12:00:00+02:00",
            "summary": f"Call {tag}",
            "type": "call",
            "followup_status": "pending",
        },
        "note": {"body": f"Note {tag}"},
    }
    return bodies[entity]


async def body_for(actor: Actor, kind: str, /, tag: str = "", **over: Any) -> dict[str, Any]:
    """A valid create body; a required parent (a client unless told) is created by ``actor``."""
    tag = tag or uuid.uuid4().hex[:8]
    body = base_body(kind, tag) | over
    if kind in DEFAULT_PARENT and not {"client_id", "lead_id", "entity_id"} & over.keys():
        field, parent = DEFAULT_PARENT[kind]
        if kind == "note":
            parent = body.setdefault("entity", parent)
        body[field] = (await make(actor, parent, tag=tag))["id"]
    if kind == "note":
        body.setdefault("entity", "client")
    return body


async def create(actor: Actor, entity: str, body: dict[str, Any]) -> dict[str, Any]:
    r = await actor.post(url(entity), json=body)
    assert r.status == 201, f"{entity}: {r.status} {await r.text()}"
    data: dict[str, Any] = await r.json()
    return data


async def make(actor: Actor, kind: str, /, tag: str = "", **over: Any) -> dict[str, Any]:
    return await create(actor, kind, await body_for(actor, kind, tag, **over))


async def get_json(actor: Actor, path: str, status: int = 200) -> Any:
    r = await actor.get(path)
    assert r.status == status, f"GET {path}: {r.status} {await r.text()}"
    return await r.json()


async def list_ids(actor: Actor, entity: str, query: str = "") -> list[str]:
    """Every id of the list, following next_cursor to the end."""
    ids: list[str] = []
    cursor: str | None = None
    while True:
        sep = "&" if query else ""
        page = f"?{query}{sep}limit=100" + (f"&cursor={cursor}" if cursor else "")
        body = await get_json(actor, url(entity) + page)
        ids += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return ids


async def sees(actor: Actor, entity: str, record_id: str) -> bool:
    """Detail and list agree on whether ``actor`` sees the record; returns which."""
    r = await actor.get(url(entity, record_id))
    assert r.status in (200, 404), await r.text()
    in_list = record_id in await list_ids(actor, entity)
    assert in_list == (r.status == 200), f"{entity} {record_id}: detail {r.status}, list {in_list}"
    return in_list


def field_error(body: dict[str, Any], field: str) -> str:
    """The validation message for ``field`` (fails unless the answer is a 422 naming it)."""
    assert body["code"] == "validation_error", body
    fields = body["details"]["fields"]
    assert field in fields, f"{field} not named in {fields}"
    return " ".join(fields[field])


def _literal_values(annotation: Any) -> tuple[str, ...] | None:
    if get_origin(annotation) is Literal:
        return tuple(get_args(annotation))
    if get_origin(annotation) in (Union, types.UnionType):
        for arg in get_args(annotation):
            if (values := _literal_values(arg)) is not None:
                return values
    return None


def closed_fields(spec: EntitySpec) -> dict[str, tuple[str, ...]]:
    """Every field of the entity whose values come from a closed list, with the list."""
    out = {}
    for name, field in spec.create.model_fields.items():
        if (values := _literal_values(field.annotation)) is not None:
            out[name] = values
    return out


async def db_rows(
    client: TestClient[Any, Any], tenant_id: uuid.UUID, model: type[Any], *where: Any
) -> list[Any]:
    """Rows of one tenant table, read in a platform-minted tenant transaction (RLS applies)."""
    app = client.app
    assert app is not None
    async with app[DB].session(mint_for_platform(tenant_id)) as session:
        stmt = select(model).where(model.tenant_id == tenant_id, *where)
        return list((await session.execute(stmt)).scalars())


async def record_exists(
    client: TestClient[Any, Any], tenant_id: uuid.UUID, entity: str, record_id: str
) -> bool:
    model: type[RecordBase] = ENTITIES[entity].model
    rows = await db_rows(client, tenant_id, model, model.id == uuid.UUID(record_id))
    return bool(rows)


async def activity(
    client: TestClient[Any, Any], tenant_id: uuid.UUID, record_id: str
) -> list[ActivityLog]:
    rows = await db_rows(
        client, tenant_id, ActivityLog, ActivityLog.record_id == uuid.UUID(record_id)
    )
    return sorted(rows, key=lambda r: r.seq)


@dataclass
class World:
    """One tenant's data as another tenant must never see it: ids by kind (records live and
    trashed, plus ``conflict``), the secrets (ids, names, emails) and a snapshot of versions."""

    ids: dict[str, list[str]]
    users: list[str]
    secrets: set[str]
    snapshot: dict[str, Any]

    @property
    def uuids(self) -> list[str]:
        return sorted(s for s in self.secrets if _is_uuid(s))


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


async def world_snapshot(t: TenantHandle) -> dict[str, Any]:
    """Every record's version and Trash state, and every conflict's status, straight from the DB."""
    out: dict[str, Any] = {}
    for kind, spec in ENTITIES.items():
        rows = await db_rows(t.admin.client, t.tenant_id, spec.model)
        out[kind] = {str(r.id): (r.version, r.deleted_at) for r in rows}
    rows = await db_rows(t.admin.client, t.tenant_id, Conflict)
    out["conflict"] = {str(r.id): (r.status, r.resolved_at) for r in rows}
    return out


async def build_world(t: TenantHandle) -> World:
    """Each kind of record, live and trashed, by an admin and a user (tagged with a unique
    marker); a converted lead; and sync conflicts (open and auto-resolved) from a stale push."""
    tag = "zq" + uuid.uuid4().hex[:10]
    user = t.users[0]
    for actor in (t.admin, user):
        for kind in ENTITIES:
            extra = {"assigned_to": str(user.user_id)} if kind in ("lead", "client") else {}
            await make(actor, kind, tag=tag, **extra)
            gone = await make(actor, kind, tag=tag)
            assert (await actor.delete(url(kind, gone["id"]))).status == 200
    lead = await make(t.admin, "lead", tag=tag)
    await make(t.admin, "contact", tag=tag, lead_id=lead["id"])
    assert (await t.admin.post(url("lead", lead["id"], "/convert"), json={})).status == 201
    disputed = await make(user, "lead", tag=tag)
    await user.patch(url("lead", disputed["id"]), json={"lead_status": "lost", "city": "X"})
    device = str(uuid.uuid4())
    stale = {"lead_status": "qualified", "city": f"City {tag}"}
    mutation = {"mid": 1, "entity": "lead", "id": disputed["id"], "op": "update", "base_seq": 0}
    push = {"client_id": device, "schema_version": 1, "mutations": [mutation | {"fields": stale}]}
    r = await user.post(f"{API}/sync/push", json=push)
    assert r.status == 200 and (await r.json())["results"][0]["status"] == "conflict"
    snapshot = await world_snapshot(t)
    ids = {kind: list(rows) for kind, rows in snapshot.items()}
    assert all(len(group) >= 4 for kind, group in ids.items() if kind != "conflict")
    assert len(ids["conflict"]) >= 2
    people = [t.admin, *t.users]
    users = [str(p.user_id) for p in people]
    secrets = {tag, device, str(t.tenant_id), *users} | {p.email for p in people}
    secrets |= {i for group in ids.values() for i in group}
    return World(ids, users, secrets, snapshot)
