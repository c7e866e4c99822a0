"""Field-level merge of an update against the stored record (SYNC.md "Field policies").

Rules of `decide_update`, for each field the mutation changes, in the order sent:

1. Equal values converge: if the new value equals the stored one (same type and `==`, so `True`
   never equals `1`), nothing is written and nothing conflicts, whatever the clocks say.
2. Seen: if the context has seen the field's last write (`CausalContext.has_seen`), the new
   value is an ordinary later edit and is applied.
3. Concurrent, LWW: the later arrival at the server (this mutation) wins; the value it replaces
   is recorded in `auto_resolved` so an admin can restore it.
4. Concurrent, MANUAL: the server value stays; the device's value goes to `held`.

Outcome: CONFLICT of kind FIELD if anything is held (the other fields are still applied),
MERGED if anything was auto-resolved, APPLIED otherwise (also when nothing needed writing).

Before the field rules: a record in Trash whose delete the device had not seen turns the whole
update into a DELETE_UPDATE conflict. Nothing is applied (the record stays in Trash as its
deleter left it) and every field that differs from the stored value is held, so an admin can
restore the record with the device's edits.

Changes may not touch the record's bookkeeping fields (`RESERVED_FIELDS`): Trash has its own ops
(`decide_delete`, `decide_restore`) and the rest is the server's, so such a change is a caller bug
and raises ValueError rather than being merged like data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from conflict.decision import (
    ConflictKind,
    Decision,
    FieldLoss,
    Outcome,
    held_conflict,
    settle,
)
from conflict.dots import CausalContext, Dot
from conflict.policies import Policy, check_entity, policy_for

__all__ = [
    "DELETED_AT",
    "RESERVED_FIELDS",
    "ConflictKind",
    "Decision",
    "FieldLoss",
    "Outcome",
    "decide_update",
    "field_loss",
    "in_trash",
    "merge_dots",
    "same_value",
]

DELETED_AT = "deleted_at"
RESERVED_FIELDS: frozenset[str] = frozenset(
    {"id", "created_at", "updated_at", "created_by", DELETED_AT, "version"}
)


def decide_update(
    entity: str,
    current: Mapping[str, object],
    dots: Mapping[str, Dot],
    changes: Mapping[str, object],
    ctx: CausalContext,
) -> Decision:
    """Decide an `update` of a live or trashed record (rules in the module docstring).

    `current` is the stored record (a missing key reads as null), `dots` the last write of each
    field, `changes` the fields the device sent. Unknown `entity` raises KeyError.
    """
    _check_changes(entity, changes)
    moved = {f: v for f, v in changes.items() if not same_value(v, current.get(f))}
    if moved and in_trash(current) and not ctx.has_seen(dots.get(DELETED_AT)):
        losses = (field_loss(entity, f, current, dots, v) for f, v in moved.items())
        return held_conflict(ConflictKind.DELETE_UPDATE, losses)
    apply: dict[str, object] = {}
    auto_resolved: list[FieldLoss] = []
    held: list[FieldLoss] = []
    for field, value in moved.items():
        if ctx.has_seen(dots.get(field)):
            apply[field] = value
            continue
        loss = field_loss(entity, field, current, dots, value)
        if loss.policy is Policy.MANUAL:
            held.append(loss)
        else:
            apply[field] = value
            auto_resolved.append(loss)
    return settle(apply, auto_resolved, held, ConflictKind.FIELD)


def merge_dots(dots: Mapping[str, Dot], fields: Iterable[str], new: Dot) -> dict[str, Dot]:
    """A new dot map with `fields` stamped by `new`; `dots` itself is left untouched.

    The server calls it with `decision.apply` and the mutation's dot after every decision, so
    a held or converged field keeps the dot of the write that is actually stored.
    """
    stamped = dict(dots)
    for field in fields:
        stamped[field] = new
    return stamped


def same_value(a: object, b: object) -> bool:
    """Equal for convergence: same type and `==` (bool/int and int/float never mix)."""
    return type(a) is type(b) and a == b


def in_trash(current: Mapping[str, object]) -> bool:
    return current.get(DELETED_AT) is not None


def field_loss(
    entity: str,
    field: str,
    current: Mapping[str, object],
    dots: Mapping[str, Dot],
    client: object,
) -> FieldLoss:
    """The loss record for `field`, against the stored value and its dot."""
    return FieldLoss(
        field=field,
        base=None,
        server=current.get(field),
        client=client,
        server_dot=dots.get(field),
        policy=policy_for(entity, field),
    )


def _check_changes(entity: str, changes: Mapping[str, object]) -> None:
    check_entity(entity)  # even when nothing is concurrent, so a bad entity always fails
    reserved = sorted(RESERVED_FIELDS.intersection(changes))
    if reserved:
        raise ValueError(f"an update may not change bookkeeping fields: {', '.join(reserved)}")
