"""The one write path. Every change to a CRM record — REST, sync push, import, bulk action,
conflict resolution — goes through ``RecordWriter``: validate, check visibility and
reassignment rights, decide conflicts (pure ``conflict`` package), advance the tenant seq, stamp
field dots, append the change log with its audience, and log the activity.

Writes run in batches (``RecordWriter.batch``, over ``sync_events.changes``): the tenant clock is
locked when a batch begins, seqs are handed out in memory, and the record rows, the clock and the
change-log, audience and activity rows are written once when it ends. A sync push is one batch; a
REST write is a batch of its own. Inside a batch the writer reads each record once: rows it has
loaded, locked or created are kept, and visibility is decided in Python by ``Audience`` over them
(the property-tested twin of the SQL ``visible_clause``).
"""

from __future__ import annotations

import uuid
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any, TypeVar

import structlog
from pydantic import BaseModel, EmailStr, ValidationError, create_model
from sqlalchemy import ColumnElement
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError

from conflict import CausalContext, Decision, Dot, Outcome, decide_update
from conflict.lifecycle import decide_delete, decide_restore
from sync_server.db.models import Base, RecordBase
from sync_server.db.repositories import Repositories
from sync_server.db.repositories.sync import PendingChanges
from sync_server.db.repositories.visibility import Audience, visibility_parent
from sync_server.entities import ENTITIES, EntitySpec
from sync_server.errors import ApiError, ErrorCode, not_found, validation_error
from sync_server.http.parsing import field_errors
from sync_server.search import record_terms
from sync_server.services.conflicts import record_conflicts
from sync_server.services.sync_events import changes, log_change
from sync_server.services.validation import check_references, validated_changes, validated_create

# REST writes come from someone looking at the current record: they have seen every write.
ONLINE = 2**62

log = structlog.get_logger("sync_server.write_path")
Key = tuple[str, uuid.UUID]
ChildKey = tuple[str, str, str, uuid.UUID]
T = TypeVar("T")
R = TypeVar("R")
# Record tables, each after the tables its foreign keys reference.
_INSERT_ORDER = [
    t.name
    for t in Base.metadata.sorted_tables
    if t.name in {s.model.__tablename__ for s in ENTITIES.values()}  # type: ignore[attr-defined]
]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a write comes from: a device mutation (client_id, mid, base_seq) or REST."""

    client_id: uuid.UUID | None = None
    mid: int | None = None
    base_seq: int | None = None
    client_time: datetime | None = None
    op: str | None = None  # the device's operation (kept on the conflicts it causes)

    @property
    def context(self) -> CausalContext:
        client = str(self.client_id) if self.client_id else None
        return CausalContext(self.base_seq if self.base_seq is not None else ONLINE, client)


REST = Origin()


@dataclass(frozen=True, slots=True)
class WriteResult:
    row: RecordBase | None
    outcome: Outcome
    seq: int | None
    conflict_id: uuid.UUID | None = None


def now() -> datetime:
    return datetime.now(UTC)


class _StoredDots(Mapping[str, Dot]):
    """A record's field dots, each parsed when first looked up: an update decides on the few
    fields it changes, not on every field the record has."""

    def __init__(self, stored: Mapping[str, Any]) -> None:
        self._stored = stored
        self._parsed: dict[str, Dot] = {}

    def __getitem__(self, field: str) -> Dot:
        if (dot := self._parsed.get(field)) is None:
            dot = self._parsed[field] = Dot.from_json(self._stored[field])
        return dot

    def __iter__(self) -> Iterator[str]:
        return iter(self._stored)

    def __len__(self) -> int:
        return len(self._stored)


def dots_of(row: RecordBase) -> Mapping[str, Dot]:
    return _StoredDots(row.field_dots or {})


Terms = frozenset[tuple[str, str]]


def _terms(searchable: tuple[str, ...], row: RecordBase) -> Terms:
    return frozenset(record_terms(searchable, {f: getattr(row, f) for f in searchable}))


def values_of(spec: EntitySpec, row: RecordBase) -> dict[str, Any]:
    return {f: getattr(row, f) for f in spec.fields}


def current_state(
    spec: EntitySpec, row: RecordBase, values: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What conflict decisions compare against: the fields (``values``, if already read) plus
    the Trash marker."""
    return (values_of(spec, row) if values is None else values) | {"deleted_at": row.deleted_at}


