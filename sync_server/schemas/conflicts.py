"""Conflict records as admins and devices read them."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from sync_server.schemas.types import UtcDateTime

ConflictStatus = Literal["open", "resolved", "auto_resolved"]
ConflictOp = Literal["create", "update", "delete", "restore", "convert"]


class ConflictRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    entity: str
    record_id: uuid.UUID
    kind: str
    status: ConflictStatus
    op: ConflictOp | None = Field(
        None,
        description="The device's operation this conflict holds; null for a REST write "
        "(and for conflicts recorded before the operation was kept).",
    )
    fields: dict[str, Any]
    user_id: uuid.UUID | None
    client_id: uuid.UUID | None
    mid: int | None
    base_seq: int | None
    seq: int
    client_time: UtcDateTime | None
    created_at: UtcDateTime
    resolved_at: UtcDateTime | None
    resolved_by: uuid.UUID | None
    resolution: dict[str, Any]
