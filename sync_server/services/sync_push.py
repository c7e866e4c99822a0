"""Push: apply a device's queued mutations, each all-or-nothing, idempotently (SYNC.md).

The mutations run in the request's transaction, and the device's ``last_mutation_id`` advances
in that same transaction, so a crash before commit applies nothing and a retry after commit sees
``duplicate``. A mutation that fails is ``rejected`` with the error shape and its mid is still
consumed: one poison mutation never blocks a queue.

The whole push is one batch of the write path (seqs, rows and log rows written once, records
read in one query per entity), its mutations applied by ``write_path.each_in_batch``: in one
savepoint while that can tell each mutation's result, else one savepoint per mutation.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import sentry_sdk
import structlog
from pydantic_core import to_jsonable_python
from sqlalchemy.exc import IntegrityError

from conflict import Outcome, decide_lost_access, decide_update_of_missing, policy_for
from conflict.merge import DELETED_AT
from sync_server.db.models import SyncClient
from sync_server.db.repositories import Repositories
from sync_server.entities import ENTITIES, EntitySpec
from sync_server.errors import ApiError, ErrorCode, validation_error
from sync_server.schemas.base import ErrorBody
from sync_server.schemas.sync import Mutation, MutationResult, PushRequest, PushResponse
from sync_server.services import lifecycle
from sync_server.services.conflicts import record_conflicts
from sync_server.services.validation import validated_changes
from sync_server.services.write_path import Origin, RecordWriter, WriteResult, each_in_batch

log = structlog.get_logger("sync_server.sync")
_KEPT = {"mid", "status", "seq", "conflict_id", "error"}  # of each result, for a replay
SUPPORTED_VERSIONS = frozenset({1})


def check_schema_version(version: int) -> None:
    if version not in SUPPORTED_VERSIONS:
        raise ApiError(
            ErrorCode.UPGRADE_REQUIRED,
            "This app version speaks a sync protocol the server does not support; update it "
            "(your pending changes are kept)",
            {"supported": sorted(SUPPORTED_VERSIONS), "got": version},
        )


async def device(
    repos: Repositories, client_id: uuid.UUID, user_agent: str | None, *, lock: bool = True
) -> SyncClient:
    """The device row, registered to the caller on first use; another user's device is refused.
    Push locks it, so two tabs of one device never apply the same queue twice."""
    client = await repos.sync.client(client_id, lock=lock)
    if client is None:
        client = await _register(repos, client_id, user_agent, lock=lock)
    check_owner(repos, client)
    return client


async def _register(
    repos: Repositories, client_id: uuid.UUID, user_agent: str | None, *, lock: bool
) -> SyncClient:
    """First use. A racing request of the same new device (a second tab, its first pull) may
    register it first: the insert then hits the key, and the row that request committed is
    read instead (still checked for its owner by the caller)."""
    try:
        async with repos.savepoint():
            return await repos.sync.register(client_id, user_agent)
    except IntegrityError:
        client = await repos.sync.client(client_id, lock=lock)
        if client is None:
            raise
        return client


def check_owner(repos: Repositories, client: SyncClient) -> None:
    if client.user_id != repos.ctx.actor_id:
        raise ApiError(ErrorCode.FORBIDDEN, "This client_id belongs to another user")


def check_no_gap(mutations: list[Mutation], last: int) -> None:
    fresh = [m.mid for m in mutations if m.mid > last]
    if fresh != list(range(last + 1, last + 1 + len(fresh))):
        raise ApiError(
            ErrorCode.MUTATION_GAP,
            "Mutations must follow last_mutation_id without gaps; resend from there",
            {"last_mutation_id": last},
        )


async def push(repos: Repositories, req: PushRequest, user_agent: str | None) -> PushResponse:
    check_schema_version(req.schema_version)
    client = await device(repos, req.client_id, user_agent)
    last = client.last_mutation_id
    check_no_gap(req.mutations, last)
    fresh = [m for m in req.mutations if m.mid > last]
    writer = RecordWriter(repos)
    async with writer.batch() as pending:  # locks the tenant clock before any record row
        # A device can't have seen the future: base_seq is clamped to the seq at the start, so
        # a bogus one can't skip conflict checks.
        origins = {
            m.mid: Origin(req.client_id, m.mid, min(m.base_seq, pending.base), m.client_time, m.op)
            for m in fresh
        }
        applied = await _apply_all(writer, fresh, origins)
    old = [m.mid for m in req.mutations if m.mid <= last]
    replayed = await _replayed(repos, req.client_id, old)
    results = [applied[m.mid] if m.mid > last else replayed[m.mid] for m in req.mutations]
    # Same transaction as every effect above: one UPDATE instead of one per mutation, and the
    # answers kept for a retry whose response is lost.
    client.last_mutation_id = fresh[-1].mid if fresh else last
    await repos.sync.touch(client)
    await repos.sync.save_results(
        req.client_id,
        [r.model_dump(include=_KEPT) for r in applied.values()],
    )
    return PushResponse(results=results, last_mutation_id=client.last_mutation_id, seq=pending.seq)


async def _replayed(
    repos: Repositories, client_id: uuid.UUID, mids: list[int]
) -> dict[int, MutationResult]:
    """``duplicate`` for mutations already processed, with what they did the first time."""
    first = await repos.sync.results_for(client_id, mids)
    out = {}
    for mid in mids:
        was = first.get(mid)
        out[mid] = MutationResult(
            mid=mid,
            status="duplicate",
            seq=None,
            original_status=was.status if was else None,
            conflict_id=was.conflict_id if was else None,
            error=ErrorBody.model_validate(was.error) if was and was.error else None,
        )
    return out


async def _apply_all(
    writer: RecordWriter, mutations: list[Mutation], origins: dict[int, Origin]
) -> dict[int, MutationResult]:
    targets, parents = _named(mutations)
    await writer.prefetch(targets, read_only=parents)

    async def write(m: Mutation) -> MutationResult:
        return _result(m, await apply_mutation(writer, m, origins[m.mid]))

    results = await each_in_batch(writer, mutations, write, _rejected, _broken)
    return {r.mid: r for r in results}


def _broken(m: Mutation, exc: Exception) -> MutationResult:
    """A bug must not wedge the device's queue: it is logged and reported, the mid consumed."""
    log.error("mutation_failed", mid=m.mid, entity=m.entity, op=m.op, exc_info=exc)
    sentry_sdk.capture_exception(exc)
    return _rejected(m, ApiError(ErrorCode.INTERNAL, "The server could not apply this change"))


