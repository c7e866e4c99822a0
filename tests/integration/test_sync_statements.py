"""What the sync push and pull paths send to the database (N+1 checks), with the results they
must still give: a push reassigning several records reads their children in one query per
child table (not one per record), and moves the children the same push created or moved under
them; a record's audience is computed once per write; visibility parents are read without a
lock; a pull reads the tenant's clock once; and pulled records are their Read model's JSON."""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from sync_server.db.repositories import Repositories
from sync_server.db.repositories.visibility import Audience
from sync_server.entities import ENTITIES, EntitySpec
from sync_server.http.keys import DB
from sync_server.services.write_path import RecordWriter
from sync_server.tenancy import mint_from_token
from tests.integration.test_sync_idempotency import PULL, mut, push, server_seq, statuses
from tests.property.world import device_for
from tests.support.records import TEXT_FIELD, db_rows, make, url
from tests.support.statements import statements
from tests.support.tenants import Actor, TenantHandle

# A children read of the write path: the records of a table pointing at some parents.
_CHILDREN = re.compile(r"FROM (\w+) .*\b(?:client_id|lead_id|entity_id) IN", re.DOTALL)


def children_reads(sent: list[str]) -> Counter[str]:
    """How many children reads each table got."""
    return Counter(m.group(1) for s in sent if (m := _CHILDREN.search(s)))


async def _family(admin: Actor, owner: Actor) -> dict[str, str]:
    """A client assigned to ``owner`` (made by the admin, so the owner is not its creator), with
    a child of each kind and a note on its project."""
    c = await make(admin, "client", assigned_to=str(owner.user_id))
    ids = {"client": c["id"]}
    for kind in ("account", "subscription", "contact", "interaction", "project"):
        ids[kind] = (await make(admin, kind, client_id=c["id"]))["id"]
    ids["note"] = (await make(admin, "note", entity="project", entity_id=ids["project"]))["id"]
    return ids


async def test_a_push_of_reassignments_reads_children_once_per_table(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    """Five clients handed over in one push, with a contact created under one of them and a
    contact moved onto another after the children were read: one read per child table (notes:
    one for client notes, one for project notes), not one per client, and every child ends up
    with the new owner only."""
    admin, (u0, u1) = tenant.admin, tenant.users
    families = [await _family(admin, u0) for _ in range(5)]
    clients = [f["client"] for f in families]
    mover = (await make(admin, "contact", client_id=clients[1]))["id"]
    w0, w1 = device_for(u0), device_for(u1)
    await w0.client.pull()
    await w1.client.pull()
    created, device = str(uuid.uuid4()), str(uuid.uuid4())
    seen = await server_seq(u0, device)

    def hand_over(mid: int, client_id: str) -> dict[str, Any]:
        return mut(mid, "client", client_id, base_seq=seen, assigned_to=str(u1.user_id))

    batch = [
        hand_over(1, clients[0]),  # reads the children of every client the push names
        mut(2, "contact", created, "create", client_id=clients[3], first_name="New"),
        mut(3, "contact", mover, base_seq=seen, client_id=clients[4]),  # off a client u0 keeps
        *(hand_over(mid, c) for mid, c in enumerate(clients[2:], start=4)),
        hand_over(7, clients[1]),
    ]
    with statements(client) as sent:
        status, body = await push(u0, device, batch)
    assert status == 200 and statuses(body) == ["applied"] * 7, body
    reads = children_reads(sent)
    assert reads == {
        "projects": 1,
        "accounts": 1,
        "subscriptions": 1,
        "contacts": 1,
        "interactions": 1,
        "notes": 2,
    }, reads
    await w0.client.pull()
    await w1.client.pull()
    moved = [(kind, rid) for f in families for kind, rid in f.items()]
    moved += [("contact", created), ("contact", mover)]
    for kind, rid in moved:
        assert rid not in w0.client.synced(kind), (kind, rid)
        assert rid in w1.client.synced(kind), (kind, rid)


@contextmanager
def audiences_computed() -> Iterator[Counter[str]]:
    """Counts the audiences computed from a record's own fields (``Audience.of`` runs), by
    entity: a spy on the one function, not a stand-in for anything."""
    seen: Counter[str] = Counter()
    original = Audience.of

    async def counted(self: Audience, spec: EntitySpec, row: Any) -> frozenset[uuid.UUID]:
        if row is not None:
            seen[spec.name] += 1
        return await original(self, spec, row)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Audience, "of", counted)
        yield seen


async def test_an_update_computes_each_audience_once(tenant: TenantHandle) -> None:
    """Visibility is decided on load and the same audience is logged: a push of updates to
    four contacts of one client computes each contact's audience once, and the client's once."""
    u = tenant.users[0]
    c = await make(u, "client")
    contacts = [(await make(u, "contact", client_id=c["id"]))["id"] for _ in range(4)]
    device = str(uuid.uuid4())
    base = await server_seq(u, device)
    batch = [
        mut(i, "contact", rid, base_seq=base, notes=f"n{i}") for i, rid in enumerate(contacts, 1)
    ]
    with audiences_computed() as seen:
        status, body = await push(u, device, batch)
    assert status == 200 and statuses(body) == ["applied"] * 4, body
    assert seen == {"contact": 4, "client": 1}, seen


