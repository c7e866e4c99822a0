"""What the server says the truth is, read three independent ways, and the no-lost-write check.

- ``tenant_records``: every record of the tenant straight from the database (platform-minted
  context, RLS applies), serialized exactly as pulls and REST serialize it.
- ``visible_view``: a small Python model of API.md's visibility rules over those records, written
  independently of the SQL (``visible_clause``) and of the audience walk (``Audience``).
- ``rest_view``: what the REST API shows the user (lists, Trash, detail).
- ``lost_writes``: Jepsen's set check (SYNC.md guarantee 2) on every write the change log shows,
  acknowledged to its device or not.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from aiohttp.test_utils import TestClient

from sync_server.client import CRM_ENTITIES, Pending, Records, SyncClient
from sync_server.db.models import ChangeAudience, ChangeLog, Conflict, RecordBase
from sync_server.entities import ENTITIES
from sync_server.services.records import serialize
from tests.support.records import db_rows, url
from tests.support.tenants import Actor

TRASH_ENTITIES = ("lead", "client", "project")


async def tenant_records(client: TestClient[Any, Any], tenant_id: uuid.UUID) -> Records:
    out: Records = {}
    for name in CRM_ENTITIES:
        spec = ENTITIES[name]
        rows: list[RecordBase] = await db_rows(client, tenant_id, spec.model)
        out[name] = {str(r.id): serialize(spec, r) for r in rows}
    return out


async def conflict_rows(client: TestClient[Any, Any], tenant_id: uuid.UUID) -> list[Conflict]:
    return await db_rows(client, tenant_id, Conflict)


async def ever_visible(
    client: TestClient[Any, Any], tenant_id: uuid.UUID, user_id: uuid.UUID
) -> set[tuple[str, str]]:
    """Every record the change log ever showed to the user (audience rows with visible=true)."""
    rows: list[ChangeAudience] = await db_rows(
        client, tenant_id, ChangeAudience, ChangeAudience.user_id == user_id
    )
    return {(r.entity, str(r.record_id)) for r in rows if r.visible}


def visible_view(records: Records, user_id: uuid.UUID) -> Records:
    """API.md "Visibility", re-derived in plain Python."""
    uid = str(user_id)
    memo: dict[tuple[str, str], bool] = {}

    def owned(rec: dict[str, Any]) -> bool:
        return uid in (rec.get("created_by"), rec.get("assigned_to"))

    def sees(entity: str, rid: Any) -> bool:
        if rid is None or (rec := records.get(entity, {}).get(str(rid))) is None:
            return False
        key = (entity, str(rid))
        if key not in memo:
            memo[key] = decide(entity, rec)
        return memo[key]

    def decide(entity: str, rec: dict[str, Any]) -> bool:
        if entity in ("lead", "client"):
            return owned(rec)
        if entity == "project":
            if rec.get("assigned_to") is not None:
                return owned(rec)
            if rec.get("client_id") is not None:
                return sees("client", rec["client_id"])
            if rec.get("lead_id") is not None:
                return sees("lead", rec["lead_id"])
            return rec.get("created_by") == uid
        if entity == "note":
            return sees(rec["entity"], rec["entity_id"])
        return sees("client", rec.get("client_id")) or sees("lead", rec.get("lead_id"))

    return {e: {i: r for i, r in records.get(e, {}).items() if sees(e, i)} for e in CRM_ENTITIES}


async def _pages(actor: Actor, path: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        sep = "&" if "?" in path else "?"
        page = f"{path}{sep}limit=100" + (f"&cursor={cursor}" if cursor else "")
        r = await actor.get(page)
        assert r.status == 200, f"GET {page}: {r.status} {await r.text()}"
        body = await r.json()
        items += body["items"]
        if (cursor := body["next_cursor"]) is None:
            return items


async def rest_view(actor: Actor, records: Records) -> Records:
    """The user's records through REST: lists, Trash, and detail for trashed children (which no
    list shows)."""
    out: Records = {e: {} for e in CRM_ENTITIES}
    for entity in CRM_ENTITIES:
        for item in await _pages(actor, url(entity)):
            out[entity][item["id"]] = item
        if entity in TRASH_ENTITIES:
            for item in await _pages(actor, f"/api/v1/trash?entity={entity}"):
                out[entity][item["id"]] = item
            continue
        for rid, rec in records.get(entity, {}).items():
            if rec["deleted_at"] is not None:
                r = await actor.get(url(entity, rid))
                assert r.status in (200, 404), await r.text()
                if r.status == 200:
                    out[entity][rid] = await r.json()
    return out


UNKNOWN = object()  # a value the oracle does not know (defaults, side effects)
ONLINE = 2**62  # REST and server-side writes have seen everything they overwrite


@dataclass(frozen=True)
class Write:
    """One field value the server wrote, per its change log."""

    entity: str
    id: str
    field: str
    value: Any
    seq: int
    base_seq: int
    writer: str  # client_id, or "server" for REST and server-side effects
    typed: bool  # a value a device sent (the ones that must never be lost)


async def change_rows(client: TestClient[Any, Any], tenant_id: uuid.UUID) -> list[ChangeLog]:
    rows: list[ChangeLog] = await db_rows(client, tenant_id, ChangeLog)
    return sorted(rows, key=lambda r: r.seq)


def _sent_values(m: Pending) -> dict[str, Any]:
    if m.op == "convert":
        return {"lead_status": "converted", "converted_client_id": m.fields["client_id"]}
    return dict(m.fields) if m.op in ("create", "update") else {}


def applied_writes(devices: list[SyncClient], rows: list[ChangeLog]) -> list[Write]:
    """Every field write of the change log, tied to the device mutation that made it (its
    base_seq and the value sent) when there is one; acknowledged or not."""
    sent = {(str(d.client_id), m.mid): m for d in devices for m in d.history}
    out: list[Write] = []
    for row in rows:
        if row.entity not in CRM_ENTITIES:
            continue
        m = sent.get((str(row.client_id), row.mid or 0)) if row.client_id else None
        own = m is not None and (m.entity, m.id) == (row.entity, str(row.record_id))
        values = _sent_values(m) if m is not None and own else {}
        for name in row.fields:
            out.append(
                Write(
                    row.entity, str(row.record_id), name, values.get(name, UNKNOWN), row.seq,
                    m.base_seq if m is not None and own else ONLINE,
                    str(row.client_id) if own else "server", name in values,
                )
            )  # fmt: skip
    return out


def lost_writes(
    devices: list[SyncClient], rows: list[ChangeLog], records: Records, conflicts: list[Conflict]
) -> list[str]:
    """Jepsen's set check: every value a device sent that the server wrote is still stored, or
    kept in a conflict record, or was overwritten by a later write that had seen it (a plain
    sequential edit); every value the server held in an acknowledged conflict is in it."""
    logged: dict[tuple[str, str, str], list[Any]] = {}
    by_mutation: dict[tuple[str, int | None], list[Conflict]] = {}
    for c in conflicts:
        by_mutation.setdefault((str(c.client_id), c.mid), []).append(c)
        for name, entry in c.fields.items():
            key = (c.entity, str(c.record_id), name)
            logged.setdefault(key, []).extend([entry.get("server"), entry.get("client")])
    writes = applied_writes(devices, rows)
    by_field: dict[tuple[str, str, str], list[Write]] = {}
    for w in writes:
        by_field.setdefault((w.entity, w.id, w.field), []).append(w)
    problems = []
    for w in (w for w in writes if w.typed):
        key = (w.entity, w.id, w.field)
        record = records.get(w.entity, {}).get(w.id)
        if record is None or record.get(w.field) == w.value or w.value in logged.get(key, []):
            continue  # purged (an admin's decision), stored, or kept in the conflict log
        if not any(_saw(o, w) for o in by_field[key]):
            problems.append(f"lost: {w} (server has {record.get(w.field)!r})")
    for dev in devices:
        for m, result in dev.results.values():
            if result.status != "conflict":
                continue
            held = [c for c in by_mutation.get((str(dev.client_id), m.mid), [])
                    if c.status == "open"]  # fmt: skip
            if [str(c.id) for c in held] != [str(result.conflict_id)]:
                problems.append(f"conflict of {m} not recorded as answered: {result}")
            elif not set(held[0].fields) <= set(_sent_values(m)) | _unseen_ok(m, held[0]):
                problems.append(f"conflict of {m} holds fields it did not send: {held[0].fields}")
    return problems


def _unseen_ok(m: Pending, c: Conflict) -> set[str]:
    """Whole-record conflicts list the concurrent fields too (with client None)."""
    if c.kind == "field":
        return set()
    return {n for n, e in c.fields.items() if e.get("client") is None} | {"converted_on"}


def _saw(o: Write, w: Write) -> bool:
    return o.seq > w.seq and (o.base_seq >= w.seq or o.writer == w.writer)
