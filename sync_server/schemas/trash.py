"""Trash request bodies."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

from sync_server.schemas.base import ErrorBody, Strict

# Every record goes to Trash on delete, so every record can be listed there, restored and purged
# (a contact or a note deleted by mistake in the browser is as recoverable as a lead).
TrashEntity = Literal[
    "lead", "client", "project", "account", "subscription", "contact", "interaction", "note"
]


class PurgeItem(Strict):
    entity: TrashEntity
    id: uuid.UUID


class BulkPurgeRequest(Strict):
    """Bulk purge and the admin's bulk restore: up to 500 records of any kind."""

    items: list[PurgeItem] = Field(min_length=1, max_length=500)


class TrashItemResult(BaseModel):
    entity: TrashEntity
    id: uuid.UUID
    status: Literal["purged", "restored", "failed"]
    error: ErrorBody | None = None


class BulkTrashResponse(BaseModel):
    results: list[TrashItemResult]
