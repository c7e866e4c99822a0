"""The admin conflict queue (SYNC.md "Conflicts for people"): list, detail, resolve.

Every resolution that changes a record goes through the one write path
(``RecordWriter(repos, whole_tenant=True)``, REST origin): a new seq, a change-log row for the
record's audience, so it reaches every device that may see the record. The conflict then
becomes ``resolved`` and is announced to the pushing user's devices (entity ``conflict``), so
their "waiting for review" mark clears.

**What a choice means.** ``choice`` names the side of the conflict's ``fields`` whose values are
live afterwards:

======================  ==========================  =========================================
status / kind           ``server``                  ``client``
======================  ==========================  =========================================
open, field             keep the live values        apply the device's held values
open, delete_update     keep the record as it is    the device's op: Trash the record (device
                                                    deleted), or restore it from Trash and apply
                                                    the device's values (device edited a record
                                                    someone trashed)
open, update_purged     discard (stays purged)      re-create the record, same id, from the
                                                    device's values (422 if incomplete)
open, convert           keep the lead               convert into the device's client id
open, access            discard (the user lost      apply the device's values (a held create:
                        access to the record)       create the record from them)
auto_resolved (LWW)     restore the loser: the      keep the device's value, live already
                        server's former values      (nothing written; marked resolved)
======================  ==========================  =========================================

In an auto_resolved conflict the device's value was applied (it arrived later) and the stored
``server`` value is the loser, so *restoring an auto-resolved loser is ``choice: "server"``*.
``custom`` applies the given ``fields``: only fields of the conflict, validated like any write;
for ``update_purged`` any field of the entity, on top of the device's values, to re-create it.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy.exc import IntegrityError

from sync_server.db.models import Client, Conflict, RecordBase
from sync_server.db.repositories import Repositories
from sync_server.db.repositories.conflicts import ConflictFilter
from sync_server.entities import ENTITIES, EntitySpec, record_title
from sync_server.errors import ApiError, ErrorCode, not_found, validation_error
from sync_server.http.parsing import validate
from sync_server.schemas.admin_conflicts import ConflictDetail, ConflictListQuery
from sync_server.schemas.conflicts import ConflictRead
from sync_server.services import lifecycle
from sync_server.services.records import serialize
from sync_server.services.sync_events import announce
from sync_server.services.write_path import RecordWriter

DELETED_AT = "deleted_at"
LIST_PARAMS: tuple[str, ...] = tuple(ConflictListQuery.model_fields)


# Listing ----------------------------------------------------------------------------------------


def parse_list_query(params: Mapping[str, str]) -> ConflictListQuery:
    if unknown := sorted(set(params) - set(LIST_PARAMS)):
        allowed = ", ".join(LIST_PARAMS)
        raise validation_error({n: [f"unknown parameter; allowed: {allowed}"] for n in unknown})
    query = validate(ConflictListQuery, dict(params))
    if query.entity is not None and query.entity not in ENTITIES:
        raise validation_error({"entity": [f"unknown entity; known: {', '.join(ENTITIES)}"]})
    if query.created_from and query.created_to and query.created_from > query.created_to:
        raise validation_error({"created_to": ["must not be before created_from"]})
    if query.cursor is not None:
        decode_cursor(query.cursor)  # a bad cursor is a 422 before any query runs
    return query


def _day_start(day: Any) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def encode_cursor(created_at: datetime, conflict_id: uuid.UUID) -> str:
    raw = json.dumps([created_at.astimezone(UTC).isoformat(), str(conflict_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(raw: str) -> tuple[datetime, uuid.UUID]:
    try:
        at, cid = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        created = datetime.fromisoformat(at)
        if created.tzinfo is None:
            raise ValueError("naive time")
        return created, uuid.UUID(cid)
    except (ValueError, TypeError) as exc:
        raise validation_error(
            {"cursor": ["invalid cursor (it must come from next_cursor)"]}
        ) from exc


def _filter(query: ConflictListQuery) -> ConflictFilter:
    return ConflictFilter(
        status=query.status,
        kind=query.kind,
        entity=query.entity,
        record_id=query.record_id,
        user_id=query.user_id,
        client_id=query.client_id,
        created_from=_day_start(query.created_from) if query.created_from else None,
        created_before=(
            _day_start(query.created_to + timedelta(days=1)) if query.created_to else None
        ),
    )


def read(conflict: Conflict) -> dict[str, Any]:
    data: dict[str, Any] = ConflictRead.model_validate(conflict).model_dump(mode="json")
    return data


async def list_conflicts(repos: Repositories, query: ConflictListQuery) -> dict[str, Any]:
    """One page of the whole tenant's conflicts, newest first, in the list envelope."""
    after = decode_cursor(query.cursor) if query.cursor else None
    page = await repos.conflicts.page(
        _filter(query), limit=query.limit, after=after, count=query.count
    )
    last = page.rows[-1] if page.rows else None
    body: dict[str, Any] = {
        "items": [read(c) for c in page.rows],
        "next_cursor": encode_cursor(last.created_at, last.id) if page.has_more and last else None,
        "limit": query.limit,
        "record_titles": {str(k): v for k, v in (await _titles(repos, page.rows)).items()},
    }
    if page.total is not None:
        body["total"] = page.total
    return body


