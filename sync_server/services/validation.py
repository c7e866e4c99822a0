"""Validation shared by every write: schemas (Pydantic), then references inside the tenant."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, Protocol

from pydantic import ValidationError

from sync_server.entities import ENTITIES, EntitySpec
from sync_server.errors import validation_error
from sync_server.http.parsing import field_errors


def validated_create(spec: EntitySpec, data: dict[str, Any]) -> dict[str, Any]:
    try:
        return spec.create.model_validate(data).model_dump()
    except ValidationError as exc:
        raise validation_error(field_errors(exc)) from exc


def validated_changes(spec: EntitySpec, data: dict[str, Any]) -> dict[str, Any]:
    try:
        return spec.update.model_validate(data).model_dump(exclude_unset=True)
    except ValidationError as exc:
        raise validation_error(field_errors(exc)) from exc


class References(Protocol):
    """How the write path answers reference questions (from the rows it has already read)."""

    async def can_see(self, spec: EntitySpec, record_id: uuid.UUID) -> bool: ...

    async def is_active_user(self, user_id: uuid.UUID) -> bool: ...


async def check_references(
    refs: References,
    spec: EntitySpec,
    changed: Mapping[str, Any],
    merged: Mapping[str, Any],
) -> None:
    """Parents must be records the actor may see; assignees active users of the tenant.

    An invisible parent answers exactly like a missing one, so ids never leak.
    """
    problems: dict[str, list[str]] = {}
    targets = [(p.field, p.entity) for p in spec.parents]
    if spec.name == "note" and {"entity", "entity_id"} & changed.keys():
        targets.append(("entity_id", str(merged["entity"])))
        changed = {**changed, "entity_id": merged["entity_id"]}
    for field, entity in targets:
        value = changed.get(field)
        if value is None:
            continue
        if not await refs.can_see(ENTITIES[entity], value):
            problems[field] = [f"no such {entity}"]
    if (assignee := changed.get("assigned_to")) is not None and not await refs.is_active_user(
        assignee
    ):
        problems["assigned_to"] = ["no such active user"]
    if spec.name == "lead" and changed.get("lead_status") == "converted":
        problems["lead_status"] = ["use POST /api/v1/leads/{id}/convert to convert a lead"]
    if problems:
        raise validation_error(problems)
