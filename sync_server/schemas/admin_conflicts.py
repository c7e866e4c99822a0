"""Request and response models of the admin conflict queue (``/api/v1/admin/conflicts``).

Sides, as stored in a conflict's ``fields`` (services/conflicts.py, conflict/decision.py):

- ``server``: the value the server held when the device's mutation arrived.
- ``client``: the value the device sent (``null`` where the device wrote nothing to that field
  but it explains the conflict, e.g. a field edited concurrently with the device's delete).
- ``base``: the value the device started from, when known (the server does not know it: null).

Who won depends on the status: in an **open** conflict the server value stayed live and the
device value is waiting; in an **auto_resolved** one (last-writer-wins) the device value was
applied and the *server* value is the loser kept for restoring.

A ``choice`` always names the side whose values end up live (see ``ResolveRequest``).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from sync_server.schemas.base import ErrorBody, Strict
from sync_server.schemas.conflicts import ConflictRead, ConflictStatus
from sync_server.schemas.types import UtcDateTime

Choice = Literal["server", "client", "custom"]
BulkChoice = Literal["server", "client"]
MAX_BULK_IDS = 500


class ConflictListQuery(Strict):
    """Query string of ``GET /admin/conflicts`` (unknown parameters answer 422)."""

    status: ConflictStatus | None = Field(
        default=None, description="open | resolved | auto_resolved"
    )
    kind: Literal["field", "delete_update", "update_purged", "convert", "access"] | None = None
    entity: str | None = Field(default=None, description="lead, client, project, ...")
    record_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = Field(default=None, description="The user whose device pushed")
    client_id: uuid.UUID | None = Field(default=None, description="The device (sync client_id)")
    created_from: date | None = Field(default=None, description="Pushed on or after (UTC day)")
    created_to: date | None = Field(default=None, description="Pushed on or before (UTC day)")
    limit: int = Field(default=25, ge=1, le=100, description="Page size, 1 to 100")
    cursor: str | None = Field(default=None, description="`next_cursor` of the previous page")
    count: bool = Field(default=False, description="`true` adds `total`")


class ConflictList(BaseModel):
    items: list[ConflictRead]
    next_cursor: str | None
    limit: int
    total: int | None = None
    record_titles: dict[uuid.UUID, str | None] = Field(
        description="The listed records' display names by record id (null: the record is gone); "
        "the admin may have none of them on a device"
    )


class ConflictUser(BaseModel):
    id: uuid.UUID
    email: str | None
    name: str | None


class ConflictDevice(BaseModel):
    client_id: uuid.UUID
    user_agent: str | None
    last_seen_at: UtcDateTime | None
    registered_at: UtcDateTime | None


class ConflictFieldView(BaseModel):
    base: Any = Field(description="What the device started from (null: unknown)")
    server: Any = Field(description="The server's value when the mutation arrived")
    client: Any = Field(description="The value the device sent")
    current: Any = Field(description="The record's value now (null when the record is gone)")
    policy: str | None = Field(description="manual | lww")
    winner: Literal["server", "client", "none"] = Field(
        description="Whose value stayed live when the conflict was recorded (none: held record op)"
    )


class ConflictRecordState(BaseModel):
    title: str | None = Field(
        description="The record's display name (a lead's name...; null when the record is gone)"
    )
    exists: bool
    version: int | None
    deleted_at: UtcDateTime | None


class ConflictDetail(ConflictRead):
    """A conflict with everything an admin needs to decide."""

    user: ConflictUser | None
    device: ConflictDevice | None
    pushed_at: UtcDateTime = Field(description="When the mutation reached the server")
    edited_at: UtcDateTime | None = Field(
        description="When the user edited on the device (device clock; shown, never trusted)"
    )
    record: ConflictRecordState
    current: dict[str, Any] | None = Field(
        description="The record's live values of the conflicting fields (null: record gone)"
    )
    field_views: dict[str, ConflictFieldView]
    choices: dict[str, str] = Field(
        description="What each choice would do for this conflict (empty once resolved)"
    )


class ResolveRequest(Strict):
    """The choice names the side whose values are live afterwards. Open conflict: ``server``
    keeps the live values (nothing written), ``client`` applies the device's held values (or its
    held delete, re-creation, conversion). Auto-resolved (LWW) conflict: the device's value won,
    so ``server`` restores the losing server-side value and ``client`` keeps the device's value.
    ``custom`` applies the given ``fields`` (fields of the conflict only; any field of the entity
    for ``update_purged``, whose record is re-created). ``choices`` in the detail says what each
    choice would do for that conflict."""

    choice: Choice
    fields: dict[str, Any] = Field(default_factory=dict)


class BulkResolveRequest(Strict):
    ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK_IDS)
    choice: BulkChoice


class BulkResolveResult(BaseModel):
    id: uuid.UUID
    status: Literal["resolved", "failed"]
    error: ErrorBody | None = None


class BulkResolveResponse(BaseModel):
    results: list[BulkResolveResult]