def _rejected(m: Mutation, exc: ApiError) -> MutationResult:
    return MutationResult(mid=m.mid, status="rejected", seq=None, error=exc.body())


def _result(m: Mutation, result: WriteResult) -> MutationResult:
    status = str(result.outcome)
    return MutationResult(mid=m.mid, status=status, seq=result.seq, conflict_id=result.conflict_id)


def _named(
    mutations: list[Mutation],
) -> tuple[dict[str, set[uuid.UUID]], dict[str, set[uuid.UUID]]]:
    """The records a push names, by entity: its targets (which it may write: locked) and the
    parents in its fields (only read). ``prefetch`` loads them in one query per entity;
    anything else is read when needed."""
    targets: dict[str, set[uuid.UUID]] = {}
    out: dict[str, set[uuid.UUID]] = {}
    for m in mutations:
        spec = ENTITIES.get(m.entity)
        if spec is None:
            continue
        targets.setdefault(spec.name, set()).add(m.id)
        links = [(p.entity, m.fields.get(p.field)) for p in spec.parents]
        if spec.name == "note":
            links.append((str(m.fields.get("entity")), m.fields.get("entity_id")))
        if m.op == "convert":
            links.append(("client", m.fields.get("client_id")))
        for entity, value in links:
            if entity in ENTITIES and (record_id := _as_uuid(value)) is not None:
                out.setdefault(entity, set()).add(record_id)
    return targets, out


def _as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value is not None else None
    except ValueError:
        return None


def _spec(m: Mutation) -> EntitySpec:
    spec = ENTITIES.get(m.entity)
    if spec is None:
        raise validation_error({"entity": [f"unknown entity; known: {', '.join(ENTITIES)}"]})
    return spec


async def apply_mutation(writer: RecordWriter, m: Mutation, origin: Origin) -> WriteResult:
    spec = _spec(m)
    if m.op == "create":
        try:
            return await writer.create(spec, m.fields, origin, record_id=m.id)
        except ApiError as exc:
            if not await _parent_lost(writer, spec, m, exc):
                raise
            return await _hold_lost_access(writer, spec, m, origin)
    if m.op not in ("update", "delete", "restore", "convert"):
        raise validation_error({"op": ["must be one of create, update, delete, restore, convert"]})
    try:
        return await _on_existing(writer, spec, m, origin)
    except ApiError as exc:
        if exc.code is not ErrorCode.NOT_FOUND:
            raise
        if await writer.repos.sync.was_purged_for(spec.name, m.id, writer.ctx.actor_id):
            return await _on_purged(writer, spec, m, origin)
        if await _lost(writer, spec, m.id):
            return await _hold_lost_access(writer, spec, m, origin)
        if m.op == "update" and (held := await _held_create(writer, spec, m)) is not None:
            return held
        raise