class _CachedAudience(Audience):
    """``Audience`` whose parent lookups go through the writer's rows instead of a query each
    (its one query, ``_load``, is replaced, so it needs no session of its own), and whose
    answers are kept: an update decides visibility on ``load`` and logs the same audience, and
    siblings share their parent's. The writer drops them (``known.clear()``) whenever a write
    may change one: a change of a field visibility depends on, a new or a purged record."""

    def __init__(self, load: Callable[[EntitySpec, uuid.UUID], Awaitable[RecordBase | None]]):
        self._cached_load = load
        self.known: dict[Key, frozenset[uuid.UUID]] = {}

    async def of(self, spec: EntitySpec, row: RecordBase | None) -> frozenset[uuid.UUID]:
        if row is None:
            return frozenset()
        key = (spec.name, row.id)
        if (found := self.known.get(key)) is None:
            found = self.known[key] = await super().of(spec, row)
        return found

    async def _load(self, spec: EntitySpec, record_id: uuid.UUID) -> RecordBase | None:
        return await self._cached_load(spec, record_id)


class _Joined:
    """Entering a batch that is already open: nothing to do (cheaper than a generator-based
    context manager, and a push enters one per mutation)."""

    def __init__(self, pending: PendingChanges) -> None:
        self.pending = pending

    async def __aenter__(self) -> PendingChanges:
        return self.pending

    async def __aexit__(self, *_exc: object) -> None:
        return None


