"""Admin batches cost O(1) round trips, not one set per item: Trash bulk purge and bulk restore,
a purge's children, user reassignment (``each_in_batch``), and one user's view. Statements are
counted on the app's engine (the approach of bench/query_count.py); the results and the change
log stay what one write at a time gives."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from sync_server.db.models import ChangeAudience, ChangeLog
from sync_server.errors import ApiError, ErrorCode
from sync_server.services.write_path import RecordWriter
from tests.support.records import db_rows, get_json, make, record_exists, url
from tests.support.statements import sent
from tests.support.tenants import Actor, TenantHandle

T, ADMIN_T, U = "/api/v1/trash", "/api/v1/admin/trash", "/api/v1/admin/users"
ROW_WRITES = ("UPDATE", "DELETE")


def fixed(seen: list[tuple[str, Any]]) -> int:
    """Statements that are not a record's own UPDATE or DELETE (the write path writes rows one
    at a time): reads and locks, savepoints, the clock and the log rows (one per table)."""
    return sum(1 for s, _ in seen if not s.lstrip().upper().startswith(ROW_WRITES))


async def _post(actor: Actor, path: str, body: dict[str, Any]) -> tuple[Any, list[Any]]:
    with sent(actor.client) as seen:
        r = await actor.post(path, json=body)
        assert r.status == 200, await r.text()
        answer = await r.json()
    return answer, seen


async def _trashed_clients(admin: Actor, owner: Actor, n: int) -> list[str]:
    """``n`` trashed clients of ``owner``, each with a contact (purged with it) and a project
    with a note (the project is detached: it and its note leave the owner's view)."""
    ids = []
    for _ in range(n):
        client = await make(admin, "client", assigned_to=str(owner.user_id))
        await make(admin, "contact", client_id=client["id"])
        project = await make(admin, "project", client_id=client["id"])
        await make(admin, "note", entity="project", entity_id=project["id"])
        assert (await admin.delete(url("client", client["id"]))).status == 200
        ids.append(client["id"])
    return ids


async def test_bulk_purge_reads_once_for_all_items(tenant: TenantHandle) -> None:
    admin = tenant.admin
    counts = {}
    for n in (2, 20):
        ids = await _trashed_clients(admin, tenant.users[0], n)
        items = [{"entity": "client", "id": i} for i in ids]
        answer, seen = await _post(admin, f"{T}/purge", {"items": items})
        assert [r["status"] for r in answer["results"]] == ["purged"] * n
        assert not any([await record_exists(admin.client, tenant.tenant_id, "client", i)
                        for i in ids])  # fmt: skip
        counts[n] = fixed(seen)
    # Only the rows each item deletes or detaches add statements (one at a time, every item
    # added its savepoint, reads, clock and log rows: some fifteen more statements per item here).
    assert counts[20] == counts[2], counts


async def test_bulk_restore_reads_once_for_all_items(tenant: TenantHandle) -> None:
    admin, u0 = tenant.admin, tenant.users[0]
    counts = {}
    for n in (2, 20):
        leads = [await make(u0, "lead") for _ in range(n)]
        for lead in leads:
            assert (await u0.delete(url("lead", lead["id"]))).status == 200
        items = [{"entity": "lead", "id": lead["id"]} for lead in leads]
        answer, seen = await _post(admin, f"{ADMIN_T}/restore", {"items": items})
        assert [r["status"] for r in answer["results"]] == ["restored"] * n
        counts[n] = fixed(seen)
        assert (await get_json(u0, url("lead", leads[-1]["id"])))["deleted_at"] is None
    assert counts[20] == counts[2], counts


async def test_reassign_reads_once_for_all_records(make_tenant: Any) -> None:
    counts = {}
    for n in (2, 20):
        t = await make_tenant()
        admin, (u0, u1) = t.admin, t.users
        for _ in range(n):  # each lead's contact moves with it (a change for its new audience)
            lead = await make(u0, "lead")
            await make(u0, "contact", lead_id=lead["id"])
        answer, seen = await _post(
            admin, f"{U}/{u0.user_id}/reassign", {"to_user_id": str(u1.user_id)}
        )
        assert [r["status"] for r in answer["results"]] == ["ok"] * n
        counts[n] = fixed(seen)
    assert counts[20] == counts[2], counts


async def test_one_user_view_reads_only_that_users_roles(tenant: TenantHandle) -> None:
    admin, u0 = tenant.admin, tenant.users[0]
    with sent(admin.client) as seen:
        r = await admin.patch(f"{U}/{u0.user_id}", json={"name": "Renamed"})
        assert r.status == 200, await r.text()
    assert (await r.json())["roles"] == ["user"]
    role_reads = [p for s, p in seen if s.lstrip().upper().startswith("SELECT user_roles.".upper())]
    assert role_reads, seen
    for params in role_reads:  # each bound to the one user rendered (not the tenant's roles)
        values = params.values() if isinstance(params, dict) else params
        assert any(str(v).replace("-", "") == u0.user_id.hex for v in values), params


async def _family(admin: Actor, owner: Actor) -> dict[str, str]:
    """A trashed client assigned to ``owner`` with a contact, an interaction and a note (purged
    with it) and an unassigned project (detached: it stops following the client, so its note
    moves to the project creator's audience too)."""
    client = await make(admin, "client", assigned_to=str(owner.user_id))
    project = await make(admin, "project", client_id=client["id"])
    fam = {
        "client": client["id"],
        "project": project["id"],
        "project_note": (await make(admin, "note", entity="project", entity_id=project["id"]))[
            "id"
        ],
        "contact": (await make(admin, "contact", client_id=client["id"]))["id"],
        "interaction": (
            await make(admin, "interaction", client_id=client["id"], project_id=project["id"])
        )["id"],
        "client_note": (await make(admin, "note", entity="client", entity_id=client["id"]))["id"],
    }
    assert (await admin.delete(url("client", client["id"]))).status == 200
    return fam


async def _changes_since(
    t: TenantHandle, seq: int, names: dict[str, str]
) -> list[tuple[str, str, str, list[str], set[str], set[str]]]:
    """Each change after ``seq`` to these records, in seq order: (name, op, action, fields,
    users it is visible to, users it evicts), users named admin/u0/u1."""
    ids = {uuid.UUID(i): n for n, i in names.items()}
    people = {t.admin.user_id: "admin"} | {u.user_id: f"u{k}" for k, u in enumerate(t.users)}
    client = t.admin.client
    log = await db_rows(client, t.tenant_id, ChangeLog, ChangeLog.seq > seq)
    rows = await db_rows(client, t.tenant_id, ChangeAudience, ChangeAudience.seq > seq)
    out = []
    for change in sorted((c for c in log if c.record_id in ids), key=lambda c: c.seq):
        mine = [r for r in rows if r.seq == change.seq]
        seen = {people[r.user_id] for r in mine if r.visible}
        gone = {people[r.user_id] for r in mine if not r.visible}
        out.append((ids[change.record_id], change.op, change.action, change.fields, seen, gone))
    return out


async def _last_seq(t: TenantHandle) -> int:
    return max(c.seq for c in await db_rows(t.admin.client, t.tenant_id, ChangeLog))


def _expected(prefix: str) -> list[tuple[str, str, str, list[str], set[str], set[str]]]:
    """A family's purge, as one purge at a time has always logged it: the project detached
    first (leaving u0's view, and its note with it), then the children, then the client."""
    everyone = {"admin", "u0"}
    return [
        (f"{prefix}project", "put", "detach", ["client_id"], {"admin"}, {"u0"}),
        (f"{prefix}project_note", "put", "visibility", [], {"admin"}, {"u0"}),
        (f"{prefix}contact", "delete", "purge", [], set(), everyone),
        (f"{prefix}interaction", "delete", "purge", [], set(), everyone),
        (f"{prefix}client_note", "delete", "purge", [], set(), everyone),
        (f"{prefix}client", "delete", "purge", [], set(), everyone),
    ]


async def test_bulk_purge_results_and_change_log_are_those_of_one_at_a_time(
    tenant: TenantHandle, other_tenant: TenantHandle
) -> None:
    admin, u0 = tenant.admin, tenant.users[0]
    a, b = await _family(admin, u0), await _family(admin, u0)
    live = await make(admin, "lead")
    foreign = await make(other_tenant.admin, "lead")
    assert (await other_tenant.admin.delete(url("lead", foreign["id"]))).status == 200
    start = await _last_seq(tenant)
    items = [
        {"entity": "client", "id": a["client"]},
        {"entity": "contact", "id": a["contact"]},  # purged with its client just before
        {"entity": "lead", "id": live["id"]},  # not in Trash
        {"entity": "lead", "id": foreign["id"]},  # another tenant's
        {"entity": "client", "id": b["client"]},
        {"entity": "client", "id": b["client"]},  # twice
        {"entity": "project", "id": str(uuid.uuid4())},
    ]
    answer, _ = await _post(admin, f"{T}/purge", {"items": items})
    results = answer["results"]
    assert [r["status"] for r in results] == ["purged", "failed", "failed", "failed", "purged",
                                              "failed", "failed"]  # fmt: skip
    assert [(r["entity"], r["id"]) for r in results] == [(i["entity"], i["id"]) for i in items]
    for failed in (r for r in results if r["status"] == "failed"):
        assert failed["error"]["code"] == "not_found", failed
        assert failed["error"]["error"] == f"{failed['entity']} in Trash not found", failed
    names = {f"a_{k}": v for k, v in a.items()} | {f"b_{k}": v for k, v in b.items()}
    assert await _changes_since(tenant, start, names) == _expected("a_") + _expected("b_")
    for name, record in names.items():
        kept = name.endswith(("project", "project_note"))
        entity = name[2:].replace("project_note", "note").replace("client_note", "note")
        assert await record_exists(admin.client, tenant.tenant_id, entity, record) == kept, name
    assert await record_exists(other_tenant.admin.client, other_tenant.tenant_id, "lead",
                               foreign["id"])  # fmt: skip


async def test_a_purge_failing_after_it_wrote_fails_alone(
    tenant: TenantHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should an item fail after it started writing, the batch runs again one item at a time
    (``each_in_batch``): the reads made for the batch still serve, and the results and the
    change log are the same as if nothing had been batched."""
    admin, u0 = tenant.admin, tenant.users[0]
    a, b, c = [await _family(admin, u0) for _ in range(3)]
    poisoned = uuid.UUID(b["client"])
    purge = RecordWriter.purge

    async def failing(writer: RecordWriter, spec: Any, row: Any) -> int:
        seq = await purge(writer, spec, row)
        if row.id == poisoned:
            raise ApiError(ErrorCode.CONFLICT, "Injected after the purge wrote")
        return seq

    monkeypatch.setattr(RecordWriter, "purge", failing)
    start = await _last_seq(tenant)
    items = [{"entity": "client", "id": fam["client"]} for fam in (a, b, c)]
    answer, seen = await _post(admin, f"{T}/purge", {"items": items})
    assert [r["status"] for r in answer["results"]] == ["purged", "failed", "purged"]
    assert answer["results"][1]["error"]["code"] == "conflict"
    assert sum(s.startswith("SAVEPOINT") for s, _ in seen) == 1 + len(items)  # batch, then each
    names = {f"a_{k}": v for k, v in a.items()} | {f"c_{k}": v for k, v in c.items()}
    assert await _changes_since(tenant, start, names | b) == _expected("a_") + _expected("c_")
    for entity in ("client", "contact", "interaction"):  # b's family untouched
        assert await record_exists(admin.client, tenant.tenant_id, entity, b[entity]), entity
    project = await get_json(admin, url("project", b["project"]))
    assert project["client_id"] == b["client"]
