"""Field policies: what happens when two writers changed the same field concurrently.

One table for every writable field of every synced entity (API.md "Records"); it is exported
into `contracts/` so the PWA and the admin UI show the same rules the server applies.

- MANUAL: the server value stays and the device's value waits in an open conflict for an admin.
  Used where a silent overwrite would change money, workflow or who may see a record.
- LWW: the later arrival at the server wins and the loser is logged as `auto_resolved`. Used for
  plain descriptive scalars (names, phones, notes, addresses, dates), where the newest typing is
  what people expect and the old value can still be restored from the log.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType


class Policy(StrEnum):
    MANUAL = "manual"
    LWW = "lww"


ENTITIES: tuple[str, ...] = (
    "lead",
    "client",
    "project",
    "account",
    "subscription",
    "contact",
    "interaction",
    "note",
)

# Lead and client share their contact/address block (API.md: "the same contact/address fields").
_CONTACT_BLOCK = (
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
)

# Status fields drive pipelines, reports and follow-ups: a device must not silently undo a
# status another person set, so a concurrent status change always goes to an admin.
_STATUS_FIELDS = ("lead_status", "status", "project_status", "followup_status")
# Money and billing terms are commitments to a customer; last-writer-wins could bill wrongly.
_MONEY_FIELDS = ("project_worth", "price", "billing_cycle")
# `assigned_to` decides who may see the record (API.md "Visibility"); a silent overwrite could
# hand a record to, or take it from, someone without anybody deciding so.
_OWNERSHIP_FIELDS = ("assigned_to",)
# Conversion links a lead to the client made from it; two conversions cannot both be true.
_CONVERSION_FIELDS = ("converted_on", "converted_client_id", "source_lead_id")
# Parent links: moving a record between parents changes who can see it (children inherit the
# parent's visibility), so it is as sensitive as `assigned_to`.
_PARENT_LINK_FIELDS = ("client_id", "lead_id", "project_id", "entity", "entity_id")

MANUAL_FIELDS: frozenset[str] = frozenset(
    _STATUS_FIELDS + _MONEY_FIELDS + _OWNERSHIP_FIELDS + _CONVERSION_FIELDS + _PARENT_LINK_FIELDS
)

# Writable fields per entity, with the exact names of API.md's records table.
_ENTITY_FIELDS: dict[str, tuple[str, ...]] = {
    "lead": (
        "name", *_CONTACT_BLOCK, "notes", "lead_status", "lead_source", "business_type",
        "assigned_to", "converted_on", "converted_client_id",
    ),
    "client": (
        "name", *_CONTACT_BLOCK, "status", "business_type", "assigned_to",
        "source_lead_id", "converted_on",
    ),
    "project": (
        "name", "description", "project_status", "project_start", "project_end",
        "project_worth", "value_type", "client_id", "lead_id", "assigned_to", "notes",
    ),
    "account": ("client_id", "account_number", "account_name", "status", "opened_on", "notes"),
    "subscription": (
        "client_id", "plan_name", "price", "billing_cycle", "start_date", "renewal_date",
        "status",
    ),
    "contact": (
        "client_id", "lead_id", "first_name", "last_name", "title", "email", "phone",
        "notes", "is_primary",
    ),
    "interaction": (
        "client_id", "lead_id", "project_id", "contact_date", "type", "summary", "outcome",
        "notes", "follow_up", "followup_status", "contact_person", "email", "phone",
    ),
    "note": ("entity", "entity_id", "body"),
}  # fmt: skip


def _policy_of(field: str) -> Policy:
    return Policy.MANUAL if field in MANUAL_FIELDS else Policy.LWW


FIELD_POLICIES: Mapping[str, Mapping[str, Policy]] = MappingProxyType(
    {
        entity: MappingProxyType({field: _policy_of(field) for field in _ENTITY_FIELDS[entity]})
        for entity in ENTITIES
    }
)


def check_entity(entity: str) -> None:
    """Raise KeyError for an entity the table does not know (the sync server validates ops
    before deciding; this keeps a bug from being decided on a guess)."""
    if entity not in FIELD_POLICIES:
        raise KeyError(f"unknown entity {entity!r}")


def policy_for(entity: str, field: str) -> Policy:
    """The policy of `entity.field`.

    An unknown entity raises KeyError: deciding for a type we know nothing about would be a
    guess. An unknown field of a known entity is LWW, the rule for "all other scalar fields"
    (SYNC.md), so a newly added descriptive column syncs without a table change; a name that is
    MANUAL on any entity (a status, a parent link, ...) stays MANUAL, so forgetting to list such a
    field never silently downgrades it to last-writer-wins.
    """
    check_entity(entity)
    listed = FIELD_POLICIES[entity].get(field)
    return listed if listed is not None else _policy_of(field)


def export_policy_table() -> dict[str, dict[str, str]]:
    """The table as plain JSON data with sorted keys, stable across runs, for `contracts/`."""
    return {
        entity: {field: FIELD_POLICIES[entity][field].value for field in sorted(fields)}
        for entity, fields in sorted(FIELD_POLICIES.items())
    }
