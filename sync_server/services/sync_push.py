"""Push: apply a device's queued mutations, each all-or-nothing, idempotently (SYNC.md).

Every new mutation runs in a savepoint of the request's transaction, and the device's
``last_mutation_id`` advances in that same transaction, so a crash before commit applies nothing
and a retry after commit sees ``duplicate``. A mutation that fails is ``rejected`` with the error
shape and its mid is still consumed: one poison mutation never blocks a queue.
"""

from __future__ import annotations

import uuid
from typing import Any

import sentry_sdk
import structlog
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError

from conflict import Outcome, decide_update_of_missing
from sync_server.db.models import SyncClient
from sync_server.db.repositories import Repositories
from sync_server.entities import ENTITIES, EntitySpec
from sync_server.errors import ApiError, ErrorCode, validation_error
from sync_server.schemas.sync import Mutation, MutationResult, PushRequest, PushResponse
from sync_server.services import lifecycle
from sync_server.services.conflicts import record_conflicts
from sync_server.services.write_path import Origin, RecordWriter, WriteResult

log = structlog.get_logger("sync_server.sync")
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
    writer = RecordWriter(repos)
    await repos.clock.lock()  # before any record row: see ClockRepository
    current = await repos.clock.current()
    results = []
    consumed = last
    for m in req.mutations:
        if m.mid <= last:
            results.append(MutationResult(mid=m.mid, status="duplicate", seq=None))
            continue
        results.append(await _run(writer, m, req.client_id, current))
        consumed = m.mid
    # Same transaction as every effect above: one UPDATE instead of one per mutation.
    client.last_mutation_id = consumed
    await repos.sync.touch(client)
    return PushResponse(
        results=results, last_mutation_id=client.last_mutation_id, seq=await repos.clock.current()
    )


async def _run(
    writer: RecordWriter, m: Mutation, client_id: uuid.UUID, current: int
) -> MutationResult:
    # A device can't have seen the future: clamp so a bogus base_seq can't skip conflict checks.
    origin = Origin(client_id, m.mid, min(m.base_seq, current), m.client_time)
    try:
        async with writer.repos.savepoint():
            result = await apply_mutation(writer, m, origin)
    except ApiError as exc:
        return MutationResult(mid=m.mid, status="rejected", seq=None, error=exc.body())
    except (IntegrityError, DataError):
        err = ApiError(ErrorCode.CONFLICT, "The change breaks a uniqueness or reference rule")
        return MutationResult(mid=m.mid, status="rejected", seq=None, error=err.body())
    except DBAPIError:
        # Transient database trouble (lost connection, deadlock, serialization): fail the whole
        # push so nothing commits and the device retries; consuming the mid would lose the edit.
        raise
    except Exception as exc:  # a bug must not wedge the device's queue; it is logged and reported
        log.exception("mutation_failed", mid=m.mid, entity=m.entity, op=m.op)
        sentry_sdk.capture_exception(exc)
        err = ApiError(ErrorCode.INTERNAL, "The server could not apply this change")
        return MutationResult(mid=m.mid, status="rejected", seq=None, error=err.body())
    status = str(result.outcome)
    return MutationResult(mid=m.mid, status=status, seq=result.seq, conflict_id=result.conflict_id)


def _spec(m: Mutation) -> EntitySpec:
    spec = ENTITIES.get(m.entity)
    if spec is None:
        raise validation_error({"entity": [f"unknown entity; known: {', '.join(ENTITIES)}"]})
    return spec


async def apply_mutation(writer: RecordWriter, m: Mutation, origin: Origin) -> WriteResult:
    spec = _spec(m)
    if m.op == "create":
        return await writer.create(spec, m.fields, origin, record_id=m.id)
    if m.op not in ("update", "delete", "restore", "convert"):
        raise validation_error({"op": ["must be one of create, update, delete, restore, convert"]})
    try:
        return await _on_existing(writer, spec, m, origin)
    except ApiError as exc:
        if exc.code is not ErrorCode.NOT_FOUND:
            raise
        if not await writer.repos.sync.was_purged_for(spec.name, m.id, writer.ctx.actor_id):
            raise
        return await _on_purged(writer, spec, m, origin)


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
    # Held as the fields the op would have set (conflict/lifecycle.py), so an admin can apply them.
    fields: dict[str, Any] = dict(m.fields)
    if m.op == "restore":
        fields = {"deleted_at": None}
    elif m.op == "convert":
        fields = {"lead_status": "converted", "converted_client_id": m.fields.get("client_id")}
    decision = decide_update_of_missing(spec.name, fields)
    seq = await writer.repos.clock.current()
    conflict_id = await record_conflicts(writer.repos, spec, m.id, decision, origin, seq)
    return WriteResult(None, decision.outcome, None, conflict_id)
