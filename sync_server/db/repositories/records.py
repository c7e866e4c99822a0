"""Generic queries over the eight record tables, driven by an EntitySpec.

Lists use keyset pagination over (sort column, id); NULLs sort last in both directions, which the
cursor encodes as a flag so nullable columns page correctly too. A NOT NULL sort column pages with
a row comparison and no NULL ordering key, so PostgreSQL reads the page in index order; a user's
list of owned records (leads, clients) is the union of two such reads, one per owner index
(``visibility.visible_branches``).

Detail and list statements are templates (``base.scoped``), built once per entity and query
shape; a request only binds its values.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    Table,
    Uuid,
    and_,
    bindparam,
    exists,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    tuple_,
    union,
)
from sqlalchemy.sql import Executable
from sqlalchemy.sql.functions import GenericFunction

from sync_server.db.models import Conflict, RecordBase, SearchTerm
from sync_server.db.repositories.base import TENANT, ScopedRepository, scoped
from sync_server.db.repositories.visibility import visible_branches, visible_clause
from sync_server.entities import EntitySpec
from sync_server.search import query_words, upper_bound


@dataclass(frozen=True, slots=True)
class ListQuery:
    sort: str = "created_at"
    descending: bool = True
    limit: int = 25
    after: tuple[bool, Any, uuid.UUID] | None = None  # (value is null, value, id)
    filters: dict[str, Any] = field(default_factory=dict)
    ranges: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # column -> (from, to)
    # Rows where any of these columns holds any of the values (admin ``user_id``: created_by or
    # assigned_to).
    any_of: tuple[tuple[str, ...], tuple[Any, ...]] | None = None
    q: str | None = None
    trashed: bool = False
    count: bool = False
    offset: int | None = None


@dataclass(frozen=True, slots=True)
class Page:
    # Result rows of the ``read_columns`` (and the sort column) as attributes, not ORM objects:
    # a list is read-only, and loading ORM objects cost more than the query.
    rows: list[Any]
    has_more: bool
    total: int | None


# A word beginning the words of at least this many records of the tenant is common: a list
# then reads its rows in order and tests each (it soon has its page) instead of first finding
# every record the word begins.
COMMON_WORD = 1000


class _Position(GenericFunction[int]):
    """1-based position of a substring, 0 when absent: PostgreSQL's ``strpos`` (SQLite lists
    take every word as rare, so never test rows this way)."""

    name = "strpos"
    type = Integer()
    inherit_cache = True


class Word(StrEnum):
    """How a list tests one word of ``q`` (``_matches``)."""

    RARE = "rare"  # from the records the word finds
    COMMON = "common"  # per row read: a substring test of an ASCII row's text, then the index
    # Per row read, the index only: digits (joined across groups, in no column as such) and
    # words beyond ASCII (lower() may differ between the database and Python for them).
    COMMON_PROBE = "common_probe"


def _word_range(i: int) -> tuple[ColumnElement[bool], ...]:
    terms = SearchTerm.__table__.c
    return (
        terms.term >= bindparam(f"q_from_{i}", type_=String()),
        terms.term < bindparam(f"q_to_{i}", type_=String()),
    )


def _matches(spec: EntitySpec, words: tuple[Word, ...]) -> list[ColumnElement[bool]]:
    """``q``: each of its words (bind parameters ``q_from_i`` / ``q_to_i``, a prefix range:
    ``sync_server.search``) begins a word of one of the record's searchable fields. No words
    (a ``q`` of punctuation only) match nothing.

    Range comparisons are leakproof, so PostgreSQL uses the ``search_terms`` indexes under
    forced RLS (no ``LIKE`` or trigram condition can drive one there). A rare word is a
    semi-join from the few records it finds. A common word is tested on each row the list
    reads in order (it soon has its page): first the row's own text holds the word, or is not
    all ASCII (cheap, no index; ``COMMON_PROBE`` words skip it), then the
    ``(entity, record_id, term)`` index confirms it begins a word (``EXISTS`` with
    ``OFFSET 0``, which PostgreSQL keeps as that per-row probe). SQLite takes every word as
    rare."""
    if not words:
        return [false()]
    terms = SearchTerm.__table__.c
    scope = (terms.tenant_id == TENANT, terms.entity == spec.name)
    out: list[ColumnElement[bool]] = []
    for i, kind in enumerate(words):
        if kind is Word.RARE:
            out.append(spec.model.id.in_(select(terms.record_id).where(*scope, *_word_range(i))))
            continue
        if kind is Word.COMMON:
            document = _document(spec)
            text = _Position(func.lower(document), bindparam(f"q_from_{i}", type_=String()))
            # Words are folded (accents dropped: "José" is indexed "jose"), so only an ASCII
            # row's lower-cased text surely holds the ASCII word; any other row goes to the
            # index (its bytes outnumber its characters).
            beyond_ascii = func.octet_length(document) != func.char_length(document)
            out.append(or_(text > 0, beyond_ascii))
        probe = select(literal(1)).where(*scope, terms.record_id == spec.model.id, *_word_range(i))
        out.append(exists(probe.offset(literal_column("0"))))
    return out


# Joins the searched columns for the substring test of common words (not a match by itself).
_SEPARATOR = "\n"


def _document(spec: EntitySpec) -> ColumnElement[Any]:
    table = table_of(spec)
    parts: list[ColumnElement[Any]] = [
        func.coalesce(table.c[c], literal("")) if table.c[c].nullable else table.c[c]
        for c in spec.searchable
    ]
    document = parts[0]
    for part in parts[1:]:
        document = document.concat(literal(_SEPARATOR)).concat(part)
    return document


@lru_cache(maxsize=1)
def _word_count_statement() -> Executable:
    """How many records (up to ``COMMON_WORD``) a word (``q_from_0`` / ``q_to_0``) begins."""
    terms = SearchTerm.__table__.c
    found = (
        select(terms.record_id)
        .where(terms.tenant_id == TENANT, terms.entity == bindparam("entity"), *_word_range(0))
        .limit(bindparam("common", type_=Integer()))
    )
    return select(func.count()).select_from(found.subquery())


def table_of(spec: EntitySpec) -> Table:
    table: Table = spec.model.__table__  # type: ignore[attr-defined]
    return table


@lru_cache(maxsize=64)
def read_columns(spec: EntitySpec) -> tuple[str, ...]:
    """The columns a record is read with (its Read model's fields, in order): lists select
    these only (``field_dots``, a JSON column no list shows, cost a sixth of a list's CPU to
    decode)."""
    return tuple(spec.read.model_fields)


def _nullable(spec: EntitySpec, name: str) -> bool:
    return bool(table_of(spec).c[name].nullable)


def _order(col: Any, id_col: Any, desc: bool, nullable: bool) -> list[Any]:
    """NULLs last in both directions (``NULLS LAST`` names result columns only, so a UNION can
    be ordered by it; a NOT NULL column needs none)."""
    first = col.desc() if desc else col.asc()
    return [first.nulls_last() if nullable else first, id_col.desc() if desc else id_col.asc()]


# Bind parameters shared by the templates; ``get`` and ``_list_params`` fill them by name.
_UID = bindparam("uid", type_=Uuid())
_LIMIT = bindparam("limit", type_=Integer())


@lru_cache(maxsize=64)
def _get_statement(spec: EntitySpec, visible: bool, for_update: bool) -> Select[Any]:
    m = spec.model
    stmt = scoped(m).where(m.id == bindparam("id", type_=Uuid()))
    if visible:
        stmt = stmt.where(visible_clause(spec, m, _UID))
    return stmt.with_for_update(of=m) if for_update else stmt


@lru_cache(maxsize=64)
def _read_statement(spec: EntitySpec) -> Select[Any]:
    m, columns = spec.model, table_of(spec).c
    stmt = scoped(m, *(columns[name] for name in read_columns(spec)))
    return stmt.where(m.id == bindparam("id", type_=Uuid()), visible_clause(spec, m, _UID))


@dataclass(frozen=True, slots=True)
class _Shape:
    """What a list statement looks like, without its values: one template per shape."""

    sort: str
    descending: bool
    trashed: bool
    filters: tuple[tuple[str, str], ...]  # (column, "one" | "many" | "null")
    any_of: tuple[str, ...]
    ranges: tuple[tuple[str, bool, bool], ...]  # (column, has from, has to)
    q: tuple[Word, ...] | None  # how each word of ``q`` is tested (None: no ``q``)
    after: str | None  # None, "null" (inside the NULL tail) or "value"
    visible: bool
    union: bool
    offset: bool

    @classmethod
    def of(
        cls, query: ListQuery, visible: bool, union: bool, words: tuple[Word, ...] | None = None
    ) -> _Shape:
        kinds = {list: "many", type(None): "null"}
        return cls(
            sort=query.sort,
            descending=query.descending,
            trashed=query.trashed,
            filters=tuple((n, kinds.get(type(v), "one")) for n, v in query.filters.items()),
            any_of=query.any_of[0] if query.any_of else (),
            ranges=tuple(
                (n, lo is not None, hi is not None) for n, (lo, hi) in query.ranges.items()
            ),
            q=words,
            after=None if query.after is None else ("null" if query.after[0] else "value"),
            visible=visible,
            union=union,
            offset=bool(query.offset),
        )


def _list_params(query: ListQuery, visible_to: uuid.UUID | None) -> dict[str, Any]:
    params: dict[str, Any] = {"limit": query.limit + 1, "uid": visible_to}
    params |= {f"f_{n}": v for n, v in query.filters.items() if v is not None}
    if query.any_of:
        params |= {f"any_{c}": list(query.any_of[1]) for c in query.any_of[0]}
    for name, (low, high) in query.ranges.items():
        params |= {f"from_{name}": low, f"to_{name}": high}
    for i, word in enumerate(query_words(query.q) if query.q is not None else ()):
        params[f"q_from_{i}"], params[f"q_to_{i}"] = word, upper_bound(word)
    if query.after is not None:
        params["after_value"], params["after_id"] = query.after[1], query.after[2]
    params["window"] = (query.offset or 0) + query.limit + 1
    params["offset"] = query.offset or 0
    return params


def _conditions(spec: EntitySpec, shape: _Shape) -> list[ColumnElement[bool]]:
    """The list's conditions, visibility and keyset apart."""
    m, c = spec.model, table_of(spec).c
    out: list[ColumnElement[bool]] = [
        m.deleted_at.is_not(None) if shape.trashed else m.deleted_at.is_(None)
    ]
    for name, kind in shape.filters:
        value = bindparam(f"f_{name}", type_=c[name].type, expanding=kind == "many")
        col = getattr(m, name)
        out.append(
            col.is_(None) if kind == "null" else col.in_(value) if kind == "many" else col == value
        )
    if shape.any_of:
        out.append(
            or_(*(getattr(m, n).in_(bindparam(f"any_{n}", expanding=True)) for n in shape.any_of))
        )
    for name, low, high in shape.ranges:
        col = getattr(m, name)
        if low:
            out.append(col >= bindparam(f"from_{name}", type_=c[name].type))
        if high:
            out.append(col < bindparam(f"to_{name}", type_=c[name].type))
    if shape.q is not None:
        out.extend(_matches(spec, shape.q))
    return out


def _keyset(spec: EntitySpec, shape: _Shape, nullable: bool) -> ColumnElement[bool]:
    m = spec.model
    col, id_col = getattr(m, shape.sort), m.id
    value = bindparam("after_value", type_=table_of(spec).c[shape.sort].type)
    last_id = bindparam("after_id", type_=Uuid())
    desc = shape.descending
    if not nullable:
        # One row comparison: a range on the (col, id) index order, not an OR of conditions.
        key, bound = tuple_(col, id_col), tuple_(value, last_id)
        return key < bound if desc else key > bound
    id_after = id_col < last_id if desc else id_col > last_id
    if shape.after == "null":  # already in the NULL tail: only ids continue
        return and_(col.is_(None), id_after)
    beyond = col < value if desc else col > value
    return or_(beyond, and_(col == value, id_after), col.is_(None))


@lru_cache(maxsize=512)
def _list_statement(spec: EntitySpec, shape: _Shape) -> Executable:
    m = spec.model
    nullable = _nullable(spec, shape.sort)
    columns = table_of(spec).c
    selected = [columns[name] for name in dict.fromkeys((*read_columns(spec), shape.sort))]
    filtered = scoped(m, *selected).where(*_conditions(spec, shape))
    if shape.after is not None:
        filtered = filtered.where(_keyset(spec, shape, nullable))
    order = _order(getattr(m, shape.sort), m.id, shape.descending, nullable)
    offset = bindparam("offset", type_=Integer()) if shape.offset else None
    if not shape.union:
        if shape.visible:
            filtered = filtered.where(visible_clause(spec, m, _UID))
        return filtered.order_by(*order).limit(_LIMIT).offset(offset)
    # Each branch reads its own index in list order and stops after the rows this page can
    # need; the union drops the rows both branches found and sorts the rest.
    window = bindparam("window", type_=Integer())
    branches = visible_branches(spec, m, _UID)
    merged = union(*(filtered.where(b).order_by(*order).limit(window) for b in branches))
    by_name = _order(literal_column(shape.sort), literal_column("id"), shape.descending, nullable)
    merged = merged.order_by(*by_name)
    return merged.limit(_LIMIT).offset(offset)


@lru_cache(maxsize=64)
def _branched(spec: EntitySpec) -> bool:
    return len(visible_branches(spec, spec.model, _UID)) > 1


@lru_cache(maxsize=512)
def _count_statement(spec: EntitySpec, shape: _Shape) -> Executable:
    m = spec.model
    counted = scoped(m).where(*_conditions(spec, shape))
    if shape.visible:
        counted = counted.where(visible_clause(spec, m, _UID))
    return select(func.count()).select_from(counted.subquery())


class RecordsRepository(ScopedRepository):
    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        # Users whose synced set this unit of work changed: they get a poke after commit.
        self.touched: set[uuid.UUID] = set()

    async def get(
        self,
        spec: EntitySpec,
        record_id: uuid.UUID,
        *,
        visible_to: uuid.UUID | None,
        for_update: bool = False,
    ) -> RecordBase | None:
        stmt = _get_statement(spec, visible_to is not None, for_update)
        result = await self._run(stmt, {"id": record_id, "uid": visible_to})
        row: RecordBase | None = result.scalar_one_or_none()
        return row

    async def read(self, spec: EntitySpec, record_id: uuid.UUID, *, visible_to: uuid.UUID) -> Any:
        """The record as a result row of its ``read_columns`` if ``visible_to`` may see it, else
        None: a detail read needs no ORM object (``get`` is for writes)."""
        params = {"id": record_id, "uid": visible_to}
        return (await self._run(_read_statement(spec), params)).first()

    async def exists(self, spec: EntitySpec, record_id: uuid.UUID) -> bool:
        stmt = self._select(spec.model, spec.model.id).where(spec.model.id == record_id)
        return (await self._session.execute(stmt)).first() is not None

    async def page(
        self, spec: EntitySpec, query: ListQuery, *, visible_to: uuid.UUID | None
    ) -> Page:
        visible = visible_to is not None
        # The two-branch union pays off where there is a planner to use it: PostgreSQL (SQLite
        # cannot order a UNION's members either).
        union = (
            visible and _branched(spec) and self._session.get_bind().dialect.name == "postgresql"
        )
        words = None if query.q is None else await self._words(spec, query.q)
        shape = _Shape.of(query, visible, union, words)
        params = _list_params(query, visible_to)
        total = None
        if query.count:  # every match is counted: from the records the words find
            rare = None if words is None else tuple(Word.RARE for _ in words)
            counted = _count_statement(spec, replace(shape, q=rare))
            total = int((await self._run(counted, params)).scalar_one())
        rows = list(await self._run(_list_statement(spec, shape), params))
        return Page(rows[: query.limit], len(rows) > query.limit, total)

    async def _words(self, spec: EntitySpec, q: str) -> tuple[Word, ...]:
        """How to test each word of ``q``: all common (each begins the words of ``COMMON_WORD``
        records or more), or all from the records they find as soon as one is rare (one short
        index read per word, stopping at the first rare one)."""
        words = query_words(q)
        if self._session.get_bind().dialect.name != "postgresql":
            return tuple(Word.RARE for _ in words)  # SQLite: small data, one plan
        for word in words:
            params: dict[str, Any] = {"entity": spec.name, "common": COMMON_WORD}
            params |= {"q_from_0": word, "q_to_0": upper_bound(word)}
            if (await self._run(_word_count_statement(), params)).scalar_one() < COMMON_WORD:
                return tuple(Word.RARE for _ in words)
        return tuple(
            Word.COMMON if w.isascii() and not w.isdigit() else Word.COMMON_PROBE for w in words
        )

    async def searchable_page(
        self, spec: EntitySpec, after: uuid.UUID | None, limit: int
    ) -> list[Any]:
        """Ids and searchable fields of the records (Trash included), in id order after
        ``after``: for rebuilding the search index."""
        m: Any = spec.model
        stmt = self._select(m, m.id, *(getattr(m, f) for f in spec.searchable))
        if after is not None:
            stmt = stmt.where(m.id > after)
        return list(await self._session.execute(stmt.order_by(m.id).limit(limit)))

    async def owned_by(self, spec: EntitySpec, user_id: uuid.UUID) -> list[uuid.UUID]:
        """Ids of the records ``user_id`` owns (in Trash too): assigned to them, or unassigned,
        created by them and not inheriting visibility from a parent (``check_reassignment``'s
        notion of owner; an unassigned project under a client follows the client instead)."""
        m: Any = spec.model
        own = m.created_by == user_id
        if "assigned_to" in spec.fields:
            own = and_(m.assigned_to.is_(None), own)
        for parent in spec.parents:
            if parent.governs_visibility:
                own = and_(getattr(m, parent.field).is_(None), own)
        if "assigned_to" in spec.fields:
            own = or_(m.assigned_to == user_id, own)
        stmt = self._select(m, m.id).where(own).order_by(m.id)
        return list((await self._session.execute(stmt)).scalars())

    async def flush(self) -> None:
        await self._flush()

    async def insert(self, row: RecordBase) -> RecordBase:
        self._add(row)
        await self._flush()
        return row

    async def purge(self, spec: EntitySpec, record_id: uuid.UUID) -> None:
        """Delete the record, and its words from the search index."""
        await self._session.execute(self._delete(spec.model).where(spec.model.id == record_id))
        words = SearchTerm.__table__.c
        await self._session.execute(
            self._delete(SearchTerm).where(words.entity == spec.name, words.record_id == record_id)
        )

    async def children(
        self,
        spec: EntitySpec,
        column: str,
        parent_ids: Sequence[uuid.UUID],
        *,
        extra: ColumnElement[bool] | None = None,
    ) -> list[RecordBase]:
        if not parent_ids:
            return []
        stmt = self._select(spec.model).where(getattr(spec.model, column).in_(parent_ids))
        if extra is not None:
            stmt = stmt.where(extra)
        return list((await self._session.execute(stmt.with_for_update())).scalars())

    async def add_conflict(self, conflict: Conflict) -> Conflict:
        self._add(conflict)
        return conflict

    def stage(self, row: RecordBase) -> RecordBase:
        """A new record, written by the next flush (the write path flushes once per batch)."""
        return self._add(row)

    async def get_many(
        self, spec: EntitySpec, ids: Iterable[uuid.UUID], *, for_update: bool = False
    ) -> list[RecordBase]:
        """The records with these ids, whoever may see them (the write path checks that)."""
        stmt = self._select(spec.model).where(spec.model.id.in_(list(ids)))
        if for_update:
            stmt = stmt.with_for_update(of=spec.model)
        return list((await self._session.execute(stmt)).scalars())
