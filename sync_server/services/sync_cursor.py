"""Opaque, signed pull cursors.

A cursor pins who it belongs to (user, device), the protocol version and permission epoch it was
made under, and where the pull stands: in a snapshot (stage, last (version, id), upper bound
``until``) or in the change log (last ``seq``). Anything that doesn't verify, or was made under
another version or epoch, means ``reset``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from itsdangerous import BadSignature, URLSafeSerializer


@dataclass(frozen=True, slots=True)
class Cursor:
    user_id: uuid.UUID
    client_id: uuid.UUID
    version: int
    epoch: int
    seq: int  # change-log position (after the snapshot: its ``until``)
    until: int | None = None  # snapshot upper bound while a snapshot is in progress
    stage: int | None = None  # index into SNAPSHOT_STAGES while a snapshot is in progress
    after: tuple[int, str] | None = None  # (version, id) of the last record sent in the stage

    @property
    def in_snapshot(self) -> bool:
        return self.stage is not None

    def advance(self, **changes: object) -> Cursor:
        return replace(self, **changes)  # type: ignore[arg-type]


class CursorCodec:
    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeSerializer(secret, salt="pathsix-pull-cursor")

    def encode(self, c: Cursor) -> str:
        payload = [
            str(c.user_id),
            str(c.client_id),
            c.version,
            c.epoch,
            c.seq,
            c.until,
            c.stage,
            list(c.after) if c.after else None,
        ]
        return str(self._serializer.dumps(payload))

    def decode(self, raw: str) -> Cursor | None:
        try:
            uid, cid, version, epoch, seq, until, stage, after = self._serializer.loads(raw)
            return Cursor(
                uuid.UUID(uid),
                uuid.UUID(cid),
                int(version),
                int(epoch),
                int(seq),
                None if until is None else int(until),
                None if stage is None else int(stage),
                (int(after[0]), str(after[1])) if after else None,
            )
        except (BadSignature, ValueError, TypeError, IndexError):
            return None
