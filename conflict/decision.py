"""The answer of every `decide_*` function: what to write now and what to log or hold.

A Decision is plain immutable data. The server turns it into effects inside the mutation's
transaction: write `apply` (stamping those fields with the mutation's dot), log every
`auto_resolved` loss, open one conflict holding every `held` loss.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from conflict.dots import Dot
from conflict.policies import Policy


class Outcome(StrEnum):
    """The push result status for the mutation (SYNC.md push table)."""

    APPLIED = "applied"
    MERGED = "merged"
    CONFLICT = "conflict"


class ConflictKind(StrEnum):
    """Why a conflict was opened; each kind has its own admin-facing explanation."""

    FIELD = "field"
    DELETE_UPDATE = "delete_update"
    UPDATE_PURGED = "update_purged"
    CONVERT = "convert"
    # The device wrote to a record (or under a parent) it could see when the user typed the
    # change, and no longer can (reassigned away): held for an admin, never silently refused.
    ACCESS = "access"


@dataclass(frozen=True, slots=True)
class FieldLoss:
    """One field that did not take the device's value as-is.

    In `auto_resolved` the server's old value is the loser (the device's value was applied);
    in `held` the device's value is the one waiting (the server's value stays). `client` is None
    where the device wrote nothing to that field but it explains the conflict (a field changed
    concurrently with a delete or a convert).
    """

    field: str
    base: object | None  # the value the device started from; the server does not know it: None
    server: object  # the value currently stored (None when the record no longer exists)
    client: object  # the value the device sent
    server_dot: Dot | None
    policy: Policy


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do with one mutation; the invariants below are checked at construction."""

    outcome: Outcome
    apply: Mapping[str, object]
    auto_resolved: tuple[FieldLoss, ...]
    held: tuple[FieldLoss, ...]
    kind: ConflictKind | None

    def __post_init__(self) -> None:
        # A read-only copy: a Decision must not change when the caller's dict does, or after.
        object.__setattr__(self, "apply", MappingProxyType(dict(self.apply)))
        if (self.outcome is Outcome.CONFLICT) != (self.kind is not None):
            raise ValueError("a conflict needs a kind, and only a conflict has one")
        if self.outcome is not Outcome.CONFLICT and self.held:
            raise ValueError("held fields always open a conflict")
        if (self.outcome is Outcome.MERGED) != (self.kind is None and bool(self.auto_resolved)):
            raise ValueError("merged means: no conflict and some fields auto-resolved")


def settle(
    apply: Mapping[str, object],
    auto_resolved: Iterable[FieldLoss],
    held: Iterable[FieldLoss],
    kind: ConflictKind,
) -> Decision:
    """Derive the outcome: CONFLICT of `kind` if anything is held, MERGED if anything was
    auto-resolved, else APPLIED."""
    held_t, auto_t = tuple(held), tuple(auto_resolved)
    if held_t:
        return Decision(Outcome.CONFLICT, apply, auto_t, held_t, kind)
    outcome = Outcome.MERGED if auto_t else Outcome.APPLIED
    return Decision(outcome, apply, auto_t, (), None)


def applied(apply: Mapping[str, object]) -> Decision:
    """Everything the device asked for is written (or was already true: `apply` empty)."""
    return Decision(Outcome.APPLIED, apply, (), (), None)


def held_conflict(kind: ConflictKind, held: Iterable[FieldLoss]) -> Decision:
    """Nothing is written; the whole mutation waits for an admin."""
    return Decision(Outcome.CONFLICT, {}, (), tuple(held), kind)