async def _titles(repos: Repositories, rows: list[Conflict]) -> dict[uuid.UUID, str | None]:
    """The listed records' names (None for a record gone or never made): one read per entity
    on the page."""
    ids: dict[str, set[uuid.UUID]] = {}
    for conflict in rows:
        ids.setdefault(conflict.entity, set()).add(conflict.record_id)
    titles: dict[uuid.UUID, str | None] = {c.record_id: None for c in rows}
    for entity, record_ids in ids.items():
        if (spec := ENTITIES.get(entity)) is None:
            continue
        for row in await repos.records.get_many(spec, record_ids):
            titles[row.id] = record_title(entity, serialize(spec, row))
    return titles


# Detail -----------------------------------------------------------------------------------------


async def _conflict(repos: Repositories, conflict_id: uuid.UUID, *, lock: bool) -> Conflict:
    conflict = await repos.conflicts.get(conflict_id, lock=lock)
    if conflict is None:
        raise not_found("conflict")
    return conflict


def _spec(conflict: Conflict) -> EntitySpec:
    spec = ENTITIES.get(conflict.entity)
    if spec is None:  # only a corrupt row could name another entity
        raise ApiError(ErrorCode.CONFLICT, f"Unknown entity {conflict.entity!r} in this conflict")
    return spec


async def _record(repos: Repositories, spec: EntitySpec, record_id: uuid.UUID) -> RecordBase | None:
    return await repos.records.get(spec, record_id, visible_to=None)


def device_deleted(conflict: Conflict) -> bool:
    """For ``delete_update``: did the device delete (True) or edit a record someone else had
    trashed (False)? Conflicts keep the device's op; older rows (no op) are read from their
    values: a held delete carries no device values (every ``client`` is null)."""
    if conflict.op is not None:
        return conflict.op == "delete"
    return all(entry.get("client") is None for entry in conflict.fields.values())


_LOST_ACCESS = (
    "Discard the device's change: its user can no longer see the record (reassigned away after "
    "they saw it)."
)
_WHOLE_OPS = ("delete", "restore", "convert")


def _whole_op(conflict: Conflict) -> str | None:
    """A delete, restore or convert held as ``access``: applied as that op, not as values."""
    return conflict.op if conflict.kind == "access" and conflict.op in _WHOLE_OPS else None


def _held_names(conflict: Conflict) -> list[str]:
    return [f for f in conflict.fields if f != DELETED_AT]