class RecordWriter:
    def __init__(self, repos: Repositories, *, whole_tenant: bool = False) -> None:
        """``whole_tenant`` is for admin endpoints (overviews, bulk actions, conflict
        resolution), which act on every record of the tenant; it requires the admin role."""
        if whole_tenant and not repos.ctx.is_admin:
            raise ApiError(ErrorCode.FORBIDDEN, "This needs the admin role")
        self.repos = repos
        self.ctx = repos.ctx
        self.visible_to = None if whole_tenant else repos.ctx.actor_id
        # Rows read, locked or created in the open batch (None: no such record).
        self._rows: dict[Key, RecordBase | None] = {}
        self._locked: set[Key] = set()
        self._active: dict[uuid.UUID, bool] = {}
        self._new: dict[str, list[RecordBase]] = {}  # created rows by table, until flush_rows
        # Rows whose searchable fields were written, by entity, with their search words as
        # the index holds them: flush_rows writes the difference.
        self._reindex: dict[str, dict[uuid.UUID, tuple[RecordBase, Terms]]] = {}
        # (parent entity, child entity, column, parent id) -> the children, once read in the
        # batch (prefetch_children, _propagate); kept up to date by its creates and moves.
        self._children: dict[ChildKey, list[RecordBase]] = {}
        self._audience = _CachedAudience(self._parent)
        # Counts the writes staged (rows changed or added): a caller can tell whether a failed
        # operation left anything behind (each_in_batch).
        self.writes = 0

    # Batches -----------------------------------------------------------------------------------

    def batch(self) -> AbstractAsyncContextManager[PendingChanges]:
        """Join the open batch, or run one that ends with this block."""
        if (pending := self.repos.sync.pending) is not None:
            return _Joined(pending)
        return self._own_batch()

    @asynccontextmanager
    async def _own_batch(self) -> AsyncIterator[PendingChanges]:
        try:
            async with changes(self.repos) as pending:
                yield pending
                await self.flush_rows()
        finally:
            self.forget()

    def operation(self) -> AbstractAsyncContextManager[PendingChanges]:
        """A public write: joins the open batch, or is a batch of its own, where the database
        refusing its rows (a uniqueness or reference rule) is the caller's 409. (Inside a
        batch, the batch's owner handles that.)"""
        if (pending := self.repos.sync.pending) is not None:
            return _Joined(pending)
        return self._own_operation()

    @asynccontextmanager
    async def _own_operation(self) -> AsyncIterator[PendingChanges]:
        try:
            async with self._own_batch() as pending:
                yield pending
        except IntegrityError as exc:
            raise integrity_error() from exc

    async def prefetch_children(self, spec: EntitySpec, parent_ids: Iterable[uuid.UUID]) -> None:
        """Read (and lock) the records inheriting visibility from these parents, one query per
        dependent entity, for ``_propagate`` to use instead of a query per parent (bulk
        assignment). The lists follow the batch's later writes (``_track``)."""
        for child_spec, column in dependents(spec.name):
            await self._fetch_children(spec, child_spec, column, parent_ids)

    async def _fetch_children(
        self, spec: EntitySpec, child_spec: EntitySpec, column: str, parent_ids: Iterable[uuid.UUID]
    ) -> None:
        """The children of these parents by one link, for those not read yet (one query)."""
        cache = self._children
        todo = [p for p in parent_ids if (spec.name, child_spec.name, column, p) not in cache]
        if not todo:
            return
        for parent_id in todo:
            cache[(spec.name, child_spec.name, column, parent_id)] = []
        only = child_spec.model.entity == spec.name if child_spec.name == "note" else None  # type: ignore[attr-defined]
        for child in await self.children(child_spec, column, todo, extra=only):
            cache[(spec.name, child_spec.name, column, getattr(child, column))].append(child)

    def _track(self, spec: EntitySpec, row: RecordBase) -> None:
        """A record of the batch was created or moved: add it to its parent's list of children,
        if that list was read (a list may still hold a child that moved away since:
        ``_propagate`` skips those, ``inherits_from``)."""
        if not self._children:
            return
        for entity, column in governing_links(spec.name):
            parent_id = getattr(row, column)
            if parent_id is None or (spec.name == "note" and getattr(row, "entity") != entity):  # noqa: B009
                continue
            kids = self._children.get((entity, spec.name, column, parent_id))
            if kids is not None and not any(kid is row for kid in kids):
                kids.append(row)

    def forget(self) -> None:
        """Drop the rows kept and staged: the batch ended, or a savepoint holding some of them
        rolled back."""
        self._children.clear()
        self._audience.known.clear()
        self._rows.clear()
        self._locked.clear()
        self._active.clear()
        self._new.clear()
        self._reindex.clear()

    async def flush_rows(self) -> None:
        """Write the new and changed record rows now (queries read the database, not the
        session). New rows go in table by table, referenced tables first: the unit of work
        orders tables only by relationship(), and these models have none. Changed rows go with
        the first of those flushes, in its (alphabetical) order; the rare change that points an
        existing row at a new one of a table sorting after it fails there, and
        ``each_in_batch`` then redoes its items one by one."""
        for table in _INSERT_ORDER:
            if rows := self._new.pop(table, None):
                for row in rows:
                    self.repos.records.stage(row)
                await self.repos.records.flush()
        await self.repos.records.flush()
        for entity, written in self._reindex.items():
            searchable = ENTITIES[entity].searchable
            added: list[tuple[uuid.UUID, str, str]] = []
            removed: list[tuple[uuid.UUID, str, str]] = []
            for record_id, (row, indexed) in written.items():
                now = _terms(searchable, row)
                added += [(record_id, field, term) for field, term in now - indexed]
                removed += [(record_id, field, term) for field, term in indexed - now]
            await self.repos.search.change(entity, added=added, removed=removed)
        self._reindex.clear()

    def _reindexed(self, spec: EntitySpec, row: RecordBase, indexed: Terms) -> None:
        """``row``'s searchable fields are being written; ``indexed``: its words in the index
        before (kept from the first write of the batch)."""
        self._reindex.setdefault(spec.name, {}).setdefault(row.id, (row, indexed))

    async def prefetch(
        self,
        wanted: Mapping[str, Iterable[uuid.UUID]],
        *,
        read_only: Mapping[str, Iterable[uuid.UUID]] | None = None,
    ) -> None:
        """Load, one query per entity, the records a batch of writes names, then the records
        their visibility comes from, so that the writes themselves query nothing. Those of
        ``wanted`` are locked (what the batch may write); those of ``read_only`` (say the parents
        its creates name) and the visibility parents are not: the batch holds the tenant clock,
        which every writer of the tenant takes first and keeps until commit, so no write to
        them can come between this read and the batch's commit (the REST path reads parents
        unlocked too, ``can_see``)."""
        todo = await self._load_many(wanted, lock=True)
        for entity, ids in (read_only or {}).items():
            todo.setdefault(entity, set()).update(ids)
        todo = self._unread(todo)
        while todo:
            todo = self._unread(await self._load_many(todo, lock=False))

    async def _load_many(
        self, wanted: Mapping[str, Iterable[uuid.UUID]], *, lock: bool
    ) -> dict[str, set[uuid.UUID]]:
        """Read these records (one query per entity), skipping those already read (locked, if
        ``lock``); returns the visibility parents of those found, by entity."""
        parents: dict[str, set[uuid.UUID]] = {}
        for entity, ids in wanted.items():
            spec = ENTITIES[entity]
            known = self._locked if lock else self._rows
            missing = {i for i in ids if (entity, i) not in known}
            if not missing:
                continue
            rows = await self.repos.records.get_many(spec, missing, for_update=lock)
            found = {r.id: r for r in rows}
            for record_id in missing:
                row = found.get(record_id)
                self._keep(spec, record_id, row, locked=lock)
                if row is not None and (parent := visibility_parent(spec, row)) is not None:
                    parents.setdefault(parent[0], set()).add(parent[1])
        return parents

    def _unread(self, wanted: Mapping[str, Iterable[uuid.UUID]]) -> dict[str, set[uuid.UUID]]:
        out = {e: {i for i in ids if (e, i) not in self._rows} for e, ids in wanted.items()}
        return {e: ids for e, ids in out.items() if ids}

    # Reads -------------------------------------------------------------------------------------

    def _keep(
        self, spec: EntitySpec, record_id: uuid.UUID, row: RecordBase | None, *, locked: bool
    ) -> None:
        key = (spec.name, record_id)
        self._rows[key] = row
        if locked:
            self._locked.add(key)

    async def _row(
        self, spec: EntitySpec, record_id: uuid.UUID, *, lock: bool
    ) -> RecordBase | None:
        key = (spec.name, record_id)
        if key in self._rows and (key in self._locked or not lock):
            return self._rows[key]
        row = await self.repos.records.get(spec, record_id, visible_to=None, for_update=lock)
        self._keep(spec, record_id, row, locked=lock)
        return row

    async def _parent(self, spec: EntitySpec, record_id: uuid.UUID) -> RecordBase | None:
        return await self._row(spec, record_id, lock=False)

    async def audience(self, spec: EntitySpec, row: RecordBase | None) -> frozenset[uuid.UUID]:
        return await self._audience.of(spec, row)

    async def can_see(self, spec: EntitySpec, record_id: uuid.UUID) -> bool:
        row = await self._row(spec, record_id, lock=False)
        return row is not None and await self._visible(spec, row)

    async def is_active_user(self, user_id: uuid.UUID) -> bool:
        if user_id not in self._active:
            user = await self.repos.users.get(user_id)
            self._active[user_id] = user is not None and user.is_active
        return self._active[user_id]

    async def _visible(self, spec: EntitySpec, row: RecordBase) -> bool:
        return self.visible_to is None or self.visible_to in await self.audience(spec, row)

    async def children(
        self,
        spec: EntitySpec,
        column: str,
        parent_ids: list[uuid.UUID],
        *,
        extra: ColumnElement[bool] | None = None,
    ) -> list[RecordBase]:
        """Locked records pointing at these parents, those staged in this batch included."""
        await self.flush_rows()
        rows = await self.repos.records.children(spec, column, parent_ids, extra=extra)
        for row in rows:
            self._keep(spec, row.id, row, locked=True)
        return rows

    async def load(self, spec: EntitySpec, record_id: uuid.UUID) -> RecordBase:
        """A record the actor may see (admins included: the normal rules), locked, else 404.
        Only inside a batch: the tenant clock is locked before any record row."""
        assert self.repos.sync.pending is not None, "load() runs inside a batch"
        row = await self._row(spec, record_id, lock=True)
        if row is None or not await self._visible(spec, row):
            raise not_found(spec.name)
        return row

    # Writes ------------------------------------------------------------------------------------

    async def create(
        self,
        spec: EntitySpec,
        data: dict[str, Any],
        origin: Origin = REST,
        record_id: uuid.UUID | None = None,
        *,
        conversion: bool = False,
    ) -> WriteResult:
        """``conversion``: the client made by converting a lead (its conversion fields may be
        set); nothing else may set them."""
        async with self.operation() as pending:
            values = validated_create(spec, data)
            if not conversion:
                check_conversion_fields(spec, values, {})
            await check_references(self, spec, values, values)
            record_id = record_id or uuid.uuid4()
            if await self._row(spec, record_id, lock=False) is not None:
                # The same answer whoever owns it: a caller can't probe for ids they can't see.
                raise integrity_error()
            self.writes += 1
            seq = pending.next_seq()
            stamp = now()
            row = new_row(
                spec,
                id=record_id,
                created_by=self.ctx.actor_id,
                created_at=stamp,
                updated_at=stamp,
                version=seq,
                field_dots=stamped_dots({}, list(values), seq, origin),
                **values,
            )
            self._new.setdefault(row.__tablename__, []).append(row)  # type: ignore[attr-defined]
            self._keep(spec, record_id, row, locked=True)
            self._track(spec, row)
            self._reindexed(spec, row, frozenset())
            # A record that did not exist had an empty audience, kept for a note naming its id.
            self._audience.known.clear()
            audience = await self.audience(spec, row)
            # A new record has no dependents yet: nothing to propagate.
            self._log(pending, spec, row.id, seq, "put", "create", list(values), origin, audience)
        return WriteResult(row, Outcome.APPLIED, seq)

    async def update(
        self,
        spec: EntitySpec,
        record_id: uuid.UUID,
        data: dict[str, Any],
        origin: Origin = REST,
        if_match: int | None = None,
    ) -> WriteResult:
        async with self.operation():
            row = await self.load(spec, record_id)
            check_version(spec, row, if_match)
            changes = validated_changes(spec, data)
            values = values_of(spec, row)
            check_conversion_fields(spec, changes, values)
            state = current_state(spec, row, values)
            decision = decide_update(spec.name, state, dots_of(row), changes, origin.context)
            merged = values | dict(decision.apply)
            check_merged(spec, merged)
            await check_references(self, spec, decision.apply, merged)
            self.check_reassignment(spec, row, decision.apply)
            check_not_unconverted(spec, row, decision.apply)
            return await self.apply(spec, row, decision, "update", origin)

    async def apply(
        self, spec: EntitySpec, row: RecordBase, decision: Decision, action: str, origin: Origin
    ) -> WriteResult:
        """Write a decided change: fields, seq, dots, change log, conflicts."""
        async with self.operation() as pending:
            self.writes += 1
            prev_audience = await self.audience(spec, row)  # as ``load`` found it, kept
            if not set(spec.searchable).isdisjoint(decision.apply):
                self._reindexed(spec, row, _terms(spec.searchable, row))
            for name, value in decision.apply.items():
                setattr(row, name, value)
            moved = not VISIBILITY_FIELDS.isdisjoint(decision.apply)
            if moved:  # this record's audience, and its dependents', may differ now
                self._audience.known.clear()
                self._track(spec, row)
            seq = None
            if decision.apply:
                seq = pending.next_seq()
                row.field_dots = stamped_dots(row.field_dots, list(decision.apply), seq, origin)
                row.version = seq
                row.updated_at = now()
                audience = await self.audience(spec, row) if moved else prev_audience
                fields = list(decision.apply)
                self._log(pending, spec, row.id, seq, "put", action, fields, origin, audience,
                          prev_audience)  # fmt: skip
                if audience != prev_audience:
                    await self._propagate(pending, spec, row.id, origin, prev_audience)
            conflict_id = await record_conflicts(
                self.repos, spec, row.id, decision, origin, seq or row.version
            )
        return WriteResult(row, decision.outcome, seq, conflict_id)

    async def trash(
        self,
        spec: EntitySpec,
        record_id: uuid.UUID,
        origin: Origin = REST,
        if_match: int | None = None,
    ) -> WriteResult:
        async with self.operation():
            row = await self.load(spec, record_id)
            check_version(spec, row, if_match)
            decision = decide_delete(
                spec.name,
                current_state(spec, row),
                dots_of(row),
                origin.context,
                deleted_at=now(),
            )
            return await self.apply(spec, row, decision, "delete", origin)

    async def restore(
        self, spec: EntitySpec, record_id: uuid.UUID, origin: Origin = REST
    ) -> WriteResult:
        async with self.operation():
            row = await self.load(spec, record_id)
            decision = decide_restore(
                spec.name,
                current_state(spec, row),
                dots_of(row),
                origin.context,
            )
            return await self.apply(spec, row, decision, "restore", origin)

    def check_reassignment(
        self, spec: EntitySpec, row: RecordBase, changes: Mapping[str, Any]
    ) -> None:
        """Only admins and the current owner may hand a record to someone else."""
        if "assigned_to" not in changes or self.ctx.is_admin:
            return
        owner = getattr(row, "assigned_to", None) or row.created_by
        if owner != self.ctx.actor_id:
            raise ApiError(
                ErrorCode.FORBIDDEN, f"Only an admin or the {spec.name}'s owner may reassign it"
            )

    def _log(
        self,
        pending: PendingChanges,
        spec: EntitySpec,
        record_id: uuid.UUID,
        seq: int,
        op: str,
        action: str,
        fields: list[str],
        origin: Origin,
        audience: frozenset[uuid.UUID],
        prev_audience: frozenset[uuid.UUID] = frozenset(),
    ) -> None:
        changed = sorted(fields)
        change = self._change(seq, spec.name, record_id, op, action, changed, origin)
        log_change(self.repos, pending, change, audience, prev_audience - audience)
        pending.activity_entry(
            {
                "user_id": self.ctx.user_id,
                "entity": spec.name,
                "record_id": record_id,
                "action": action,
                "fields": {"changed": changed},
                "seq": seq,
            }
        )

    def _change(
        self,
        seq: int,
        entity: str,
        record_id: uuid.UUID,
        op: str,
        action: str,
        fields: list[str],
        origin: Origin,
    ) -> dict[str, Any]:
        return {
            "seq": seq,
            "entity": entity,
            "record_id": record_id,
            "op": op,
            "action": action,
            "user_id": self.ctx.user_id,
            "client_id": origin.client_id,
            "mid": origin.mid,
            "fields": fields,
        }

    async def _propagate(
        self,
        pending: PendingChanges,
        spec: EntitySpec,
        record_id: uuid.UUID,
        origin: Origin,
        former: frozenset[uuid.UUID],
    ) -> None:
        """A record's audience moved: every record inheriting its visibility moves with it, so
        each gets a change (a put for its new audience, an eviction for whoever lost it). A child
        that inherits from this record had exactly this record's former audience."""
        for child_spec, column in dependents(spec.name):
            key = (spec.name, child_spec.name, column, record_id)
            if key not in self._children:
                # Read the children of every record of this entity the batch holds locked (it
                # may write them, reassignments included) in one query, not one per record.
                await self._fetch_children(spec, child_spec, column, self._held(spec, record_id))
            for child in tuple(self._children[key]):
                if self._rows.get((child_spec.name, child.id), child) is None:
                    continue  # purged in this batch
                if not inherits_from(child_spec, child, spec.name, record_id):
                    continue
                seq = pending.next_seq()
                child.version = seq
                audience = await self.audience(child_spec, child)
                change = self._change(seq, child_spec.name, child.id, "put", "visibility", [],
                                      origin)  # fmt: skip
                log_change(self.repos, pending, change, audience, former - audience)
                await self._propagate(pending, child_spec, child.id, origin, former)

    def _held(self, spec: EntitySpec, record_id: uuid.UUID) -> list[uuid.UUID]:
        """``record_id`` and the other records of its entity this batch holds locked."""
        held = [i for e, i in self._locked if e == spec.name and self._rows.get((e, i)) is not None]
        return [record_id, *(i for i in held if i != record_id)]

    async def purge(self, spec: EntitySpec, row: RecordBase) -> int:
        """Log the purge of ``row`` (to whoever could see it) and delete it."""
        async with self.operation() as pending:
            self.writes += 1
            seq = pending.next_seq()
            former = await self.audience(spec, row)
            self._log(pending, spec, row.id, seq, "delete", "purge", [], REST, frozenset(),
                      former)  # fmt: skip
            await self.flush_rows()  # children detached above must be written before the delete
            await self.repos.records.purge(spec, row.id)  # and its search words
            self._keep(spec, row.id, None, locked=True)
            self._audience.known.clear()
        return seq

    def progress(self) -> tuple[int, int]:
        """Changes when the writer stages anything: whether a failed write left something."""
        return self.writes, self.current_seq()

    def current_seq(self) -> int:
        """The tenant's seq as of now in the open batch."""
        assert self.repos.sync.pending is not None
        return self.repos.sync.pending.seq


