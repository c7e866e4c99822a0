"""The reference sync client: one device speaking sync protocol v1 (SYNC.md).

Edits are queued in the outbox with consecutive ``mid``s and the ``base_seq`` the device had
pulled when the user made them, and show at once in ``view()``. ``push`` sends the outbox in
order; ``pull`` brings the device to the server state and rebases what is still pending on it.
The rules it follows, each of which the protocol's guarantees depend on:

- An outbox entry leaves the queue only when a pull reports ``last_mutation_id >= mid`` (that
  pull's state contains its effects); a push result alone never removes it, so a lost response
  costs a retry that the server answers with ``duplicate``, never a lost edit.
- A pull applies its pages only when the last one (``has_more`` false) has arrived, so the
  device never shows half a snapshot; ``reset`` drops the pulled records, never the outbox.
- ``base_seq`` moves only after a complete pull, to that pull's ``server_seq``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sync_server.client.store import CRM_ENTITIES, Outbox, Pending, Records, Store, rebase
from sync_server.client.transport import SyncHttpError, Transport
from sync_server.schemas.base import ErrorBody
from sync_server.schemas.sync import (
    MAX_PUSH_MUTATIONS,
    Change,
    MutationResult,
    PullResponse,
    PushResponse,
)

PUSH, PULL = "/api/v1/sync/push", "/api/v1/sync/pull"
SCHEMA_VERSION = 1


class SyncError(Exception):
    """The device cannot go on by itself (e.g. the server lost mutations it can no longer send)."""


@dataclass(frozen=True, slots=True)
class Rejection:
    mutation: Pending
    error: ErrorBody | None


@dataclass(slots=True)
class PullSummary:
    pages: int = 0
    changes: list[Change] = field(default_factory=list)
    reset: bool = False
    snapshot: bool = False
    last_mutation_id: int = 0
    server_seq: int = 0


def _utcnow() -> datetime:
    return datetime.now(UTC)


class SyncClient:
    def __init__(
        self,
        transport: Transport,
        client_id: uuid.UUID | None = None,
        *,
        clock: Callable[[], datetime] = _utcnow,
        page_limit: int = 500,
        push_limit: int = MAX_PUSH_MUTATIONS,
        schema_version: int = SCHEMA_VERSION,
    ) -> None:
        self.transport = transport
        self.client_id = client_id or uuid.uuid4()
        self.clock = clock
        self.page_limit = page_limit
        self.push_limit = push_limit
        self.schema_version = schema_version
        self.store = Store()
        self.outbox = Outbox()
        self.cursor: str | None = None
        self.base_seq = 0
        self.acked_mid = 0  # the server's last_mutation_id, as last heard
        # Every mutation ever queued, and the first real answer to each (a lost response leaves
        # a mid without one): what tests and benchmarks check the server against.
        self.history: list[Pending] = []
        self.results: dict[int, tuple[Pending, MutationResult]] = {}
        self.rejected: list[Rejection] = []
        # mid -> the open conflict holding its values for an admin ("waiting for review")
        self.waiting: dict[int, uuid.UUID | None] = {}

    # --- local edits (offline) ------------------------------------------------------------------

    def enqueue(self, entity: str, record_id: str, op: str, fields: dict[str, Any]) -> Pending:
        mutation = self.outbox.add(entity, record_id, op, fields, self.base_seq, self.clock())
        self.history.append(mutation)
        return mutation

    def create(self, entity: str, fields: dict[str, Any], record_id: str | None = None) -> str:
        record_id = record_id or str(uuid.uuid4())
        self.enqueue(entity, record_id, "create", fields)
        return record_id

    def update(self, entity: str, record_id: str, fields: dict[str, Any]) -> Pending:
        return self.enqueue(entity, record_id, "update", fields)

    def delete(self, entity: str, record_id: str) -> Pending:
        return self.enqueue(entity, record_id, "delete", {})

    def restore(self, entity: str, record_id: str) -> Pending:
        return self.enqueue(entity, record_id, "restore", {})

    def convert(self, lead_id: str, client_id: str | None = None) -> str:
        client_id = client_id or str(uuid.uuid4())
        self.enqueue("lead", lead_id, "convert", {"client_id": client_id})
        return client_id

    # --- what the device shows ------------------------------------------------------------------

    def view(self, entities: tuple[str, ...] = CRM_ENTITIES) -> Records:
        """The local state: pulled records rebased with the pending outbox (refused ones left
        out), restricted to ``entities``."""
        refused = frozenset(r.mutation.mid for r in self.rejected)
        full = rebase(self.store.records, self.outbox, refused)
        return {e: full.get(e, {}) for e in entities}

    def synced(self, entity: str) -> dict[str, dict[str, Any]]:
        return self.store.records.get(entity, {})

    @property
    def pending(self) -> list[Pending]:
        return list(self.outbox)

    # --- push -----------------------------------------------------------------------------------

    async def push(self, *, replay: bool = False) -> list[MutationResult]:
        """Send the outbox beyond what the server has acknowledged (everything, ``replay``),
        at most ``push_limit`` per request, until nothing is left to send."""
        answers: list[MutationResult] = []
        start = 0 if replay else self.acked_mid
        while batch := self.outbox.after(start)[: self.push_limit]:
            status, body = await self.transport.post(PUSH, self._push_body(batch))
            if status == 409 and body.get("code") == "mutation_gap":
                start = self._after_gap(SyncHttpError(status, body))
                continue
            if status != 200:
                raise SyncHttpError(status, body)
            response = PushResponse.model_validate(body)
            self._record(batch, response)
            answers.extend(response.results)
            start = max(start, batch[-1].mid)
        return answers

    def _push_body(self, batch: list[Pending]) -> dict[str, Any]:
        return {
            "client_id": str(self.client_id),
            "schema_version": self.schema_version,
            "mutations": [m.wire() for m in batch],
        }

    def _after_gap(self, error: SyncHttpError) -> int:
        """The server is missing mutations before ours: resend from its counter, if we can."""
        last = int(error.details.get("last_mutation_id", -1))
        if last < 0 or not any(m.mid == last + 1 for m in self.outbox):
            raise SyncError(f"server needs mutations after {last}, which this device no longer has")
        self.acked_mid = last
        return last

    def _record(self, batch: list[Pending], response: PushResponse) -> None:
        sent = {m.mid: m for m in batch}
        self.acked_mid = max(self.acked_mid, response.last_mutation_id)
        for result in response.results:
            mutation = sent.get(result.mid)
            # A duplicate says what the first push did when the server remembers it: the answer
            # to that push may have been lost, and a rejection or a hold must not pass unseen.
            status = result.original_status if result.status == "duplicate" else result.status
            if mutation is None or status in (None, "duplicate") or result.mid in self.results:
                continue
            if status != result.status:  # kept as the first answer would have been
                result = result.model_copy(update={"status": status, "original_status": None})
            self.results[result.mid] = (mutation, result)
            if status == "rejected":
                self.rejected.append(Rejection(mutation, result.error))
            elif status == "conflict":
                self.waiting[result.mid] = result.conflict_id

    # --- pull -----------------------------------------------------------------------------------

    async def pull(self) -> PullSummary:
        """Pages until ``has_more`` is false, then applies them at once and rebases."""
        summary = PullSummary(snapshot=self.cursor is None)
        cursor = self.cursor
        while True:
            body = {
                "client_id": str(self.client_id),
                "schema_version": self.schema_version,
                "cursor": cursor,
                "limit": self.page_limit,
            }
            status, answer = await self.transport.post(PULL, body)
            if status != 200:
                raise SyncHttpError(status, answer)
            page = PullResponse.model_validate(answer)
            summary.pages += 1
            if page.reset:  # the pages so far are void; a full snapshot starts with this one
                summary.reset = summary.snapshot = True
                summary.changes = []
            summary.changes.extend(page.changes)
            cursor = page.cursor
            if not page.has_more:
                break
        summary.last_mutation_id, summary.server_seq = page.last_mutation_id, page.server_seq
        self._land(summary, cursor)
        return summary

    def _land(self, summary: PullSummary, cursor: str) -> None:
        if summary.snapshot:
            self.store.replace(summary.changes)
        else:
            self.store.apply(summary.changes)
        self.cursor = cursor
        self.base_seq = summary.server_seq
        self.acked_mid = max(self.acked_mid, summary.last_mutation_id)
        self.outbox.drop_through(summary.last_mutation_id)

    async def sync(self) -> PullSummary:
        await self.push()
        return await self.pull()