def choices(conflict: Conflict) -> dict[str, str]:
    """What each choice would do for this conflict, in words for the admin UI."""
    if conflict.status == "resolved":
        return {}
    names = ", ".join(_held_names(conflict)) or "(none)"
    custom = f"Apply the values you give for: {names} (validated like any edit)."
    if conflict.status == "auto_resolved":
        steps = []
        if _held_names(conflict):
            steps.append(f"Restore the losing server-side values of: {names}")
        if DELETED_AT in conflict.fields:
            steps.append("Move the record back to Trash (the delete lost to a restore)")
        return {
            "server": "; ".join(steps) + "; this replaces the device's side, which won by LWW.",
            "client": "Keep the device's values, which are live now (nothing is written).",
            "custom": custom,
        }
    kind = conflict.kind
    if kind == "delete_update" and device_deleted(conflict):
        return {
            "server": "Keep the record as it is, with the edits made while the device deleted it.",
            "client": "Move the record to Trash, as the device asked.",
            "custom": custom + " The record stays out of Trash.",
        }
    if kind == "delete_update":
        return {
            "server": "Leave the record in Trash; the device's edits are discarded.",
            "client": f"Restore the record from Trash and apply the device's values of: {names}.",
            "custom": custom + " The record stays in Trash unless restored separately.",
        }
    if kind == "access" and (op := _whole_op(conflict)) is not None:
        target = conflict.fields.get("converted_client_id", {}).get("client")
        return {
            "server": _LOST_ACCESS,
            "client": {
                "delete": "Move the record to Trash, as the device asked, whoever it belongs "
                "to now.",
                "restore": "Restore the record from Trash, as the device asked.",
                "convert": "Convert the lead into a client, as the device asked"
                + (f" (client id {target})." if target else "."),
            }[op],
        }
    if kind == "access":
        return {
            "server": _LOST_ACCESS,
            "client": f"Apply the device's values of: {names} (or create the record, if it "
            "was a new one), whoever it belongs to now.",
            "custom": custom,
        }
    if kind == "update_purged":
        return {
            "server": "Discard the device's change; the record stays purged.",
            "client": "Re-create the record with the same id from the device's values "
            '(refused with 422 when they lack required fields: use "custom").',
            "custom": "Re-create the record from the device's values overlaid with the values "
            "you give (any field of the entity).",
        }
    if kind == "convert":
        target = conflict.fields.get("converted_client_id", {}).get("client")
        return {
            "server": "Keep the lead as it is (not converted by this device).",
            "client": f"Convert the lead into the client {target}, as the device asked.",
            "custom": custom,
        }
    return {
        "server": "Keep the live values; the device's values are discarded.",
        "client": f"Apply the device's values of: {names}.",
        "custom": custom,
    }


async def detail(repos: Repositories, conflict_id: uuid.UUID) -> dict[str, Any]:
    return await _detail(repos, await _conflict(repos, conflict_id, lock=False))


async def _detail(repos: Repositories, conflict: Conflict) -> dict[str, Any]:
    spec = _spec(conflict)
    row = await _record(repos, spec, conflict.record_id)
    live = serialize(spec, row) if row is not None else None
    current = {f: live.get(f) for f in conflict.fields} if live is not None else None
    recorded = conflict.resolution.get("previous_status", conflict.status)
    winner = "client" if recorded == "auto_resolved" else "server"
    user = await repos.users.get(conflict.user_id) if conflict.user_id else None
    client = await repos.sync.client(conflict.client_id, lock=False) if conflict.client_id else None
    data = read(conflict) | {
        "user": None
        if conflict.user_id is None
        else {
            "id": conflict.user_id,
            "email": user.email if user else None,
            "name": user.name if user else None,
        },
        "device": None
        if conflict.client_id is None
        else {
            "client_id": conflict.client_id,
            "user_agent": client.user_agent if client else None,
            "last_seen_at": client.last_seen_at if client else None,
            "registered_at": client.created_at if client else None,
        },
        "pushed_at": conflict.created_at,
        "edited_at": conflict.client_time,
        "record": {
            "title": record_title(conflict.entity, live),
            "exists": row is not None,
            "version": row.version if row is not None else None,
            "deleted_at": row.deleted_at if row is not None else None,
        },
        "current": current,
        "field_views": {
            name: {
                "base": entry.get("base"),
                "server": entry.get("server"),
                "client": entry.get("client"),
                "current": current.get(name) if current is not None else None,
                "policy": entry.get("policy"),
                "winner": winner,
            }
            for name, entry in conflict.fields.items()
        },
        "choices": choices(conflict),
    }
    body: dict[str, Any] = ConflictDetail.model_validate(data).model_dump(mode="json")
    return body


# Resolution -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Applied:
    action: str  # keep | update | trash | restore | recreate | convert | restore_loser
    fields: dict[str, Any]


KEEP = Applied("keep", {})


async def resolve(
    repos: Repositories, conflict_id: uuid.UUID, choice: str, fields: Mapping[str, Any]
) -> dict[str, Any]:
    """Resolve one conflict; returns its detail afterwards."""
    conflict = await resolve_conflict(repos, conflict_id, choice, fields)
    return await _detail(repos, conflict)