class _Redo(Exception):
    """An item's result can't be told inside the batch: run the items one by one."""


async def each_in_batch(
    writer: RecordWriter,
    items: Sequence[T],
    write: Callable[[T], Awaitable[R]],
    refused: Callable[[T, ApiError], R],
    broken: Callable[[T, Exception], R] | None = None,
) -> list[R]:
    """``write`` each item inside the open batch, each all-or-nothing, at the cost of one
    savepoint for all of them.

    An item refused before it wrote anything (validation, visibility, ...) gets
    ``refused(item, error)`` and the others go on. Anything else — the database refusing a row,
    a failure after an item started writing — rolls the savepoint back and the items run again
    one per savepoint, which gives each the result it would have had alone: ``refused`` for an
    ``ApiError`` or a uniqueness/reference rule, ``broken`` for any other error (re-raised
    without it). Transient database errors are re-raised: nothing of the batch may commit.
    """
    pending = writer.repos.sync.pending
    assert pending is not None, "each_in_batch runs inside a batch"
    start = pending.mark()
    try:
        async with writer.repos.savepoint():
            results = [await _in_batch(writer, item, write, refused) for item in items]
            await writer.flush_rows()
        return results
    except (_Redo, IntegrityError, DataError) as exc:
        cause = exc.__cause__ if isinstance(exc, _Redo) else exc
        log.info("writes_one_by_one", items=len(items), cause=type(cause).__name__)
        pending.reset(start)
        writer.forget()
    return [await _alone(writer, pending, item, write, refused, broken) for item in items]


