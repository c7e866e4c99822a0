"""Purge (hard delete from Trash) and lead -> client conversion, on top of the write path.

Purging a record purges the children that only exist through it (accounts, subscriptions,
contacts, interactions and notes of a client; contacts, interactions and notes of a lead; notes of
a project) and *detaches* the records that stand on their own (a project loses its client_id or
lead_id; an interaction loses its project_id): a project has its own owner and worth, and an
interaction belongs to its client or lead, so neither should vanish with a link.

What purges reach is read for all of them at once (``read_reach``: one query per child entity and
link, not per record), so a bulk purge costs its deletes, not a round of reads per item.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from conflict import Decision, Outcome
from conflict.lifecycle import decide_convert
from sync_server.db.models import RecordBase
from sync_server.entities import ENTITIES, EntitySpec
from sync_server.errors import ApiError, ErrorCode, not_found
from sync_server.services.write_path import (
    REST,
    Origin,
    RecordWriter,
    WriteResult,
    dots_of,
    values_of,
)

# Purged with the parent they hang off (by any column but project_id); the rest are detached.
_PURGE_CHILD = {"account", "subscription", "contact", "interaction", "note"}

CONVERTED_FIELDS = (
    "name",
    "contact_person",
    "contact_title",
    "email",
    "phone",
    "phone_label",
    "secondary_phone",
    "secondary_phone_label",
    "address",
    "city",
    "state",
    "zip",
    "notes",
    "business_type",
    "assigned_to",
)


# (child entity, column, parent id) -> the ids of the children a purge of that parent reaches.
# Ids, not rows: should the batch's savepoint roll back (``each_in_batch``), the rows it changed
# are expired, and each item reads its rows again through the writer.
Reach = dict[tuple[str, str, uuid.UUID], list[uuid.UUID]]


async def purge(
    writer: RecordWriter, spec: EntitySpec, record_id: uuid.UUID, reach: Reach | None = None
) -> None:
    """Admin purge of a trashed record, by a whole-tenant writer (admin Trash sees everything).
    The tenant clock is locked first (the batch), then the record: the one lock order of every
    write. ``reach``: what ``read_reach`` found for a batch of purges naming this record."""
    assert writer.visible_to is None, "purge needs a whole-tenant writer"
    async with writer.operation():
        if reach is None:
            reach = await read_reach(writer, {spec.name: [record_id]})
        row = await _in_trash(writer, spec, record_id)
        if row is None:
            raise not_found(f"{spec.name} in Trash")
        await _purge_row(writer, spec, row, reach)


async def read_reach(writer: RecordWriter, wanted: Mapping[str, Iterable[uuid.UUID]]) -> Reach:
    """Inside a batch: load and lock the records named for purging (one query per entity), then
    everything their purges reach, one query per (child entity, column) for each level of
    children rather than one per record."""
    await writer.prefetch(wanted)
    level: dict[str, dict[uuid.UUID, RecordBase]] = {}
    for entity, ids in wanted.items():
        for record_id in ids:
            if (row := await _in_trash(writer, ENTITIES[entity], record_id)) is not None:
                level.setdefault(entity, {})[record_id] = row
    reach: Reach = {}
    while level:
        below: dict[str, dict[uuid.UUID, RecordBase]] = {}
        for entity, rows in level.items():
            for child_spec, column in _links_to(entity):
                for parent_id in rows:
                    reach[(child_spec.name, column, parent_id)] = []
                for child in await _children_of(writer, child_spec, column, entity, list(rows)):
                    reach[(child_spec.name, column, getattr(child, column))].append(child.id)
                    if _purges(child_spec, column):
                        below.setdefault(child_spec.name, {})[child.id] = child
        level = below
    return reach


async def _in_trash(
    writer: RecordWriter, spec: EntitySpec, record_id: uuid.UUID
) -> RecordBase | None:
    """The record, locked, if it exists and is in Trash."""
    row = await _existing(writer, spec, record_id)
    return row if row is not None and row.deleted_at is not None else None


async def _existing(
    writer: RecordWriter, spec: EntitySpec, record_id: uuid.UUID
) -> RecordBase | None:
    """The record, locked, unless there is none (or it was purged in this batch): the writer's
    row once read, else one query."""
    if not await writer.can_see(spec, record_id):  # whole tenant: False only if there is none
        return None
    return await writer.load(spec, record_id)


async def _children_of(
    writer: RecordWriter, spec: EntitySpec, column: str, parent: str, ids: list[uuid.UUID]
) -> list[RecordBase]:
    only = spec.model.entity == parent if spec.name == "note" else None  # type: ignore[attr-defined]
    return await writer.children(spec, column, ids, extra=only)


async def _purge_row(writer: RecordWriter, spec: EntitySpec, row: RecordBase, reach: Reach) -> None:
    for child_spec, column in _links_to(spec.name):
        for child_id in reach[(child_spec.name, column, row.id)]:
            child = await _existing(writer, child_spec, child_id)
            if child is None:
                continue  # purged already, with another record of the batch it also hung off
            if _purges(child_spec, column):
                await _purge_row(writer, child_spec, child, reach)
            else:
                await writer.apply(child_spec, child, _detach(column), "detach", REST)
    await writer.purge(spec, row)


def _purges(child: EntitySpec, column: str) -> bool:
    """Purged with its parent, or else detached from it."""
    return child.name in _PURGE_CHILD and column != "project_id"


def _links_to(entity: str) -> list[tuple[EntitySpec, str]]:
    out = [(s, p.field) for s in ENTITIES.values() for p in s.parents if p.entity == entity]
    if entity in ("lead", "client", "project"):
        out.append((ENTITIES["note"], "entity_id"))
    return out


def _detach(column: str) -> Decision:
    return Decision(Outcome.APPLIED, {column: None}, (), (), None)


async def convert(
    writer: RecordWriter,
    lead_id: uuid.UUID,
    client_id: uuid.UUID | None,
    origin: Origin = REST,
) -> WriteResult:
    """Lead -> client, atomically: the client gets the lead's fields, the lead's contacts and
    interactions move to it, and the lead becomes ``converted`` pointing at it."""
    async with writer.operation():
        return await _convert(writer, lead_id, client_id, origin)


async def _convert(
    writer: RecordWriter, lead_id: uuid.UUID, client_id: uuid.UUID | None, origin: Origin
) -> WriteResult:
    leads, clients = ENTITIES["lead"], ENTITIES["client"]
    lead = await writer.load(leads, lead_id)
    dots = dots_of(lead)
    # Refusals are for a writer who saw the lead trashed or converted (REST always has). A
    # device that converted offline while someone else trashed or converted it made a
    # concurrent change: decide_convert holds it in a CONVERT conflict (or converges on a
    # replay), so the device's conversion is never silently dropped (SYNC.md).
    seen = origin.context.has_seen
    if lead.deleted_at is not None and seen(dots.get("deleted_at")):
        raise ApiError(ErrorCode.CONFLICT, "Restore the lead from Trash before converting it")
    if lead.lead_status == "converted" and seen(dots.get("lead_status")):  # type: ignore[attr-defined]
        raise ApiError(
            ErrorCode.ALREADY_CONVERTED,
            "This lead is already converted",
            {"client_id": str(lead.converted_client_id)},  # type: ignore[attr-defined]
        )
    client_id = client_id or uuid.uuid4()
    stamp = datetime.now(UTC)
    decision = decide_convert(
        values_of(leads, lead),
        dots,
        origin.context,
        client_id=str(client_id),
        converted_on=stamp,
    )
    if decision.held or not decision.apply:  # held, or a replay that has converged
        return await writer.apply(leads, lead, decision, "convert", origin)
    data = {f: getattr(lead, f) for f in CONVERTED_FIELDS}
    data.update(status="active", source_lead_id=lead.id, converted_on=stamp)
    created = await writer.create(clients, data, origin, record_id=client_id, conversion=True)
    await _move_children(writer, lead.id, client_id, origin)
    apply = dict(decision.apply) | {"converted_client_id": client_id}
    await writer.apply(leads, lead, _with(decision, apply), "convert", origin)
    return created


async def _move_children(
    writer: RecordWriter, lead_id: uuid.UUID, client_id: uuid.UUID, origin: Origin
) -> None:
    for name in ("contact", "interaction"):
        spec = ENTITIES[name]
        for child in await writer.children(spec, "lead_id", [lead_id]):
            move = Decision(
                Outcome.APPLIED, {"lead_id": None, "client_id": client_id}, (), (), None
            )
            await writer.apply(spec, child, move, "convert", origin)


def _with(decision: Decision, apply: dict[str, Any]) -> Decision:
    return Decision(decision.outcome, apply, decision.auto_resolved, (), None)
