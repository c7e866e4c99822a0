"""Conflict records: what a decision held (open) or settled by policy (auto_resolved)."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic_core import to_jsonable_python

from conflict import Decision, FieldLoss
from sync_server.db.models import Conflict
from sync_server.db.repositories import Repositories
from sync_server.entities import EntitySpec
from sync_server.services.sync_events import announce


def _field_entry(loss: FieldLoss) -> dict[str, Any]:
    return {
        "base": to_jsonable_python(loss.base),
        "server": to_jsonable_python(loss.server),
        "client": to_jsonable_python(loss.client),
        "server_dot": loss.server_dot.to_json() if loss.server_dot else None,
        "policy": str(loss.policy),
    }


async def record_conflicts(
    repos: Repositories,
    spec: EntitySpec,
    record_id: uuid.UUID,
    decision: Decision,
    origin: Any,
    seq: int,
) -> uuid.UUID | None:
    """Store the losers of an automatic merge and the fields held for people; returns the id of
    the open conflict, if any."""
    open_id = None
    for status, losses in (("auto_resolved", decision.auto_resolved), ("open", decision.held)):
        if not losses:
            continue
        conflict = await repos.records.add_conflict(
            Conflict(
                id=uuid.uuid4(),
                entity=spec.name,
                record_id=record_id,
                kind=str(decision.kind or "field"),
                status=status,
                op=origin.op,
                fields={loss.field: _field_entry(loss) for loss in losses},
                user_id=repos.ctx.user_id,
                client_id=origin.client_id,
                mid=origin.mid,
                base_seq=origin.base_seq,
                seq=seq,
                client_time=origin.client_time,
            )
        )
        if status == "open" and conflict.user_id is not None:
            open_id = conflict.id
            # The device that pushed sees its held change as "waiting for review".
            await announce(repos, "conflict", conflict.id, [conflict.user_id])
    return open_id