async def _in_batch(
    writer: RecordWriter,
    item: T,
    write: Callable[[T], Awaitable[R]],
    refused: Callable[[T, ApiError], R],
) -> R:
    before = writer.progress()
    try:
        return await write(item)
    except ApiError as exc:
        if writer.progress() != before:
            raise _Redo from exc
        return refused(item, exc)
    except (IntegrityError, DataError) as exc:
        raise _Redo from exc
    except DBAPIError:
        raise
    except Exception as exc:
        raise _Redo from exc


async def _alone(
    writer: RecordWriter,
    pending: PendingChanges,
    item: T,
    write: Callable[[T], Awaitable[R]],
    refused: Callable[[T, ApiError], R],
    broken: Callable[[T, Exception], R] | None,
) -> R:
    """One item in a savepoint of its own; if it rolls back, its staged changes go too."""
    start = pending.mark()
    try:
        async with writer.repos.savepoint():
            result = await write(item)
            await writer.flush_rows()
        return result
    except ApiError as exc:
        outcome = refused(item, exc)
    except (IntegrityError, DataError):
        outcome = refused(item, integrity_error())
    except DBAPIError:
        raise
    except Exception as exc:
        if broken is None:
            raise
        outcome = broken(item, exc)
    pending.reset(start)
    writer.forget()
    return outcome