async def resolve_conflict(
    repos: Repositories, conflict_id: uuid.UUID, choice: str, fields: Mapping[str, Any]
) -> Conflict:
    writer = RecordWriter(repos, whole_tenant=True)
    # One batch, the tenant clock locked first: no other write comes between what ``_apply``
    # reads and what it writes, and the conflict row is locked after the clock, as a push does
    # (it locks held conflicts under the clock): the other order could deadlock with it.
    async with writer.operation() as pending:
        conflict = await _conflict(repos, conflict_id, lock=True)
        _resolvable(conflict, choice, fields)
        before = pending.seq
        applied = await _apply(writer, _spec(conflict), conflict, choice, dict(fields))
    changed = pending.seq > before
    previous = conflict.status
    conflict.status = "resolved"
    conflict.resolved_at = datetime.now(UTC)
    conflict.resolved_by = repos.ctx.actor_id
    conflict.resolution = {
        "choice": choice,
        "action": applied.action if changed else "keep",
        "fields": to_jsonable_python(applied.fields) if changed else {},
        "seq": pending.seq if changed else None,
        "previous_status": previous,
    }
    await repos.conflicts.flush()
    if conflict.user_id is not None:
        # The pushing user's devices hold the conflict as "waiting for review": tell them.
        await announce(repos, "conflict", conflict.id, [conflict.user_id])
    return conflict


def _resolvable(conflict: Conflict, choice: str, fields: Mapping[str, Any]) -> None:
    if conflict.status == "resolved":
        raise ApiError(
            ErrorCode.CONFLICT,
            "This conflict is already resolved",
            {
                "resolved_at": to_jsonable_python(conflict.resolved_at),
                "resolved_by": str(conflict.resolved_by) if conflict.resolved_by else None,
                "resolution": conflict.resolution,
            },
        )
    if choice != "custom" and fields:
        raise validation_error({"fields": ['only with choice "custom"']})
    if choice == "custom" and not fields:
        raise validation_error({"fields": ['give the values to apply with choice "custom"']})


async def _apply(
    writer: RecordWriter,
    spec: EntitySpec,
    conflict: Conflict,
    choice: str,
    fields: dict[str, Any],
) -> Applied:
    if conflict.status == "auto_resolved":
        return await _auto_resolved(writer, spec, conflict, choice, fields)
    if choice == "server":
        return KEEP  # open: the server side is what is live
    op = _whole_op(conflict)
    if op is not None and choice == "custom":
        raise validation_error({"choice": [f'a held {op} has no values: "client" or "server"']})
    found = await _record(writer.repos, spec, conflict.record_id)
    if conflict.kind == "update_purged" or (conflict.kind == "access" and found is None and not op):
        # a purged record, or an ``access`` create that never happened: (re-)create it
        return await _recreate(writer, spec, conflict, choice, fields, exists=found is not None)
    row = _present(spec, found)
    if op is not None:
        return await _held_op(writer, spec, conflict, op, row)
    if choice == "custom":
        return await _update(writer, spec, conflict, _custom(conflict, fields))
    if conflict.kind == "delete_update":
        return await _delete_update(writer, spec, conflict, row)
    if conflict.kind == "convert":
        return await _convert(writer, conflict)
    return await _update(writer, spec, conflict, _side(conflict, "client"))


def _side(conflict: Conflict, side: str) -> dict[str, Any]:
    return {f: e.get(side) for f, e in conflict.fields.items() if f != DELETED_AT}


def _custom(conflict: Conflict, fields: dict[str, Any]) -> dict[str, Any]:
    allowed = _held_names(conflict)
    if unknown := sorted(set(fields) - set(allowed)):
        message = f"not part of this conflict; allowed: {', '.join(allowed) or '(none)'}"
        raise validation_error({f"fields.{name}": [message] for name in unknown})
    return fields


async def _existing(writer: RecordWriter, spec: EntitySpec, conflict: Conflict) -> RecordBase:
    return _present(spec, await _record(writer.repos, spec, conflict.record_id))


def _present(spec: EntitySpec, row: RecordBase | None) -> RecordBase:
    if row is None:
        raise ApiError(
            ErrorCode.CONFLICT,
            f'The {spec.name} no longer exists (purged); only choice "server" can close this '
            "conflict",
        )
    return row


async def _update(
    writer: RecordWriter, spec: EntitySpec, conflict: Conflict, values: dict[str, Any]
) -> Applied:
    if not values:
        return KEEP
    await writer.update(spec, conflict.record_id, values)
    return Applied("update", values)


async def _auto_resolved(
    writer: RecordWriter,
    spec: EntitySpec,
    conflict: Conflict,
    choice: str,
    fields: dict[str, Any],
) -> Applied:
    """The device's values won by last-writer-wins and are live: ``client`` keeps them,
    ``server`` restores the losers (a lost delete is re-done by moving the record to Trash)."""
    if choice == "client":
        return KEEP
    row = await _existing(writer, spec, conflict)
    if choice == "custom":
        return await _update(writer, spec, conflict, _custom(conflict, fields))
    losers = _side(conflict, "server")
    await _update(writer, spec, conflict, losers)
    lost_delete = conflict.fields.get(DELETED_AT, {}).get("server")
    if lost_delete is not None and row.deleted_at is None:
        result = await writer.trash(spec, conflict.record_id)
        assert result.row is not None
        losers[DELETED_AT] = result.row.deleted_at
    return Applied("restore_loser", losers)


