"""``GET /search``: records and users found by word prefix (``sync_server.search``)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from sync_server.schemas.base import Strict
from sync_server.search import CONTROL_CHARACTERS, one_line

SearchEntity = Literal["lead", "client", "project", "contact", "user"]


def _one_line(q: str) -> str:
    if not one_line(q):
        raise ValueError(CONTROL_CHARACTERS)
    return q


# Text typed in a search box (``q``): one line, no control characters.
SearchText = Annotated[str, AfterValidator(_one_line)]


class SearchQuery(Strict):
    q: SearchText = Field(
        min_length=1,
        max_length=200,
        description="Words; each must begin a word of the record (any field, any order, case "
        "ignored)",
    )
    limit: int = Field(default=5, ge=1, le=25, description="Hits per kind of record")
    entity: SearchEntity | None = Field(default=None, description="Only this kind of record")


class SearchHit(BaseModel):
    entity: SearchEntity
    id: uuid.UUID
    title: str | None = Field(description="The record's display name (a user's name or email)")
    fields: list[str] = Field(description="The fields the query's words were found in")


class SearchResponse(BaseModel):
    """Hits grouped by kind (leads, clients, projects, contacts, users), the most recently
    updated first within each; only records the caller may see."""

    items: list[SearchHit]
