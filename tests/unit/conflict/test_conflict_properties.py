"""Property tests of the decision engine: no lost write, purity, determinism, no false alarms."""

import copy
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from conflict import (
    ENTITIES,
    FIELD_POLICIES,
    CausalContext,
    ConflictKind,
    Decision,
    Dot,
    Outcome,
    decide_convert,
    decide_delete,
    decide_restore,
    decide_update,
    merge_dots,
    same_value,
)

CLIENTS = st.sampled_from([None, "dev-a", "dev-b", "dev-c"])
# Few small values so that equal values (convergence) happen often; a list catches mutation.
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 2),
    st.floats(-2, 2, allow_nan=False),
    st.sampled_from(["", "a", "b"]),
    st.lists(st.integers(0, 1), max_size=2),
)


@st.composite
def dots(draw: st.DrawFn) -> Dot:
    client_id = draw(CLIENTS)
    mid = None if client_id is None else draw(st.integers(1, 20))
    return Dot(draw(st.integers(0, 30)), client_id, mid)


@dataclass
class Case:
    entity: str
    current: dict[str, object]
    dots: dict[str, Dot]
    changes: dict[str, object]
    ctx: CausalContext


@st.composite
def cases(draw: st.DrawFn) -> Case:
    entity = draw(st.sampled_from(ENTITIES))
    names = st.sampled_from([*FIELD_POLICIES[entity], "extra_a", "extra_b"])
    current = draw(st.dictionaries(names, VALUES, max_size=6))
    current["deleted_at"] = draw(st.sampled_from([None, "2026-01-01T00:00:00Z"]))
    stamped = st.one_of(names, st.just("deleted_at"))
    return Case(
        entity=entity,
        current=current,
        dots=draw(st.dictionaries(stamped, dots(), max_size=6)),
        changes=draw(st.dictionaries(names, VALUES, max_size=6)),
        ctx=CausalContext(draw(st.integers(0, 30)), draw(CLIENTS)),
    )


def _update(case: Case) -> Decision:
    return decide_update(case.entity, case.current, case.dots, case.changes, case.ctx)


def _all_decisions(case: Case) -> list[Decision]:
    return [
        _update(case),
        decide_delete(case.entity, case.current, case.dots, case.ctx, deleted_at="T"),
        decide_restore(case.entity, case.current, case.dots, case.ctx),
        decide_convert(case.current, case.dots, case.ctx, client_id="c-1", converted_on="T"),
    ]


@given(cases())
@settings(max_examples=400)
def test_no_lost_write(case: Case) -> None:
    decision = _update(case)
    auto = {loss.field: loss for loss in decision.auto_resolved}
    held = {loss.field: loss for loss in decision.held}
    assert set(decision.apply) <= set(case.changes)
    assert len(auto) == len(decision.auto_resolved) and len(held) == len(decision.held)
    for field, value in case.changes.items():
        in_apply = field in decision.apply
        places = {
            "converged": same_value(value, case.current.get(field)),
            "held": field in held,
            "auto_resolved": field in auto,
            "applied": in_apply and field not in auto,
        }
        assert sum(places.values()) == 1, (field, places)
        if field in auto:
            assert in_apply  # an auto-resolved field is one the device's value won
        if in_apply:
            assert decision.apply[field] is value
        for loss in (held.get(field), auto.get(field)):
            if loss is not None:
                assert loss.client is value
                assert loss.server == case.current.get(field)
                assert loss.server_dot == case.dots.get(field)


@given(cases())
def test_outcome_matches_what_was_lost(case: Case) -> None:
    decision = _update(case)
    if decision.held:
        assert decision.outcome is Outcome.CONFLICT
        assert decision.kind in (ConflictKind.FIELD, ConflictKind.DELETE_UPDATE)
    elif decision.auto_resolved:
        assert decision.outcome is Outcome.MERGED
    else:
        assert decision.outcome is Outcome.APPLIED


@given(cases())
def test_decide_functions_never_mutate_inputs(case: Case) -> None:
    before = copy.deepcopy(case)
    _all_decisions(case)
    merge_dots(case.dots, case.changes, Dot(99, "dev-a", 1))
    assert case == before


@given(cases())
def test_decisions_are_deterministic(case: Case) -> None:
    first = _all_decisions(case)
    assert _all_decisions(copy.deepcopy(case)) == first
    # Whole-record ops must not depend on the order the server happened to load the dots in.
    reordered = copy.deepcopy(case)
    reordered.dots = dict(reversed(list(case.dots.items())))
    assert _all_decisions(reordered)[1:] == first[1:]


@given(cases())
def test_device_that_has_seen_everything_never_conflicts(case: Case) -> None:
    top = max((dot.seq for dot in case.dots.values()), default=0)
    seen_all = CausalContext(top + case.ctx.base_seq, case.ctx.client_id)
    case.ctx = seen_all
    update = _update(case)
    assert update.outcome is Outcome.APPLIED
    assert not update.held and not update.auto_resolved
    delete = decide_delete(case.entity, case.current, case.dots, seen_all, deleted_at="T")
    assert delete.outcome is Outcome.APPLIED
    case.current["converted_client_id"] = None
    assert (
        decide_convert(case.current, case.dots, seen_all, client_id="c-1", converted_on="T").outcome
        is Outcome.APPLIED
    )


@given(cases(), st.integers(1, 100))
def test_replaying_after_applying_writes_nothing_more(case: Case, mid: int) -> None:
    first = _update(case)
    top = max((dot.seq for dot in case.dots.values()), default=case.ctx.base_seq)
    written = Dot(top + 1, case.ctx.client_id, None if case.ctx.client_id is None else mid)
    case.current = {**case.current, **first.apply}
    case.dots = merge_dots(case.dots, first.apply, written)
    again = _update(case)
    assert again.apply == {} and again.auto_resolved == ()
    assert {loss.field for loss in again.held} == {loss.field for loss in first.held}