async def _delete_update(
    writer: RecordWriter, spec: EntitySpec, conflict: Conflict, row: RecordBase
) -> Applied:
    if device_deleted(conflict):
        return await _trash(writer, spec, conflict, row)
    restored = row.deleted_at is not None
    if restored:
        await writer.restore(spec, conflict.record_id)
    values = _side(conflict, "client")
    await _update(writer, spec, conflict, values)
    return Applied(
        "restore" if restored else "update", values | ({DELETED_AT: None} if restored else {})
    )


async def _trash(
    writer: RecordWriter, spec: EntitySpec, conflict: Conflict, row: RecordBase
) -> Applied:
    if row.deleted_at is not None:
        return KEEP  # in Trash already: what the device wanted holds
    result = await writer.trash(spec, conflict.record_id)
    assert result.row is not None
    return Applied("trash", {DELETED_AT: result.row.deleted_at})


async def _held_op(
    writer: RecordWriter, spec: EntitySpec, conflict: Conflict, op: str, row: RecordBase
) -> Applied:
    """Apply a held delete, restore or convert to the record as it is now."""
    if op == "convert":
        return await _convert(writer, conflict)
    if op == "delete":
        return await _trash(writer, spec, conflict, row)
    if row.deleted_at is None:
        return KEEP  # out of Trash already
    await writer.restore(spec, conflict.record_id)
    return Applied("restore", {DELETED_AT: None})


async def _convert(writer: RecordWriter, conflict: Conflict) -> Applied:
    raw = conflict.fields.get("converted_client_id", {}).get("client")
    try:
        client_id = uuid.UUID(str(raw)) if raw else None
    except ValueError:
        client_id = None
    result = await lifecycle.convert(writer, conflict.record_id, client_id)
    if not isinstance(result.row, Client):  # cannot happen for a REST-origin conversion
        raise ApiError(ErrorCode.CONFLICT, "The lead could not be converted")
    return Applied("convert", {"converted_client_id": result.row.id})


async def _recreate(
    writer: RecordWriter,
    spec: EntitySpec,
    conflict: Conflict,
    choice: str,
    fields: dict[str, Any],
    *,
    exists: bool,
) -> Applied:
    """``update_purged``: re-create the record under its old id from the device's values
    (``client``), or from them overlaid with the admin's values (``custom``)."""
    if exists:
        raise ApiError(
            ErrorCode.CONFLICT,
            f'The {spec.name} exists again; resolve with choice "server" and edit the record',
        )
    values = _side(conflict, "client")
    if choice == "custom":
        if unknown := sorted(set(fields) - set(spec.fields)):
            allowed = ", ".join(spec.fields)
            raise validation_error(
                {
                    f"fields.{n}": [f"not a field of {spec.name}; allowed: {allowed}"]
                    for n in unknown
                }
            )
        values |= fields
        await writer.create(spec, values, record_id=conflict.record_id)
        return Applied("recreate", values)
    try:
        await writer.create(spec, values, record_id=conflict.record_id)
    except ApiError as exc:
        if exc.code is not ErrorCode.VALIDATION_ERROR:
            raise
        raise ApiError(
            ErrorCode.VALIDATION_ERROR,
            f"The device's values do not make a valid {spec.name}; resolve with choice "
            '"custom" and give the missing or corrected fields',
            exc.details,
        ) from exc
    return Applied("recreate", values)


async def bulk_resolve(
    repos: Repositories, ids: Iterable[uuid.UUID], choice: str
) -> list[dict[str, Any]]:
    """Resolve each conflict in a savepoint of its own: one failure leaves the others be."""
    results: list[dict[str, Any]] = []
    for conflict_id in dict.fromkeys(ids):
        try:
            async with repos.savepoint():
                await resolve_conflict(repos, conflict_id, choice, {})
        except ApiError as exc:
            results.append({"id": conflict_id, "status": "failed", "error": exc.body()})
            continue
        except IntegrityError:
            err = ApiError(ErrorCode.CONFLICT, "The change breaks a uniqueness or reference rule")
            results.append({"id": conflict_id, "status": "failed", "error": err.body()})
            continue
        results.append({"id": conflict_id, "status": "resolved", "error": None})
    return results