def new_row(spec: EntitySpec, **values: Any) -> RecordBase:
    """A new record's row, its values placed in the instance's state as they are: the unit of
    work reads a new row's INSERT values from there either way (columns left out get their
    defaults), and the constructor's attribute events cost a few µs per column, most of a
    create's CPU. Later changes to the row are tracked as usual."""
    row: RecordBase = spec.model()
    row.__dict__.update(values)
    return row


def stamped_dots(
    stored: dict[str, Any] | None, fields: list[str], seq: int, origin: Origin
) -> dict[str, Any]:
    """``field_dots`` with ``fields`` stamped by this write's dot (``merge_dots`` on the stored
    JSON form: the other fields' dots are copied as they are, not parsed and written back)."""
    dot = Dot(seq, str(origin.client_id) if origin.client_id else None, origin.mid).to_json()
    return dict(stored or {}) | dict.fromkeys(fields, dot)


@cache
def _merged_model(spec: EntitySpec) -> type[BaseModel]:
    """The Create model with emails as plain text (see ``check_merged``)."""
    emails = {
        name: (str | None, None)
        for name, info in spec.create.model_fields.items()
        if info.annotation == EmailStr | None
    }
    name = spec.create.__name__.replace("Create", "Merged")
    model: type[BaseModel] = create_model(name, __base__=spec.create, **emails)  # type: ignore[call-overload]
    return model


