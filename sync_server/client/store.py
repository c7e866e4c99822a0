"""A device's local data: the records it last pulled (``Store``), its queue of changes not yet
known to be in the server state (``Outbox``), and the optimistic effect of one queued change.

The view the app shows is never stored: it is the pulled records with the pending outbox
re-applied on top (``rebase``), so an offline edit shows at once, and stays visible across any
number of pulls until a pull proves the server state contains it (or its refusal).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sync_server.schemas.sync import Change, Mutation

CRM_ENTITIES: tuple[str, ...] = (
    "lead",
    "client",
    "project",
    "account",
    "subscription",
    "contact",
    "interaction",
    "note",
)
# What a conversion copies from the lead into the new client (mirrors the server's optimistic
# effect closely enough for the screen; the pulled record replaces it anyway).
CONVERTED_FIELDS: tuple[str, ...] = (
    "name", "contact_person", "contact_title", "email", "phone", "phone_label",
    "secondary_phone", "secondary_phone_label", "address", "city", "state", "zip", "notes",
    "business_type", "assigned_to",
)  # fmt: skip

Records = dict[str, dict[str, dict[str, Any]]]  # entity -> id -> record as its Read schema (JSON)


@dataclass(frozen=True, slots=True)
class Pending:
    """One queued mutation, exactly as it will be (re)sent."""

    mid: int
    entity: str
    id: str
    op: str
    base_seq: int
    fields: dict[str, Any]
    client_time: datetime

    def wire(self) -> dict[str, Any]:
        mutation = Mutation.model_validate(
            {
                "mid": self.mid,
                "entity": self.entity,
                "id": self.id,
                "op": self.op,
                "base_seq": self.base_seq,
                "fields": self.fields,
                "client_time": self.client_time,
            }
        )
        return mutation.model_dump(mode="json")


class Outbox:
    """Pending mutations in ``mid`` order; mids are consecutive from 1 for the device's life."""

    def __init__(self) -> None:
        self._items: list[Pending] = []
        self.next_mid = 1

    def add(self, entity: str, record_id: str, op: str, fields: dict[str, Any], base_seq: int,
            client_time: datetime) -> Pending:  # fmt: skip
        item = Pending(self.next_mid, entity, record_id, op, base_seq, dict(fields), client_time)
        self._items.append(item)
        self.next_mid += 1
        return item

    def after(self, mid: int) -> list[Pending]:
        return [m for m in self._items if m.mid > mid]

    def drop_through(self, mid: int) -> list[Pending]:
        """Forget what the server state already contains (mids <= ``mid``)."""
        gone = [m for m in self._items if m.mid <= mid]
        self._items = [m for m in self._items if m.mid > mid]
        return gone

    def __iter__(self) -> Iterator[Pending]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)


class Store:
    """The pulled state: every record of every entity the server sent (CRM records, users,
    config, the user's conflicts)."""

    def __init__(self) -> None:
        self.records: Records = {}

    def replace(self, changes: Iterable[Change]) -> None:
        """A complete snapshot: drop everything pulled before, keep only what it says."""
        self.records = {}
        self.apply(changes)

    def apply(self, changes: Iterable[Change]) -> None:
        for change in changes:
            table = self.records.setdefault(change.entity, {})
            if change.op == "delete":
                table.pop(str(change.id), None)
            elif change.record is not None:
                table[str(change.id)] = dict(change.record)


def rebase(records: Records, outbox: Iterable[Pending], skip: frozenset[int]) -> Records:
    """The pulled records with each pending mutation (except the ``skip``ped mids, refused by the
    server) applied on top, in order."""
    view = copy.deepcopy(records)
    for m in outbox:
        if m.mid not in skip:
            apply_local(view, m)
    return view


def apply_local(view: Records, m: Pending) -> None:
    """The optimistic effect of one mutation on the local view."""
    table = view.setdefault(m.entity, {})
    record = table.get(m.id)
    if m.op == "create":
        if record is None:
            table[m.id] = {"id": m.id, **m.fields, "deleted_at": None}
    elif record is None:
        return  # not (or no longer) visible here: the server will say what happened
    elif m.op == "update":
        record.update(m.fields)
    elif m.op == "delete":
        if record.get("deleted_at") is None:
            record["deleted_at"] = m.client_time.isoformat()
    elif m.op == "restore":
        record["deleted_at"] = None
    elif m.op == "convert" and m.entity == "lead":
        _convert_local(view, record, str(m.fields.get("client_id")))


def _convert_local(view: Records, lead: dict[str, Any], client_id: str) -> None:
    lead["lead_status"] = "converted"
    lead["converted_client_id"] = client_id
    clients = view.setdefault("client", {})
    if client_id not in clients:
        copied = {f: lead.get(f) for f in CONVERTED_FIELDS}
        clients[client_id] = copied | {
            "id": client_id,
            "status": "active",
            "source_lead_id": lead["id"],
            "deleted_at": None,
        }
    for child in ("contact", "interaction"):
        for record in view.get(child, {}).values():
            if record.get("lead_id") == lead["id"]:
                record.update(lead_id=None, client_id=client_id)
