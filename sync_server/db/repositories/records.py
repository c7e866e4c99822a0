"""Generic queries over the eight record tables, driven by an EntitySpec.

Lists use keyset pagination over (sort column, id); NULLs sort last in both directions, which the
cursor encodes as a flag so nullable columns page correctly too.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select

from sync_server.db.models import ActivityLog, ChangeAudience, ChangeLog, Conflict, RecordBase
from sync_server.db.repositories.base import ScopedRepository
from sync_server.db.repositories.visibility import visible_clause
from sync_server.entities import EntitySpec


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
    rows: list[RecordBase]
    has_more: bool
    total: int | None


def _keyset(col: Any, id_col: Any, after: tuple[bool, Any, uuid.UUID], desc: bool) -> Any:
    is_null, value, last_id = after
    id_after = id_col < last_id if desc else id_col > last_id
    if is_null:  # already in the NULL tail: only ids continue
        return and_(col.is_(None), id_after)
    beyond = col < value if desc else col > value
    return or_(beyond, and_(col == value, id_after), col.is_(None))


class RecordsRepository(ScopedRepository):
    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        # Users whose synced set this unit of work changed: they get a poke after commit.
        self.touched: set[uuid.UUID] = set()

    def _base(self, spec: EntitySpec, visible_to: uuid.UUID | None) -> Any:
        stmt = self._select(spec.model)
        if visible_to is not None:
            stmt = stmt.where(visible_clause(spec, spec.model, visible_to))
        return stmt

    async def get(
        self,
        spec: EntitySpec,
        record_id: uuid.UUID,
        *,
        visible_to: uuid.UUID | None,
        for_update: bool = False,
    ) -> RecordBase | None:
        stmt = self._base(spec, visible_to).where(spec.model.id == record_id)
        if for_update:
            stmt = stmt.with_for_update(of=spec.model)
        row: RecordBase | None = (await self._session.execute(stmt)).scalar_one_or_none()
        return row

    async def exists(self, spec: EntitySpec, record_id: uuid.UUID) -> bool:
        stmt = self._select(spec.model, spec.model.id).where(spec.model.id == record_id)
        return (await self._session.execute(stmt)).first() is not None

    def _filtered(self, spec: EntitySpec, query: ListQuery, visible_to: uuid.UUID | None) -> Any:
        m = spec.model
        stmt = self._base(spec, visible_to)
        stmt = stmt.where(m.deleted_at.is_not(None) if query.trashed else m.deleted_at.is_(None))
        for name, value in query.filters.items():
            col = getattr(m, name)
            stmt = stmt.where(col.in_(value) if isinstance(value, list) else col == value)
        if query.any_of is not None:
            columns, values = query.any_of
            stmt = stmt.where(or_(*(getattr(m, c).in_(values) for c in columns)))
        for name, (low, high) in query.ranges.items():
            col = getattr(m, name)
            if low is not None:
                stmt = stmt.where(col >= low)
            if high is not None:
                stmt = stmt.where(col < high)
        if query.q:
            # The text is matched literally: % and _ typed by a user are not wildcards.
            text = query.q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            needle = f"%{text}%"
            stmt = stmt.where(
                or_(*(func.lower(getattr(m, c)).like(needle, escape="\\") for c in spec.searchable))
            )
        return stmt

    async def page(
        self, spec: EntitySpec, query: ListQuery, *, visible_to: uuid.UUID | None
    ) -> Page:
        m = spec.model
        col, id_col = getattr(m, query.sort), m.id
        stmt = self._filtered(spec, query, visible_to)
        total = None
        if query.count:
            count_stmt = select(func.count()).select_from(stmt.order_by(None).subquery())
            total = int((await self._session.execute(count_stmt)).scalar_one())
        if query.after is not None:
            stmt = stmt.where(_keyset(col, id_col, query.after, query.descending))
        order = (col.desc(), id_col.desc()) if query.descending else (col.asc(), id_col.asc())
        stmt = stmt.order_by(col.is_(None), *order).limit(query.limit + 1)
        if query.offset:
            stmt = stmt.offset(query.offset)
        rows = list((await self._session.execute(stmt)).scalars())
        return Page(rows[: query.limit], len(rows) > query.limit, total)

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
        await self._session.execute(self._delete(spec.model).where(spec.model.id == record_id))

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

    async def record_change(
        self, change: ChangeLog, visible: Iterable[uuid.UUID], evicted: Iterable[uuid.UUID]
    ) -> None:
        """The change log row and who it concerns (see ChangeAudience)."""
        self._add(change)
        self.touched.update(visible)
        self.touched.update(evicted)
        rows = [(u, True) for u in visible] + [(u, False) for u in evicted]
        for user_id, is_visible in rows:
            self._add(
                ChangeAudience(
                    user_id=user_id,
                    seq=change.seq,
                    entity=change.entity,
                    record_id=change.record_id,
                    visible=is_visible,
                )
            )

    async def log_activity(self, entry: ActivityLog) -> None:
        self._add(entry)

    async def add_conflict(self, conflict: Conflict) -> Conflict:
        self._add(conflict)
        return conflict