async def _lost(writer: RecordWriter, spec: EntitySpec, record_id: uuid.UUID) -> bool:
    """The record exists, the user could see it once, and no longer can (reassigned away)."""
    repos = writer.repos
    return await repos.records.get(spec, record_id, visible_to=None) is not None and (
        await repos.sync.was_seen_by(spec.name, record_id, writer.ctx.actor_id)
    )


async def _parent_lost(writer: RecordWriter, spec: EntitySpec, m: Mutation, exc: ApiError) -> bool:
    """A create refused only because a parent it names is out of the user's reach now, though
    they saw it: e.g. an interaction logged offline on a client reassigned meanwhile."""
    problems = exc.details.get("fields", {}) if exc.code is ErrorCode.VALIDATION_ERROR else {}
    links = {p.field: p.entity for p in spec.parents}
    if spec.name == "note":
        links["entity_id"] = str(m.fields.get("entity"))
    if not problems or not set(problems) <= set(links):
        return False
    for field in problems:
        parent = ENTITIES.get(links[field])
        parent_id = _as_uuid(m.fields.get(field))
        if parent is None or parent_id is None or not await _lost(writer, parent, parent_id):
            return False
    return True


async def _held_create(writer: RecordWriter, spec: EntitySpec, m: Mutation) -> WriteResult | None:
    """An edit of a record whose create is held (``access``) joins it: the admin applies the
    record as the device has it now, and the edit is not refused for a record not made yet."""
    repos = writer.repos
    held = await repos.conflicts.held_create(spec.name, m.id, writer.ctx.actor_id)
    if held is None or await repos.records.get(spec, m.id, visible_to=None) is not None:
        return None
    changes = validated_changes(spec, dict(m.fields))  # refused as any edit would be
    fields = dict(held.fields)
    for name, value in to_jsonable_python(changes).items():
        entry = fields.get(name) or {"base": None, "server": None, "server_dot": None,
                                     "policy": str(policy_for(spec.name, name))}  # fmt: skip
        fields[name] = {**entry, "client": value}
    held.fields = fields  # a new dict: the JSON column sees the change
    await repos.conflicts.flush()
    return WriteResult(None, Outcome.CONFLICT, None, held.id)


async def _hold_lost_access(
    writer: RecordWriter, spec: EntitySpec, m: Mutation, origin: Origin
) -> WriteResult:
    """Kept in an ``access`` conflict for an admin, who may apply it (SYNC.md: never lost); a
    delete, restore or convert is held as the fields it would set and applied as that op."""
    decision = decide_lost_access(spec.name, _held_fields(m))
    seq = writer.current_seq()
    conflict_id = await record_conflicts(writer.repos, spec, m.id, decision, origin, seq)
    return WriteResult(None, decision.outcome, None, conflict_id)


async def _on_existing(
    writer: RecordWriter, spec: EntitySpec, m: Mutation, origin: Origin
) -> WriteResult:
    if m.op == "update":
        return await writer.update(spec, m.id, m.fields, origin)
    if m.op == "delete":
        return await writer.trash(spec, m.id, origin)
    if m.op == "restore":
        return await writer.restore(spec, m.id, origin)
    if spec.name != "lead":
        raise validation_error({"op": ["convert applies to leads only"]})
    target = m.fields.get("client_id")
    try:
        client_id = uuid.UUID(str(target)) if target else None
    except ValueError as exc:
        raise validation_error({"fields.client_id": ["not a valid UUID"]}) from exc
    return await lifecycle.convert(writer, m.id, client_id, origin)


async def _on_purged(
    writer: RecordWriter, spec: EntitySpec, m: Mutation, origin: Origin
) -> WriteResult:
    """A record purged while this device held it: a delete has converged; anything else is kept
    in an ``update_purged`` conflict, never dropped."""
    if m.op == "delete":
        return WriteResult(None, Outcome.APPLIED, None)
    decision = decide_update_of_missing(spec.name, _held_fields(m))
    seq = writer.current_seq()
    conflict_id = await record_conflicts(writer.repos, spec, m.id, decision, origin, seq)
    return WriteResult(None, decision.outcome, None, conflict_id)


def _held_fields(m: Mutation) -> dict[str, Any]:
    """What a held mutation would set (conflict/lifecycle.py), so an admin can see and apply it:
    its fields, or for a whole-record op the fields that op writes."""
    if m.op == "delete":
        return {DELETED_AT: m.client_time or datetime.now(UTC)}
    if m.op == "restore":
        return {DELETED_AT: None}
    if m.op == "convert":
        return {"lead_status": "converted", "converted_client_id": m.fields.get("client_id")}
    return dict(m.fields)
