"""delete, restore, convert and writes to purged records: the conflict kinds of SYNC.md."""

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
    decide_convert,
    decide_delete,
    decide_lost_access,
    decide_restore,
    decide_update_of_missing,
)

WHEN = "2026-11-21T10:00:00Z"
LEAD = {"name": "Acme", "phone": "555-0000", "lead_status": "qualified", "deleted_at": None}
DOTS = {"name": Dot(5, None, None), "phone": Dot(20, "dev-b", 9)}
STALE = CausalContext(base_seq=10, client_id="dev-a")  # has not seen B's phone edit
FRESH = CausalContext(base_seq=20, client_id="dev-a")
TRASHED = {**LEAD, "deleted_at": WHEN}
NOTHING = Decision(Outcome.APPLIED, {}, (), (), None)


def test_delete_of_fully_seen_record_applies_the_marker() -> None:
    decision = decide_delete("lead", LEAD, DOTS, FRESH, deleted_at=WHEN)
    assert decision == Decision(Outcome.APPLIED, {"deleted_at": WHEN}, (), (), None)


def test_delete_after_own_edit_applies() -> None:
    own = CausalContext(base_seq=10, client_id="dev-b")
    assert decide_delete("lead", LEAD, DOTS, own, deleted_at=WHEN).outcome is Outcome.APPLIED


def test_delete_vs_concurrent_update_is_delete_update() -> None:
    decision = decide_delete("lead", LEAD, DOTS, STALE, deleted_at=WHEN)
    assert decision.outcome is Outcome.CONFLICT
    assert decision.kind is ConflictKind.DELETE_UPDATE
    assert decision.apply == {}
    assert decision.held == (
        FieldLoss("phone", None, "555-0000", None, Dot(20, "dev-b", 9), Policy.LWW),
    )


def test_delete_of_trashed_record_converges() -> None:
    dots = {**DOTS, "deleted_at": Dot(30, "dev-c", 1)}
    assert decide_delete("lead", TRASHED, dots, STALE, deleted_at=WHEN) == NOTHING


def test_delete_vs_concurrent_restore_is_delete_update() -> None:
    dots = {**DOTS, "deleted_at": Dot(30, None, None)}  # someone trashed then restored it
    decision = decide_delete("lead", LEAD, dots, FRESH, deleted_at=WHEN)
    assert decision.kind is ConflictKind.DELETE_UPDATE
    assert [loss.field for loss in decision.held] == ["deleted_at"]


def test_delete_needs_a_marker_and_a_known_entity() -> None:
    with pytest.raises(ValueError):
        decide_delete("lead", LEAD, DOTS, FRESH, deleted_at=None)
    with pytest.raises(KeyError):
        decide_delete("invoice", LEAD, DOTS, FRESH, deleted_at=WHEN)


def test_restore_of_live_record_converges() -> None:
    assert decide_restore("lead", LEAD, DOTS, STALE) == NOTHING


def test_restore_after_seen_delete_applies() -> None:
    dots = {**DOTS, "deleted_at": Dot(8, "dev-c", 1)}
    decision = decide_restore("lead", TRASHED, dots, STALE)
    assert decision == Decision(Outcome.APPLIED, {"deleted_at": None}, (), (), None)


def test_restore_wins_over_unseen_delete_and_logs_it() -> None:
    dots = {**DOTS, "deleted_at": Dot(30, "dev-c", 1)}
    decision = decide_restore("client", TRASHED, dots, STALE)
    assert decision.outcome is Outcome.MERGED
    assert dict(decision.apply) == {"deleted_at": None}
    assert decision.auto_resolved == (
        FieldLoss("deleted_at", None, WHEN, None, Dot(30, "dev-c", 1), Policy.LWW),
    )


def _convert(current: Mapping[str, object], ctx: CausalContext, client_id: str = "c-1") -> Decision:
    return decide_convert(current, DOTS, ctx, client_id=client_id, converted_on=WHEN)


def test_convert_of_fully_seen_lead_applies_conversion_fields() -> None:
    decision = _convert(LEAD, FRESH)
    assert decision.outcome is Outcome.APPLIED
    assert dict(decision.apply) == {
        "lead_status": "converted",
        "converted_client_id": "c-1",
        "converted_on": WHEN,
    }


def test_convert_of_concurrently_changed_lead_is_held() -> None:
    decision = _convert(LEAD, STALE)
    assert decision.outcome is Outcome.CONFLICT
    assert decision.kind is ConflictKind.CONVERT
    assert decision.apply == {}
    held = {loss.field: loss.client for loss in decision.held}
    assert held == {
        "lead_status": "converted",
        "converted_client_id": "c-1",
        "converted_on": WHEN,
        "phone": None,
    }
    assert [loss.field for loss in decision.held][-1] == "phone"


def test_convert_replay_converges() -> None:
    converted = {**LEAD, "lead_status": "converted", "converted_client_id": "c-1"}
    assert _convert(converted, STALE) == NOTHING


def test_convert_of_lead_converted_elsewhere_is_held() -> None:
    converted = {**LEAD, "lead_status": "converted", "converted_client_id": "c-9"}
    decision = _convert(converted, FRESH)
    assert decision.kind is ConflictKind.CONVERT
    assert decision.apply == {}
    assert {loss.field for loss in decision.held} == {
        "lead_status",
        "converted_client_id",
        "converted_on",
    }


def test_convert_after_manual_converted_status_applies() -> None:
    # A status set to "converted" by hand (no client yet) is no second conversion.
    decision = _convert({**LEAD, "lead_status": "converted"}, FRESH)
    assert decision.outcome is Outcome.APPLIED


def test_update_of_purged_record_holds_every_field() -> None:
    decision = decide_update_of_missing("project", {"name": "Roof", "project_worth": "10.00"})
    assert decision.outcome is Outcome.CONFLICT
    assert decision.kind is ConflictKind.UPDATE_PURGED
    assert decision.apply == {}
    assert decision.held == (
        FieldLoss("name", None, None, "Roof", None, Policy.LWW),
        FieldLoss("project_worth", None, None, "10.00", None, Policy.MANUAL),
    )


def test_update_of_purged_record_is_a_conflict_even_when_empty() -> None:
    decision = decide_update_of_missing("note", {})
    assert decision.kind is ConflictKind.UPDATE_PURGED
    with pytest.raises(KeyError):
        decide_update_of_missing("invoice", {"name": "x"})


def test_a_write_after_lost_access_holds_the_device_values_and_no_server_side() -> None:
    decision = decide_lost_access("lead", {"phone": "555-0177", "lead_status": "lost"})
    assert (decision.outcome, decision.kind, decision.apply) == (
        Outcome.CONFLICT,
        ConflictKind.ACCESS,
        {},
    )
    assert decision.held == (
        FieldLoss("phone", None, None, "555-0177", None, Policy.LWW),
        FieldLoss("lead_status", None, None, "lost", None, Policy.MANUAL),
    )
    assert decision.auto_resolved == ()
    with pytest.raises(KeyError):
        decide_lost_access("invoice", {})
