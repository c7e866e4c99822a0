"""The search rules, case by case from contracts/search/cases.json (the PWA runs the same cases
through its local search, so both sides agree), and the word rules themselves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sync_server.search import (
    MAX_TERM,
    matched_fields,
    matches,
    query_words,
    record_terms,
    terms,
    upper_bound,
)

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parents[2] / "contracts" / "search" / "cases.json").read_text()
)["cases"]


@pytest.mark.parametrize("case", CASES, ids=[f"{c['q']!r} in {c['values']}" for c in CASES])
def test_shared_case(case: dict[str, Any]) -> None:
    searchable = list(case["values"])
    assert matches(searchable, case["values"], case["q"]) is case["match"]
    assert matched_fields(searchable, case["values"], case["q"]) == case["fields"]


def test_words_are_lower_cased_cut_and_deduplicated() -> None:
    assert query_words("Deck deck DECK kit") == ["deck", "kit"]
    long = "x" * (MAX_TERM + 10)
    assert terms(long) == {"x" * MAX_TERM}
    assert terms(None) == set() and terms(42) == set()
    assert terms("12-34") == {"12", "34", "1234"}  # digits in two groups: also joined
    assert terms("Unit 7") == {"unit", "7"}  # one group: nothing more
    assert record_terms(("a", "b"), {"a": "x y", "b": "y"}) == {("a", "x"), ("a", "y"), ("b", "y")}


def test_upper_bound_is_the_least_string_after_every_prefixed_one() -> None:
    assert upper_bound("abc") == "abd"
    for word in ("abc", "abc\uffff", "abcz" * 20):
        assert "abc" <= word < upper_bound("abc")
    assert upper_bound("abc") <= "abd"