async def test_visibility_parents_are_read_without_a_lock(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    """A push updating contacts reads their client for the audience only: no row lock on it
    (the batch holds the tenant clock, which every writer takes first)."""
    u = tenant.users[0]
    c = await make(u, "client")
    contact = (await make(u, "contact", client_id=c["id"]))["id"]
    device = str(uuid.uuid4())
    base = await server_seq(u, device)
    with statements(client) as sent:
        status, body = await push(u, device, [mut(1, "contact", contact, base_seq=base, notes="x")])
    assert status == 200 and statuses(body) == ["applied"], body
    [parent] = [s for s in sent if re.search(r"FROM clients\b", s)]
    assert "FOR UPDATE" not in parent
    [target] = [s for s in sent if re.search(r"FROM contacts\b", s)]
    if client.app is not None and client.app[DB].engine.dialect.name == "postgresql":
        assert "FOR UPDATE" in target


async def test_a_push_reads_the_parents_its_creates_name_unlocked(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    """Contacts created under a client: the push locks its targets only, never the client it
    just reads (to check the reference and who may see the new records)."""
    u = tenant.users[0]
    c = await make(u, "client")
    device = str(uuid.uuid4())
    base = await server_seq(u, device)
    made = [str(uuid.uuid4()) for _ in range(3)]
    batch = [
        mut(i + 1, "contact", cid, op="create", base_seq=base, client_id=c["id"], first_name="K")
        for i, cid in enumerate(made)
    ]
    with statements(client) as sent:
        status, body = await push(u, device, batch)
    assert status == 200 and statuses(body) == ["applied"] * 3, body
    reads = [s for s in sent if re.search(r"FROM clients\b", s)]
    assert reads and not [s for s in reads if "FOR UPDATE" in s], reads


async def test_prefetch_reads_read_only_records_unlocked(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    """``prefetch(read_only=...)``: the parents a batch's creates name are read in the same pass
    without a lock, and the creates then query nothing more for them."""
    u = tenant.users[0]
    c = await make(u, "client")
    app = client.app
    assert app is not None
    ctx = mint_from_token(u.tenant_id, u.user_id, u.roles)
    new_id = uuid.uuid4()
    with statements(client) as sent:
        async with app[DB].session(ctx) as session:
            writer = RecordWriter(Repositories(ctx, session))
            async with writer.batch():
                await writer.prefetch(
                    {"contact": [new_id]}, read_only={"client": [uuid.UUID(c["id"])]}
                )
                read = len(sent)
                data = {"client_id": c["id"], "first_name": "Kim"}
                await writer.create(ENTITIES["contact"], data, record_id=new_id)
                assert not [s for s in sent[read:] if s.lstrip().upper().startswith("SELECT")]
    [parent] = [s for s in sent if re.search(r"FROM clients\b", s)]
    assert "FOR UPDATE" not in parent
    model = ENTITIES["contact"].model
    assert await db_rows(client, u.tenant_id, model, model.id == new_id)


async def test_a_pull_reads_the_clock_once(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    """The seq, the change-log horizon and the permission epoch in one read, for a first pull
    and for a pull from a cursor (which used to read the clock row twice and the tenant once)."""
    u = tenant.users[0]
    device = str(uuid.uuid4())
    await make(u, "lead")
    cursor = None
    for config_reads in (1, 0):  # a snapshot sends the tenant's config; a later pull does not
        with statements(client) as sent:
            r = await u.post(PULL, json={"client_id": device, "schema_version": 1,
                                         "cursor": cursor})  # fmt: skip
            assert r.status == 200, await r.text()
            answer = await r.json()
        assert not answer["reset"] and not answer["has_more"], answer
        clock = [s for s in sent if "tenant_clock" in s]
        assert len(clock) == 1, clock
        assert "permission_epoch" in clock[0] and "horizon_seq" in clock[0]
        tenant_reads = [s for s in sent if re.search(r"FROM tenants\b", s)]
        assert len(tenant_reads) == config_reads, tenant_reads
        cursor = answer["cursor"]


def _read_model(spec: EntitySpec, row: Any) -> dict[str, Any]:
    dumped: dict[str, Any] = spec.read.model_validate(row).model_dump(mode="json")
    return dumped


async def test_pulled_records_are_their_read_model(
    client: TestClient[Any, Any], tenant: TenantHandle
) -> None:
    """The pull encodes records with ``services.records.serialize`` (by position, from its own
    queries): every entity, in a snapshot and from the change log, pulls exactly as its Read
    model dumps the stored row."""
    u = tenant.users[0]
    made = {entity: (await make(u, entity))["id"] for entity in ENTITIES}
    device = device_for(u)

    async def check() -> None:
        for entity, rid in made.items():
            spec = ENTITIES[entity]
            [row] = await db_rows(client, u.tenant_id, spec.model, spec.model.id == uuid.UUID(rid))
            pulled = device.client.synced(entity)[rid]
            assert pulled == _read_model(spec, row), entity
            assert list(pulled) == list(spec.read.model_fields), entity

    await device.client.pull()  # a first sync: the snapshot
    await check()
    for entity, rid in made.items():
        r = await u.patch(url(entity, rid), json={TEXT_FIELD[entity]: f"Changed {rid[:8]}"})
        assert r.status == 200, await r.text()
    await device.client.pull()  # from the change log
    await check()
