"""Admin bulk actions: assign, change status, move to Trash, for up to 500 ids at once.

Every id goes through the one write path (``RecordWriter``, whole tenant), so every change gets
a seq, dots and change-log rows like any other write: devices receive it by sync (evictions
included), and a device that edited the same record offline meets it as a conflict. A value that
is wrong for every id (a status outside the closed list, an assignee who is not an active user of
the tenant) refuses the whole request (422) before anything is written.

The ids run as one batch of the write path (``each_in_batch``: records and, for an assignment,
their children read and locked in one query per entity, seqs and log rows written once) in one
savepoint. An id refused before it wrote anything (another tenant's:
``not_found``; a converted lead's status) just fails alone. Should anything fail after an id
started writing, the savepoint rolls back and the ids run again one savepoint each: the results
are the same either way, only slower.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from sync_server.db.repositories import Repositories
from sync_server.entities import EntitySpec
from sync_server.errors import ApiError, validation_error
from sync_server.schemas.admin import BulkRequest
from sync_server.services.validation import validated_changes
from sync_server.services.write_path import RecordWriter, each_in_batch

# Statuses only a lifecycle operation sets (POST /leads/{id}/convert), never a plain update.
LIFECYCLE_STATUSES = {("lead", "converted")}

Action = Callable[[RecordWriter, uuid.UUID], Awaitable[Any]]


async def run(repos: Repositories, spec: EntitySpec, request: BulkRequest) -> list[dict[str, Any]]:
    action = await _action(repos, spec, request)
    writer = RecordWriter(repos, whole_tenant=True)
    async with writer.batch():  # locks the tenant clock before any record row
        await writer.prefetch({spec.name: request.ids})
        if request.action == "assign":  # each reassigned record's children move with it
            await writer.prefetch_children(spec, request.ids)

        async def write(record_id: uuid.UUID) -> dict[str, Any]:
            await action(writer, record_id)
            return {"id": record_id, "status": "ok"}

        return await each_in_batch(writer, request.ids, write, _failed)


def _failed(record_id: uuid.UUID, exc: ApiError) -> dict[str, Any]:
    return {"id": record_id, "status": "failed", "error": exc.body()}


async def _action(repos: Repositories, spec: EntitySpec, request: BulkRequest) -> Action:
    if request.action == "delete":
        if request.value is not None:
            raise validation_error({"value": ["delete takes no value"]})

        async def trash(writer: RecordWriter, record_id: uuid.UUID) -> Any:
            return await writer.trash(spec, record_id)

        return trash
    changes = await _changes(repos, spec, request.action, request.value)

    async def update(writer: RecordWriter, record_id: uuid.UUID) -> Any:
        return await writer.update(spec, record_id, dict(changes))

    return update


async def _changes(
    repos: Repositories, spec: EntitySpec, action: str, value: Any
) -> dict[str, Any]:
    field = "assigned_to" if action == "assign" else spec.status_field
    if field is None or field not in spec.fields:
        raise validation_error({"action": [f"{action} does not apply to {spec.path}"]})
    try:
        changes = validated_changes(spec, {field: value})
    except ApiError as exc:
        messages = [m for ms in exc.details.get("fields", {}).values() for m in ms]
        raise validation_error({"value": messages or ["invalid value"]}) from exc
    if action == "status" and (value is None or (spec.name, value) in LIFECYCLE_STATUSES):
        raise validation_error({"value": [f"{value} cannot be set by a bulk status change"]})
    if action == "assign" and value is not None:
        user = await repos.users.get(changes[field])
        if user is None or not user.is_active:
            raise validation_error({"value": ["no such active user"]})
    return changes
