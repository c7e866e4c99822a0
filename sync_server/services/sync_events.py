"""The change log's seqs and rows, and the changes devices mirror besides CRM records.

Writes are batched: ``changes`` locks the tenant clock, hands out seqs in memory and writes the
clock, the change-log, audience and activity rows once at its end, one statement per table. A
push of a hundred mutations is one batch; any other write is a batch of its own.

Users (assignment pickers), the tenant config and a user's own conflicts take a seq and a
change-log row like records do (``announce``), so pulls deliver them in order.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from sync_server.db.repositories import Repositories
from sync_server.db.repositories.sync import PendingChanges


@asynccontextmanager
async def changes(repos: Repositories) -> AsyncIterator[PendingChanges]:
    """The unit of work's open batch of changes, or a new one that is written when the block
    ends: staged record rows first (their database errors surface here, to the caller), then
    the clock and the log rows. If the block raises, what it staged is dropped: the caller rolls
    the transaction or its savepoint back (every caller does, see sync_push and bulk)."""
    sync = repos.sync
    if sync.pending is not None:
        yield sync.pending
        return
    pending = sync.begin_pending(await sync.lock_clock())
    try:
        yield pending
        await repos.records.flush()
        await sync.write_pending(pending)
    finally:
        sync.pending = None


def log_change(
    repos: Repositories,
    pending: PendingChanges,
    change: dict[str, object],
    visible: Iterable[uuid.UUID],
    evicted: Iterable[uuid.UUID] = (),
) -> None:
    """Stage a change-log row and its audience; those users get a poke after commit."""
    visible, evicted = frozenset(visible), frozenset(evicted)
    pending.change(change, visible, evicted)
    repos.records.touched.update(visible, evicted)


async def announce(
    repos: Repositories,
    entity: str,
    record_id: uuid.UUID,
    audience: Iterable[uuid.UUID],
    op: str = "put",
) -> int:
    async with changes(repos) as pending:
        seq = pending.next_seq()
        change = {
            "seq": seq,
            "entity": entity,
            "record_id": record_id,
            "op": op,
            "action": op,
            "user_id": repos.ctx.user_id,
            "client_id": None,
            "mid": None,
            "fields": [],
        }
        log_change(repos, pending, change, audience)
    return seq


async def everyone(repos: Repositories) -> list[uuid.UUID]:
    return [u.id for u in await repos.users.list()]
