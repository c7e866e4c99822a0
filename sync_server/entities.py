"""The per-entity descriptions that drive the one generic record machinery.

Each CRM record type is described once here (table, schemas, parents, visibility rule, what lists
may sort, filter and search on). REST lists, the write path, Trash, sync and reports read these
descriptions instead of carrying code per entity.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from sync_server.db.models import (
    Account,
    Client,
    Contact,
    Interaction,
    Lead,
    Note,
    Project,
    RecordBase,
    Subscription,
)
from sync_server.schemas.base import Strict
from sync_server.schemas.records import CREATE_MODELS, READ_MODELS, UPDATE_MODELS


class Rule(StrEnum):
    """Visibility rules of API.md (implemented in db/repositories/visibility.py)."""

    OWNED = "owned"  # creator or assignee (lead, client)
    PROJECT = "project"  # own assignment, else parent client/lead, else creator
    CHILD = "child"  # follows its client or lead
    NOTE = "note"  # follows the record named by entity/entity_id


@dataclass(frozen=True, slots=True)
class Parent:
    field: str  # column holding the parent id
    entity: str  # parent entity name
    governs_visibility: bool = True  # False: a plain link (an interaction's project)


@dataclass(frozen=True, slots=True)
class EntitySpec:
    name: str
    path: str
    model: type[RecordBase]
    rule: Rule
    parents: tuple[Parent, ...] = ()
    sortable: tuple[str, ...] = ("created_at", "updated_at")
    filterable: tuple[str, ...] = ("created_by",)
    searchable: tuple[str, ...] = ()
    status_field: str | None = None
    in_trash_ui: bool = False

    @property
    def create(self) -> type[Strict]:
        return CREATE_MODELS[self.name]

    @property
    def update(self) -> type[Strict]:
        return UPDATE_MODELS[self.name]

    @property
    def read(self) -> type[BaseModel]:
        return READ_MODELS[self.name]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.create.model_fields)


_CONTACT_SEARCH = ("name", "contact_person", "email", "phone", "city")

ENTITIES: dict[str, EntitySpec] = {
    s.name: s
    for s in (
        EntitySpec(
            "lead",
            "leads",
            Lead,
            Rule.OWNED,
            sortable=("created_at", "updated_at", "name", "lead_status", "city"),
            filterable=("created_by", "assigned_to", "lead_status", "lead_source", "business_type"),
            searchable=_CONTACT_SEARCH,
            status_field="lead_status",
            in_trash_ui=True,
        ),
        EntitySpec(
            "client",
            "clients",
            Client,
            Rule.OWNED,
            sortable=("created_at", "updated_at", "name", "status", "city"),
            filterable=("created_by", "assigned_to", "status", "business_type", "source_lead_id"),
            searchable=_CONTACT_SEARCH,
            status_field="status",
            in_trash_ui=True,
        ),
        EntitySpec(
            "project",
            "projects",
            Project,
            Rule.PROJECT,
            parents=(Parent("client_id", "client"), Parent("lead_id", "lead")),
            sortable=(
                "created_at",
                "updated_at",
                "name",
                "project_status",
                "project_start",
                "project_end",
                "project_worth",
            ),
            filterable=(
                "created_by",
                "assigned_to",
                "project_status",
                "value_type",
                "client_id",
                "lead_id",
            ),
            searchable=("name", "description"),
            status_field="project_status",
            in_trash_ui=True,
        ),
        EntitySpec(
            "account",
            "accounts",
            Account,
            Rule.CHILD,
            parents=(Parent("client_id", "client"),),
            sortable=("created_at", "updated_at", "account_number", "status", "opened_on"),
            filterable=("created_by", "client_id", "status"),
            searchable=("account_number", "account_name"),
            status_field="status",
        ),
        EntitySpec(
            "subscription",
            "subscriptions",
            Subscription,
            Rule.CHILD,
            parents=(Parent("client_id", "client"),),
            sortable=("created_at", "updated_at", "plan_name", "price", "renewal_date", "status"),
            filterable=("created_by", "client_id", "status", "billing_cycle"),
            searchable=("plan_name",),
            status_field="status",
        ),
        EntitySpec(
            "contact",
            "contacts",
            Contact,
            Rule.CHILD,
            parents=(Parent("client_id", "client"), Parent("lead_id", "lead")),
            sortable=("created_at", "updated_at", "first_name", "last_name"),
            filterable=("created_by", "client_id", "lead_id", "is_primary"),
            searchable=("first_name", "last_name", "email", "phone"),
        ),
        EntitySpec(
            "interaction",
            "interactions",
            Interaction,
            Rule.CHILD,
            parents=(
                Parent("client_id", "client"),
                Parent("lead_id", "lead"),
                Parent("project_id", "project", governs_visibility=False),
            ),
            sortable=("created_at", "updated_at", "contact_date", "follow_up"),
            filterable=(
                "created_by",
                "client_id",
                "lead_id",
                "project_id",
                "type",
                "followup_status",
            ),
            searchable=("summary", "outcome", "contact_person"),
            status_field="followup_status",
        ),
        EntitySpec(
            "note",
            "notes",
            Note,
            Rule.NOTE,
            sortable=("created_at", "updated_at"),
            filterable=("created_by", "entity", "entity_id"),
            searchable=("body",),
        ),
    )
}

BY_PATH: dict[str, EntitySpec] = {s.path: s for s in ENTITIES.values()}


def children_of(entity: str) -> list[tuple[EntitySpec, str]]:
    """(child spec, column) pairs whose rows point at a record of ``entity``."""
    return [
        (spec, p.field) for spec in ENTITIES.values() for p in spec.parents if p.entity == entity
    ]


def record_title(entity: str, values: Mapping[str, Any] | None) -> str | None:
    """A record's display name, as the app shows it (pwa/src/records/paths.ts ``titleOf``): the
    admin may not have the record on a device, so conflicts and search results carry it."""
    if values is None:
        return None

    def text(name: str) -> str:
        value = values.get(name)
        return value.strip() if isinstance(value, str) else ""

    if entity == "contact":
        title = " ".join(t for t in (text("first_name"), text("last_name")) if t)
    elif entity == "account":
        title = text("account_name") or text("account_number")
    elif entity == "note":
        title = text("body").split("\n")[0]
    else:
        title = text({"subscription": "plan_name", "interaction": "summary"}.get(entity, "name"))
    return title or None
