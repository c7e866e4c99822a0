"""Wire shapes of sync protocol v1 (SYNC.md). Versions are listed in PROTOCOL_VERSIONS with what
changed, so old-but-supported devices keep working and newer ones get 426 until the server
catches up."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import Field

from sync_server.schemas.base import ErrorBody, Response, Strict
from sync_server.schemas.types import UtcDateTime

PROTOCOL_VERSIONS: dict[int, str] = {
    1: "push/pull with per-field dots, eviction, paged consistent snapshots",
}
MAX_PUSH_MUTATIONS = 500
MAX_PULL_LIMIT = 1000

MutationStatus = Literal["applied", "merged", "conflict", "rejected", "duplicate"]


class Mutation(Strict):
    """One queued change from a device. ``entity`` and ``op`` are checked per mutation (an
    unknown one is ``rejected`` and its mid consumed) rather than failing the whole push."""

    mid: int = Field(ge=1)
    entity: str = Field(max_length=30)
    id: uuid.UUID
    op: str = Field(max_length=20, description="create | update | delete | restore | convert")
    base_seq: int = Field(ge=0)
    fields: dict[str, Any] = Field(default_factory=dict)
    client_time: UtcDateTime | None = None


class PushRequest(Strict):
    client_id: uuid.UUID
    schema_version: int
    mutations: list[Mutation] = Field(max_length=MAX_PUSH_MUTATIONS)


class MutationResult(Response):
    mid: int
    status: MutationStatus
    seq: int | None
    conflict_id: uuid.UUID | None = None
    error: ErrorBody | None = None
    original_status: MutationStatus | None = Field(
        default=None,
        description="On a `duplicate`: what this mutation's first push did (`applied`, `merged`, "
        "`conflict` or `rejected`, with that push's `conflict_id` / `error`), so a device whose "
        "answer was lost still learns it; null when the server no longer remembers (compacted)",
    )


class PushResponse(Response):
    results: list[MutationResult]
    last_mutation_id: int
    seq: int


class PullRequest(Strict):
    client_id: uuid.UUID
    schema_version: int
    cursor: str | None = Field(default=None, max_length=2000)
    limit: int = Field(default=500, ge=1, le=MAX_PULL_LIMIT)


class Change(Response):
    entity: str
    id: uuid.UUID
    seq: int
    op: Literal["put", "delete"]
    record: dict[str, Any] | None = None


class PullResponse(Response):
    changes: list[Change]
    cursor: str
    has_more: bool
    reset: bool
    last_mutation_id: int
    server_seq: int
