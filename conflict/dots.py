"""Dots and causal contexts: the compact version vector of SYNC.md "Clocks".

The topology is a star, so a tenant's vector clock has one `server` entry (the tenant sequence)
and one entry per device (its mutation counter). Every stored field keeps the *dot* of its last
write; a mutation carries the causal context of what its device had seen when the user typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Dot:
    """The last write of one field: `(seq, client_id, mid)`.

    `client_id` and `mid` are both None for server-side writes (REST, import, bulk action,
    conflict resolution) and both set for a device's mutation; a half-set dot could never be
    matched against a causal context correctly, so it is refused at construction.
    """

    seq: int
    client_id: str | None
    mid: int | None

    def __post_init__(self) -> None:
        if _not_int(self.seq) or self.seq < 0:
            raise ValueError(f"dot seq must be a non-negative int, got {self.seq!r}")
        if self.client_id is not None and not isinstance(self.client_id, str):
            raise ValueError(f"dot client_id must be a str or None, got {self.client_id!r}")
        if self.mid is not None and _not_int(self.mid):
            raise ValueError(f"dot mid must be an int or None, got {self.mid!r}")
        if (self.client_id is None) != (self.mid is None):
            raise ValueError("dot client_id and mid are both set (device) or both None (server)")

    def to_json(self) -> list[object]:
        """The wire/storage form `[seq, client_id, mid]`."""
        return [self.seq, self.client_id, self.mid]

    @classmethod
    def from_json(cls, raw: Sequence[object]) -> Dot:
        """Parse `[seq, client_id, mid]`; anything else raises ValueError."""
        if isinstance(raw, str | bytes) or len(raw) != 3:
            raise ValueError(f"a dot is [seq, client_id, mid], got {raw!r}")
        seq, client_id, mid = raw
        if not isinstance(seq, int) or (client_id is not None and not isinstance(client_id, str)):
            raise ValueError(f"a dot is [seq, client_id, mid], got {raw!r}")
        if mid is not None and not isinstance(mid, int):
            raise ValueError(f"a dot is [seq, client_id, mid], got {raw!r}")
        return cls(seq, client_id, mid)


@dataclass(frozen=True, slots=True)
class CausalContext:
    """What a mutating device had seen: `{server: base_seq, client_id: mid - 1}`.

    The device entry needs no number: a device's mutations are applied in `mid` order, so every
    stored write carrying this `client_id` is one the device made before the current mutation.
    `client_id` None stands for a server-side writer (a REST PATCH whose `If-Match` version is
    `base_seq`), which has only seen what the server had committed.
    """

    base_seq: int
    client_id: str | None

    def __post_init__(self) -> None:
        if _not_int(self.base_seq) or self.base_seq < 0:
            raise ValueError(f"base_seq must be a non-negative int, got {self.base_seq!r}")

    def has_seen(self, dot: Dot | None) -> bool:
        """True iff the write `dot` happened-before this context (SYNC.md "seen").

        A field never written (no dot) holds its creation value, which every writer has seen.
        """
        if dot is None or dot.seq <= self.base_seq:
            return True
        return self.client_id is not None and dot.client_id == self.client_id


def _not_int(value: object) -> bool:
    # bool is an int subclass; a True seq is always a caller bug, never a counter.
    return not isinstance(value, int) or isinstance(value, bool)
