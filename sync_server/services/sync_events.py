"""Changes to what devices mirror besides CRM records: users (assignment pickers), the tenant
config and a user's own conflicts. They take a seq and a change-log row like records do, so
pulls deliver them in order."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sync_server.db.models import ChangeLog
from sync_server.db.repositories import Repositories


async def announce(
    repos: Repositories,
    entity: str,
    record_id: uuid.UUID,
    audience: Iterable[uuid.UUID],
    op: str = "put",
) -> int:
    seq = await repos.clock.advance()
    change = ChangeLog(
        seq=seq,
        entity=entity,
        record_id=record_id,
        op=op,
        action=op,
        user_id=repos.ctx.user_id,
        fields=[],
    )
    await repos.records.record_change(change, frozenset(audience), frozenset())
    return seq


async def everyone(repos: Repositories) -> list[uuid.UUID]:
    return [u.id for u in await repos.users.list()]
