"""Pull: what changed for this user since the cursor, or a consistent paged snapshot (SYNC.md).

Only the user's rows of the change log are read (``change_audience``), so records the user never
could see are never touched, and an eviction is a ``delete`` of a record the user did see.
A snapshot pages through every synced table in (version, id) order below a fixed ``until`` and
then runs on into the change log from ``until``: ``has_more`` stays true until both are done, so
a device that applies pages only when ``has_more`` is false always lands on a consistent state.

The answer is built as plain JSON values (records serialized straight from their rows, no model
round trip): a snapshot page carries a thousand records, and building and dumping Pydantic
models for them was most of a page's CPU. ``PullResponse`` still documents the shape.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from sqlalchemy.exc import DBAPIError

from sync_server.db.models import ChangeAudience, SyncClient
from sync_server.db.repositories import Repositories
from sync_server.db.repositories.sync import PullClock
from sync_server.entities import ENTITIES
from sync_server.schemas.conflicts import ConflictRead
from sync_server.schemas.sync import PullRequest
from sync_server.services.auth import user_payload
from sync_server.services.records import serialize_rows
from sync_server.services.sync_cursor import Cursor, CursorCodec
from sync_server.services.sync_push import check_owner, check_schema_version

log = structlog.get_logger("sync_server.sync")
PROTOCOL_VERSION = 1
SPECIAL = ("config", "user", "conflict")
SNAPSHOT_STAGES: tuple[str, ...] = (*SPECIAL, *ENTITIES)

Loader = Callable[[Repositories, list[uuid.UUID]], Awaitable[dict[uuid.UUID, dict[str, Any]]]]


async def _users(
    repos: Repositories, ids: list[uuid.UUID] | None
) -> dict[uuid.UUID, dict[str, Any]]:
    roles = await repos.users.roles_by_user()
    users = await repos.users.list()
    wanted = None if ids is None else set(ids)
    return {
        u.id: user_payload(u, sorted(roles.get(u.id, [])))
        for u in users
        if wanted is None or u.id in wanted
    }


async def _config(
    repos: Repositories, _ids: list[uuid.UUID] | None
) -> dict[uuid.UUID, dict[str, Any]]:
    tenant = await repos.tenants.get()
    assert tenant is not None
    return {tenant.id: {"id": str(tenant.id), "name": tenant.name, "config": tenant.config}}


async def _conflicts(
    repos: Repositories, ids: list[uuid.UUID] | None
) -> dict[uuid.UUID, dict[str, Any]]:
    rows = await repos.sync.conflicts_for(repos.ctx.actor_id, ids)
    return {c.id: ConflictRead.model_validate(c).model_dump(mode="json") for c in rows}


_SPECIAL_LOADERS = {"user": _users, "config": _config, "conflict": _conflicts}


async def _load(
    repos: Repositories, entity: str, ids: list[uuid.UUID] | None
) -> dict[uuid.UUID, dict[str, Any]]:
    if entity in _SPECIAL_LOADERS:
        return await _SPECIAL_LOADERS[entity](repos, ids)
    spec = ENTITIES[entity]
    rows = await repos.sync.visible_records(spec, repos.ctx.actor_id, ids or [])
    return dict(zip(rows, serialize_rows(spec, list(rows.values())), strict=True))


def _change(
    entity: str, record_id: uuid.UUID, seq: int, record: dict[str, Any] | None
) -> dict[str, Any]:
    """One ``Change`` as JSON: a put with its record, or a delete (record None)."""
    op = "delete" if record is None else "put"
    return {"entity": entity, "id": str(record_id), "seq": seq, "op": op, "record": record}


class Puller:
    def __init__(self, repos: Repositories, codec: CursorCodec) -> None:
        self.repos = repos
        self.codec = codec
        self.user_id = repos.ctx.actor_id

    async def pull(self, req: PullRequest, user_agent: str | None) -> dict[str, Any]:
        """The ``PullResponse`` body, as JSON values."""
        check_schema_version(req.schema_version)
        # Read the device's counter first: every mutation it counts committed before the change
        # log is read below (and pulls run in one snapshot on PostgreSQL), so the changes
        # returned contain the effects of last_mutation_id and nothing of the next one.
        client = await self.repos.sync.client(req.client_id, lock=False)
        if client is not None:
            check_owner(self.repos, client)
        last_mutation_id = client.last_mutation_id if client else 0
        clock = await self.repos.sync.pull_clock()  # seq, horizon, epoch: one read, after client
        server_seq = clock.seq
        cursor, reset = self._start(req, clock)
        changes: list[dict[str, Any]] = []
        if cursor.in_snapshot:
            cursor = await self._snapshot(cursor, req.limit, changes)
        has_more = cursor.in_snapshot
        budget = req.limit - len(changes)
        if not cursor.in_snapshot:
            if budget > 0:
                cursor, has_more = await self._changes(cursor, server_seq, budget, changes)
            else:
                has_more = cursor.seq < server_seq
        await self._note(client, req.client_id, user_agent, None if has_more else cursor.seq)
        return {
            "changes": changes,
            "cursor": self.codec.encode(cursor),
            "has_more": has_more,
            "reset": reset,
            "last_mutation_id": last_mutation_id,
            "server_seq": server_seq,
        }

    async def _note(
        self,
        client: SyncClient | None,
        client_id: uuid.UUID,
        user_agent: str | None,
        pulled_seq: int | None,
    ) -> None:
        """Device bookkeeping: registration on first use, last seen, last pulled seq.

        It is written in a savepoint of its own because on PostgreSQL a pull reads one
        REPEATABLE READ snapshot, and writing the device row then fails (serialization failure,
        or a duplicate key on first use) whenever a push of the same device committed after the
        snapshot began. The answer, consistent with its snapshot, is still right and that push
        has just recorded the device, so the note is dropped instead of failing the pull.
        """
        try:
            async with self.repos.savepoint():
                client = client or await self.repos.sync.register(client_id, user_agent)
                await self.repos.sync.touch(client, pulled_seq=pulled_seq)
        except DBAPIError:
            log.info("pull_bookkeeping_skipped", client_id=str(client_id))

    def _start(self, req: PullRequest, clock: PullClock) -> tuple[Cursor, bool]:
        fresh = Cursor(
            self.user_id,
            req.client_id,
            PROTOCOL_VERSION,
            clock.epoch,
            seq=clock.seq,
            until=clock.seq,
            stage=0,
        )
        if req.cursor is None:
            return fresh, False
        cursor = self.codec.decode(req.cursor)
        if cursor is None or not self._usable(cursor, req.client_id, clock):
            return fresh, True
        return cursor, False

    def _usable(self, c: Cursor, client_id: uuid.UUID, clock: PullClock) -> bool:
        if (c.user_id, c.client_id, c.version, c.epoch) != (
            self.user_id,
            client_id,
            PROTOCOL_VERSION,
            clock.epoch,
        ):
            return False
        return c.seq >= clock.horizon

    async def _snapshot(self, cursor: Cursor, limit: int, out: list[dict[str, Any]]) -> Cursor:
        assert cursor.stage is not None and cursor.until is not None
        stage, after = cursor.stage, cursor.after
        while stage < len(SNAPSHOT_STAGES) and len(out) < limit:
            name = SNAPSHOT_STAGES[stage]
            if name in SPECIAL:
                for rid, record in (await _load(self.repos, name, None)).items():
                    out.append(_change(name, rid, 0, record))
                stage, after = stage + 1, None
                continue
            spec = ENTITIES[name]
            position = (after[0], uuid.UUID(after[1])) if after else None
            budget = limit - len(out)
            rows = await self.repos.sync.snapshot_page(
                spec, self.user_id, cursor.until, position, budget
            )
            records = serialize_rows(spec, rows)
            out.extend(
                _change(name, r.id, r.version, rec) for r, rec in zip(rows, records, strict=True)
            )
            if len(rows) == budget:
                after = (rows[-1].version, str(rows[-1].id))
            else:
                stage, after = stage + 1, None
        if stage >= len(SNAPSHOT_STAGES):
            return cursor.advance(seq=cursor.until, until=None, stage=None, after=None)
        return cursor.advance(stage=stage, after=after)

    async def _changes(
        self, cursor: Cursor, server_seq: int, budget: int, out: list[dict[str, Any]]
    ) -> tuple[Cursor, bool]:
        rows = await self.repos.sync.changes_for(self.user_id, cursor.seq, server_seq, budget + 1)
        has_more = len(rows) > budget
        rows = rows[:budget]
        latest: dict[tuple[str, uuid.UUID], ChangeAudience] = {}
        for row in rows:
            latest.pop((row.entity, row.record_id), None)  # keep seq order of the last change
            latest[(row.entity, row.record_id)] = row
        loaded = await self._load_visible(latest.values())
        for (entity, rid), row in latest.items():
            if not row.visible:
                out.append(_change(entity, rid, row.seq, None))
            elif (record := loaded.get((entity, rid))) is not None:
                out.append(_change(entity, rid, row.seq, record))
            # Visible in this row but not now: a later row (next page) evicts or purges it.
        end = rows[-1].seq if has_more else server_seq
        return cursor.advance(seq=end), has_more

    async def _load_visible(self, rows: Any) -> dict[tuple[str, uuid.UUID], dict[str, Any]]:
        wanted: dict[str, list[uuid.UUID]] = {}
        for row in rows:
            if row.visible:
                wanted.setdefault(row.entity, []).append(row.record_id)
        out: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
        for entity, ids in wanted.items():
            for rid, record in (await _load(self.repos, entity, ids)).items():
                out[(entity, rid)] = record
        return out
