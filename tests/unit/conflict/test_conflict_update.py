"""decide_update and merge_dots: one test per rule of conflict/merge.py."""

from collections.abc import Mapping

import pytest

from conflict import (
    CausalContext,
    ConflictKind,
    Decision,
    Dot,
    FieldLoss,
    Outcome,
    Policy,
    decide_update,
    merge_dots,
)

LEAD = {"name": "Acme", "phone": "555-0000", "lead_status": "new", "deleted_at": None}
# phone and lead_status were last written at seq 20 by device B.
DOTS = {
    "name": Dot(5, None, None),
    "phone": Dot(20, "dev-b", 9),
    "lead_status": Dot(20, "dev-b", 9),
}
STALE = CausalContext(base_seq=10, client_id="dev-a")  # has not pulled B's write
FRESH = CausalContext(base_seq=20, client_id="dev-a")


def _update(
    changes: Mapping[str, object], ctx: CausalContext, current: Mapping[str, object] = LEAD
) -> Decision:
    return decide_update("lead", current, DOTS, changes, ctx)


def test_seen_via_base_seq_applies() -> None:
    decision = _update({"phone": "555-0100", "lead_status": "qualified"}, FRESH)
    assert decision.outcome is Outcome.APPLIED
    assert dict(decision.apply) == {"phone": "555-0100", "lead_status": "qualified"}
    assert decision.kind is None and not decision.held and not decision.auto_resolved


def test_seen_via_own_client_id_applies() -> None:
    own = CausalContext(base_seq=10, client_id="dev-b")
    decision = _update({"lead_status": "lost"}, own)
    assert decision.outcome is Outcome.APPLIED
    assert dict(decision.apply) == {"lead_status": "lost"}


def test_never_written_field_applies() -> None:
    decision = _update({"city": "Lyon"}, CausalContext(0, "dev-a"))
    assert decision.outcome is Outcome.APPLIED
    assert dict(decision.apply) == {"city": "Lyon"}


def test_concurrent_lww_field_applies_and_logs_the_server_value() -> None:
    decision = _update({"phone": "555-0100"}, STALE)
    assert decision.outcome is Outcome.MERGED
    assert dict(decision.apply) == {"phone": "555-0100"}
    assert decision.auto_resolved == (
        FieldLoss("phone", None, "555-0000", "555-0100", Dot(20, "dev-b", 9), Policy.LWW),
    )
    assert decision.held == () and decision.kind is None


def test_concurrent_manual_field_is_held_and_others_still_apply() -> None:
    decision = _update({"lead_status": "qualified", "phone": "555-0100", "city": "Lyon"}, STALE)
    assert decision.outcome is Outcome.CONFLICT
    assert decision.kind is ConflictKind.FIELD
    assert dict(decision.apply) == {"phone": "555-0100", "city": "Lyon"}
    assert decision.held == (
        FieldLoss("lead_status", None, "new", "qualified", Dot(20, "dev-b", 9), Policy.MANUAL),
    )
    assert [loss.field for loss in decision.auto_resolved] == ["phone"]


def test_equal_values_converge_even_when_concurrent() -> None:
    decision = _update({"lead_status": "new", "phone": "555-0000"}, STALE)
    assert decision == Decision(Outcome.APPLIED, {}, (), (), None)


def test_equality_is_type_strict() -> None:
    current = {**LEAD, "is_primary": 1}
    decision = decide_update("contact", current, {}, {"is_primary": True}, STALE)
    assert dict(decision.apply) == {"is_primary": True}


def test_missing_key_in_current_reads_as_null() -> None:
    decision = decide_update("lead", {}, {}, {"city": None, "state": "CA"}, STALE)
    assert dict(decision.apply) == {"state": "CA"}


def test_update_of_trashed_record_unseen_delete_is_delete_update() -> None:
    current = {**LEAD, "deleted_at": "2026-11-21T10:00:00Z"}
    dots = {**DOTS, "deleted_at": Dot(30, "dev-c", 2)}
    decision = decide_update("lead", current, dots, {"phone": "1", "name": "Acme"}, FRESH)
    assert decision.outcome is Outcome.CONFLICT
    assert decision.kind is ConflictKind.DELETE_UPDATE
    assert decision.apply == {}
    # "name" is unchanged, so nothing of it is lost; only the real edit is held.
    assert decision.held == (
        FieldLoss("phone", None, "555-0000", "1", Dot(20, "dev-b", 9), Policy.LWW),
    )


def test_update_of_trashed_record_seen_delete_follows_field_rules() -> None:
    current = {**LEAD, "deleted_at": "2026-11-21T10:00:00Z"}
    dots = {**DOTS, "deleted_at": Dot(15, "dev-c", 2)}
    decision = decide_update("lead", current, dots, {"phone": "1"}, FRESH)
    assert decision.outcome is Outcome.APPLIED
    assert dict(decision.apply) == {"phone": "1"}


def test_unchanged_update_of_trashed_record_is_not_a_conflict() -> None:
    current = {**LEAD, "deleted_at": "2026-11-21T10:00:00Z"}
    dots = {**DOTS, "deleted_at": Dot(30, "dev-c", 2)}
    assert decide_update("lead", current, dots, {"name": "Acme"}, STALE).outcome is Outcome.APPLIED


def test_unknown_entity_raises_even_without_concurrency() -> None:
    with pytest.raises(KeyError):
        decide_update("invoice", {}, {}, {"name": "x"}, FRESH)


@pytest.mark.parametrize("field", ["deleted_at", "id", "version", "created_by"])
def test_bookkeeping_fields_are_refused(field: str) -> None:
    with pytest.raises(ValueError, match=field):
        decide_update("lead", LEAD, DOTS, {field: "x"}, FRESH)


def test_decision_apply_is_read_only_and_detached() -> None:
    changes: dict[str, object] = {"phone": "1"}
    decision = _update(changes, FRESH)
    changes["phone"] = "2"
    assert decision.apply["phone"] == "1"
    with pytest.raises(TypeError):
        decision.apply["phone"] = "3"  # type: ignore[index]


def test_decision_refuses_inconsistent_outcomes() -> None:
    loss = FieldLoss("phone", None, "a", "b", None, Policy.LWW)
    for bad in [
        (Outcome.CONFLICT, (), (), None),
        (Outcome.APPLIED, (), (), ConflictKind.FIELD),
        (Outcome.APPLIED, (loss,), (), None),
        (Outcome.MERGED, (), (), None),
        (Outcome.MERGED, (), (loss,), None),
    ]:
        outcome, auto, held, kind = bad
        with pytest.raises(ValueError):
            Decision(outcome, {}, auto, held, kind)


def test_merge_dots_stamps_only_given_fields_and_copies() -> None:
    new = Dot(40, "dev-a", 7)
    stamped = merge_dots(DOTS, ["phone", "city"], new)
    assert stamped == {**DOTS, "phone": new, "city": new}
    assert DOTS["phone"] == Dot(20, "dev-b", 9)
    assert stamped is not DOTS
