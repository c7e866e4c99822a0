"""Search terms: how a record's searchable text is split into words, and how a query is.

Search is by word prefix, as CRMs search: every word of the query must begin a word of one of
the record's searchable fields (``EntitySpec.searchable``), in any field and any order, case
and accents ignored. "jo smi" finds "John Smith"; "jose" and "josé" both find "José";
"555-0100" and "5550100" both find a phone written "(555) 0100".

Text and query are first folded alike (``fold``): lower-cased, decomposed (Unicode NFKD), every
combining mark (categories Mn, Mc, Me) dropped, lower-cased again (NFKD can yield capitals, as
from U+210C), "ß" written "ss" and the final sigma (U+03C2) written as sigma (what
``str.casefold`` does for them: "Strasse" finds "Straße", and a Greek word is spelled alike at
its end or not), then recomposed (NFC: Hangul stays syllables). So "José", "Jose" + U+0301 and
"JOSE" are all "jose", "İstanbul" is "istanbul", "Ελλάδα" is "ελλαδα"; Han and Hangul are
unchanged. Marks that are not accents go too (kana voicing marks, Indic vowel signs): a query
then finds more, never less. Letters that are not a base letter with marks stay as they are
("ø", "ł", "æ"). A word is then a run of letters and digits; a value with digits in more than
one group also yields all its digits as one word, so phone numbers are found however they are
typed. The PWA applies the same rules (pwa/src/search/words.ts); both run
contracts/search/cases.json.

Words are stored per record and field in ``search_terms`` (kept by the write path) and looked up
by range (``term >= word AND term < next(word)``): equality and range comparisons are
*leakproof*, so PostgreSQL may use the index under forced row-level security, where no
``LIKE`` or trigram operator can (bench/README.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

MAX_TERM = 64  # longer words are cut: still found by any prefix of up to this length
MAX_QUERY_WORDS = 8

_SEPARATOR = re.compile(r"[\W_]+")
_NOT_DIGIT = re.compile(r"[^0-9]+")


_SPELLED = str.maketrans({"ß": "ss", "\u03c2": "\u03c3"})  # final sigma as sigma


def fold(text: str) -> str:
    """``text`` with case and accents ignored, as search compares it (module docstring)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    return unicodedata.normalize("NFC", bare.lower().translate(_SPELLED))


def _words(folded: str) -> list[str]:
    found = (w[:MAX_TERM] for w in _SEPARATOR.split(folded) if w)
    return list(dict.fromkeys(found))


def words(text: str) -> list[str]:
    """The words of ``text``, folded and cut to ``MAX_TERM``, in order, without repeats."""
    return _words(fold(text))


def terms(value: Any) -> set[str]:
    """What one field value is indexed under."""
    if not isinstance(value, str):
        return set()
    folded = fold(value)
    found = set(_words(folded))
    groups = [g for g in _NOT_DIGIT.split(folded) if g]
    if len(groups) > 1:
        found.add("".join(groups)[:MAX_TERM])
    return found


def record_terms(searchable: Iterable[str], values: Mapping[str, Any]) -> set[tuple[str, str]]:
    """(field, term) pairs of one record."""
    return {(field, term) for field in searchable for term in terms(values.get(field))}


CONTROL_CHARACTERS = "must not contain control characters such as line breaks"


def one_line(q: str) -> bool:
    """A query is one line of text, as typed in a search box: no control characters."""
    return not any(ord(c) < 32 or ord(c) == 127 for c in q)


def query_words(q: str) -> list[str]:
    """The words a query must all find (at most ``MAX_QUERY_WORDS``; the rest are ignored)."""
    return words(q)[:MAX_QUERY_WORDS]


def upper_bound(prefix: str) -> str:
    """The least string above every string starting with ``prefix`` (code point order)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def matched_fields(searchable: Iterable[str], values: Mapping[str, Any], q: str) -> list[str]:
    """The fields of a found record holding a word one of the query's words begins."""
    wanted = query_words(q)
    return [
        field
        for field in searchable
        if any(t.startswith(w) for t in terms(values.get(field)) for w in wanted)
    ]


def matches(searchable: Iterable[str], values: Mapping[str, Any], q: str) -> bool:
    """Whether ``q`` finds a record with these values (what the index answers, for rows that
    are not indexed, e.g. users)."""
    wanted = query_words(q)
    found = {term for _, term in record_terms(searchable, values)}
    return bool(wanted) and all(any(t.startswith(w) for t in found) for w in wanted)