def check_merged(spec: EntitySpec, merged: dict[str, Any]) -> None:
    """An update's result is a valid record: cross-field rules, and no required field nulled.
    Stored emails are not checked again (the email validator is a large part of a write's
    CPU): they were when written, and changed ones were by the Update model."""
    try:
        _merged_model(spec).model_validate(merged)
    except ValidationError as exc:
        raise validation_error(field_errors(exc)) from exc


def integrity_error() -> ApiError:
    """A uniqueness or reference rule of the database refused the write: the caller's input,
    not a server fault (409, never a 500 with the constraint's SQL)."""
    return ApiError(ErrorCode.CONFLICT, "The change breaks a uniqueness or reference rule")


# Set by converting a lead (services/lifecycle.py) and by nothing else: they are the trace of a
# conversion, which the converted-leads report and the lead's link to its client rely on.
CONVERSION_FIELDS = {
    "lead": ("converted_on", "converted_client_id"),
    "client": ("source_lead_id", "converted_on"),
}


def check_conversion_fields(
    spec: EntitySpec, changes: Mapping[str, Any], current: Mapping[str, Any]
) -> None:
    """Refuse a write that would change a conversion field (sending its current value is fine,
    so a form that sends a whole record back still saves)."""
    refused = [
        f
        for f in CONVERSION_FIELDS.get(spec.name, ())
        if f in changes and changes[f] != current.get(f)
    ]
    if refused:
        message = "set by converting a lead (POST /api/v1/leads/{id}/convert), not directly"
        raise validation_error({f: [message] for f in refused})


