"""The search rules, case by case from contracts/search/cases.json (the PWA runs the same cases
through its local search, so both sides agree), and the word rules themselves."""

from __future__ import annotations

import importlib.util
import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from sync_server.search import (
    MAX_TERM,
    fold,
    matched_fields,
    matches,
    query_words,
    record_terms,
    terms,
    upper_bound,
    words,
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


def test_case_and_accents_are_folded_alike_in_text_and_query() -> None:
    assert fold("José") == fold("Jose\u0301") == fold("JOSE") == "jose"
    assert fold("İstanbul") == "istanbul"  # not "i" + U+0307, which split the word in two
    assert fold("Ελλάδα") == "ελλαδα" and fold("ΟΔΟΣ") == fold("οδος") == "οδοσ"
    assert fold("Straße") == fold("STRAẞE") == "strasse"
    compatible = "\uff21\uff23\uff2d\uff25 \u210c"  # fullwidth ACME, black-letter H
    assert fold(compatible) == "acme h"  # compatibility forms, lower-cased after NFKD
    assert fold("東京 서울") == "東京 서울"  # Hangul stays syllables (NFC)
    assert fold("Søren Łukasz") == "søren łukasz"  # no marks to drop: letters of their own
    assert words("Jose\u0301 Nu\u0303ñez") == ["jose", "nunez"]
    wide = "".join(chr(ord(c) + 0xFEE0) for c in "Tel 555-0100").replace("\u3000", " ")
    assert terms(wide) == {"tel", "555", "0100", "5550100"}  # fullwidth letters and digits


def test_folding_leaves_no_marks_and_is_stable() -> None:
    letters = [chr(c) for c in range(0x20, 0x3000) if unicodedata.category(chr(c))[0] in "LM"]
    for c in letters:
        once = fold(c)
        assert fold(once) == once, repr(c)
        assert not any(unicodedata.category(x).startswith("M") for x in once), repr(c)


def test_the_migration_indexes_by_these_rules() -> None:
    """Migration 0004 keeps its own copy of the rules (frozen): the same terms, as of now."""
    path = next((Path(__file__).parents[2] / "migrations" / "versions").glob("*0004_search*.py"))
    spec = importlib.util.spec_from_file_location("search_terms_0004", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    samples = [c["values"][f] for c in CASES for f in c["values"]]
    samples += ["Jose\u0301", "İstanbul", "Straße", "x" * (MAX_TERM + 9), "12-34", None, 7]
    for value in samples:
        assert migration._terms(value) == terms(value), repr(value)
