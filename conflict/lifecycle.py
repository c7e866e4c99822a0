"""Whole-record ops: delete (to Trash), restore, convert, and writes to a purged record.

"Unseen" below means a field whose last write the mutation's `CausalContext` has not seen
(`has_seen` is False); the `deleted_at` bookkeeping field counts like any other, so a delete or
restore made by someone else is a concurrent write too. Unseen fields are listed in sorted order.

- delete: a record already in Trash converges (APPLIED, nothing to write: both wanted it
  trashed). Otherwise any unseen field means someone edited what this device is throwing away:
  DELETE_UPDATE conflict, nothing applied, `held` lists each unseen field (server value, client
  None). Otherwise APPLIED with `{"deleted_at": <the marker passed in>}`.
- restore: never a conflict, because it only brings data back and a delete can be repeated. A
  record not in Trash converges (APPLIED, nothing to write). Otherwise `{"deleted_at": None}` is
  applied; if the delete was unseen, the restore wins as the later arrival and the delete is
  logged in `auto_resolved` (MERGED).
- convert (lead -> client): a lead already converted to the same client converges (a replay).
  A CONVERT conflict, with nothing applied, if any field of the lead is unseen (the device
  converted a lead that changed under it) or if the lead was already converted to another
  client (two conversions cannot both be true). `held` lists the three conversion fields with
  the device's values, then the other unseen fields (client None). Otherwise APPLIED with
  `lead_status="converted"`, `converted_client_id`, `converted_on`; the server then creates the
  client and moves children. Validation (e.g. refusing a trashed lead) is the server's, not a
  conflict.
- update of a purged record: the record no longer exists, so every field the device sent is
  held in an UPDATE_PURGED conflict (server value and dot None); always a conflict, never
  dropped. The server routes a restore or convert of a purged record here with the fields that
  op would set. A delete of a purged record has converged: APPLIED, nothing to do.
"""

from __future__ import annotations

from collections.abc import Mapping

from conflict.decision import ConflictKind, Decision, FieldLoss, applied, held_conflict, settle
from conflict.dots import CausalContext, Dot
from conflict.merge import DELETED_AT, field_loss, in_trash, same_value
from conflict.policies import check_entity, policy_for

CONVERTED = "converted"
_LEAD = "lead"


def decide_delete(
    entity: str,
    current: Mapping[str, object],
    dots: Mapping[str, Dot],
    ctx: CausalContext,
    *,
    deleted_at: object,
) -> Decision:
    """Decide a `delete` (to Trash); `deleted_at` is the marker to store (time is passed in)."""
    check_entity(entity)
    if deleted_at is None:
        raise ValueError("deleted_at is the Trash marker and may not be None")
    if in_trash(current):
        return applied({})
    unseen = _unseen_fields(dots, ctx)
    if unseen:
        losses = (field_loss(entity, f, current, dots, None) for f in unseen)
        return held_conflict(ConflictKind.DELETE_UPDATE, losses)
    return applied({DELETED_AT: deleted_at})


def decide_restore(
    entity: str,
    current: Mapping[str, object],
    dots: Mapping[str, Dot],
    ctx: CausalContext,
) -> Decision:
    """Decide a `restore` from Trash (rules in the module docstring)."""
    check_entity(entity)
    if not in_trash(current):
        return applied({})
    restore = {DELETED_AT: None}
    if ctx.has_seen(dots.get(DELETED_AT)):
        return applied(restore)
    lost_delete = field_loss(entity, DELETED_AT, current, dots, None)
    return settle(restore, [lost_delete], [], ConflictKind.DELETE_UPDATE)


def decide_convert(
    current: Mapping[str, object],
    dots: Mapping[str, Dot],
    ctx: CausalContext,
    *,
    client_id: str,
    converted_on: object,
) -> Decision:
    """Decide a `convert` of the lead `current` into the client `client_id` (chosen by the
    device); `converted_on` is the conversion time, passed in."""
    target: dict[str, object] = {
        "lead_status": CONVERTED,
        "converted_client_id": client_id,
        "converted_on": converted_on,
    }
    stored_client = current.get("converted_client_id")
    if same_value(current.get("lead_status"), CONVERTED) and same_value(stored_client, client_id):
        return applied({})
    unseen = _unseen_fields(dots, ctx)
    elsewhere = stored_client is not None and not same_value(stored_client, client_id)
    if not unseen and not elsewhere:
        return applied(target)
    losses = [field_loss(_LEAD, f, current, dots, v) for f, v in target.items()]
    losses += [field_loss(_LEAD, f, current, dots, None) for f in unseen if f not in target]
    return held_conflict(ConflictKind.CONVERT, losses)


def decide_update_of_missing(entity: str, changes: Mapping[str, object]) -> Decision:
    """Decide a write to a record that was purged: always an UPDATE_PURGED conflict."""
    check_entity(entity)
    losses = (
        FieldLoss(field, None, None, value, None, policy_for(entity, field))
        for field, value in changes.items()
    )
    return held_conflict(ConflictKind.UPDATE_PURGED, losses)


def decide_lost_access(entity: str, changes: Mapping[str, object]) -> Decision:
    """Decide a write the user may no longer make (the record, or the parent it is created
    under, was reassigned away after they saw it): always an ACCESS conflict holding the
    device's values. The server side is left empty: what the record holds now is not the
    business of a user who lost it."""
    check_entity(entity)
    losses = (
        FieldLoss(field, None, None, value, None, policy_for(entity, field))
        for field, value in changes.items()
    )
    return held_conflict(ConflictKind.ACCESS, losses)


def _unseen_fields(dots: Mapping[str, Dot], ctx: CausalContext) -> list[str]:
    return sorted(field for field, dot in dots.items() if not ctx.has_seen(dot))
