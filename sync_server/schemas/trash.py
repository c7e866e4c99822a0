"""Trash request bodies."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import Field

from sync_server.schemas.base import Strict

TrashEntity = Literal["lead", "client", "project"]


class PurgeItem(Strict):
    entity: TrashEntity
    id: uuid.UUID


class BulkPurgeRequest(Strict):
    items: list[PurgeItem] = Field(min_length=1, max_length=500)
