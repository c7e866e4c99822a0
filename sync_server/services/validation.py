"""Validation shared by every write: schemas (Pydantic), then references inside the tenant."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from sync_server.db.repositories import Repositories
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


async def check_references(
    repos: Repositories,
    spec: EntitySpec,
    changed: Mapping[str, Any],
    merged: Mapping[str, Any],
    visible_to: uuid.UUID | None,
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
        parent = await repos.records.get(ENTITIES[entity], value, visible_to=visible_to)
        if parent is None:
            problems[field] = [f"no such {entity}"]
    if (assignee := changed.get("assigned_to")) is not None and not await _active_user(
        repos, assignee
    ):
        problems["assigned_to"] = ["no such active user"]
    if spec.name == "lead" and changed.get("lead_status") == "converted":
        problems["lead_status"] = ["use POST /api/v1/leads/{id}/convert to convert a lead"]
    if problems:
        raise validation_error(problems)


async def _active_user(repos: Repositories, user_id: uuid.UUID) -> bool:
    user = await repos.users.get(user_id)
    return user is not None and user.is_active