def check_not_unconverted(spec: EntitySpec, row: RecordBase, changes: Mapping[str, Any]) -> None:
    """A converted lead stays converted: its client exists and points back at it."""
    if (
        spec.name == "lead"
        and getattr(row, "lead_status", None) == "converted"
        and (changes.get("lead_status", "converted") != "converted")
    ):
        raise validation_error({"lead_status": ["a converted lead cannot change status"]})


def check_version(spec: EntitySpec, row: RecordBase, if_match: int | None) -> None:
    if if_match is not None and if_match != row.version:
        current = spec.read.model_validate(row).model_dump(mode="json")
        raise ApiError(
            ErrorCode.MODIFIED,
            f"The {spec.name} was changed by someone else",
            {"current": current},
        )


@cache
def dependents(entity: str) -> tuple[tuple[EntitySpec, str], ...]:
    """The records inheriting their visibility from ``entity`` (by the column naming it)."""
    out = [
        (s, p.field)
        for s in ENTITIES.values()
        for p in s.parents
        if p.entity == entity and p.governs_visibility
    ]
    if entity in ("lead", "client", "project"):
        out.append((ENTITIES["note"], "entity_id"))
    return tuple(out)


@cache
def governing_links(entity: str) -> tuple[tuple[str, str], ...]:
    """(parent entity, column) of each link through which ``entity`` may inherit visibility:
    ``dependents`` read the other way."""
    return tuple((parent, column) for parent in ENTITIES for s, column in dependents(parent)
                 if s.name == entity)  # fmt: skip


# The fields a record's audience depends on (its owners and the links it inherits through): a
# write changing none of them leaves every audience as it was.
VISIBILITY_FIELDS = frozenset({"created_by", "assigned_to", "entity", "entity_id"}) | {
    p.field for s in ENTITIES.values() for p in s.parents if p.governs_visibility
}


def inherits_from(spec: EntitySpec, row: RecordBase, entity: str, record_id: uuid.UUID) -> bool:
    return visibility_parent(spec, row) == (entity, record_id)
