"""Dots and causal contexts: the "seen" relation of SYNC.md "Clocks"."""

import json

import pytest

from conflict import CausalContext, Dot


def test_dot_round_trips_through_json() -> None:
    for dot in (Dot(7, "dev-a", 3), Dot(0, None, None)):
        raw = json.loads(json.dumps(dot.to_json()))
        assert Dot.from_json(raw) == dot


def test_dot_json_shape_is_seq_client_mid() -> None:
    assert Dot(12, "dev-a", 4).to_json() == [12, "dev-a", 4]


BAD_DOT_JSON: list[object] = [
    [],
    [1, "a"],
    [1, "a", 2, 3],
    ["1", "a", 2],
    [1, 5, 2],
    [1, "a", "2"],
    "abc",
    [True, None, None],
]


@pytest.mark.parametrize("raw", BAD_DOT_JSON)
def test_dot_from_json_refuses_bad_shapes(raw: object) -> None:
    with pytest.raises(ValueError):
        Dot.from_json(raw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("seq", "client_id", "mid"),
    [(-1, None, None), (1, "a", None), (1, None, 2), (True, None, None)],
)
def test_dot_refuses_half_set_or_negative(seq: int, client_id: str | None, mid: int | None) -> None:
    with pytest.raises(ValueError):
        Dot(seq, client_id, mid)


def test_never_written_field_is_seen() -> None:
    assert CausalContext(0, "dev-a").has_seen(None)


def test_seen_via_base_seq() -> None:
    ctx = CausalContext(base_seq=10, client_id="dev-a")
    assert ctx.has_seen(Dot(10, "dev-b", 5))
    assert ctx.has_seen(Dot(3, None, None))
    assert not ctx.has_seen(Dot(11, "dev-b", 6))
    assert not ctx.has_seen(Dot(11, None, None))


def test_seen_via_own_client_id() -> None:
    ctx = CausalContext(base_seq=10, client_id="dev-a")
    assert ctx.has_seen(Dot(99, "dev-a", 42))


def test_server_side_context_sees_only_base_seq() -> None:
    # A REST writer has no device entry: a server-side write after its version is concurrent,
    # even though that write's client_id (None) equals the context's.
    ctx = CausalContext(base_seq=10, client_id=None)
    assert not ctx.has_seen(Dot(11, None, None))
    assert ctx.has_seen(Dot(10, None, None))


def test_context_refuses_negative_base_seq() -> None:
    with pytest.raises(ValueError):
        CausalContext(-1, "dev-a")
