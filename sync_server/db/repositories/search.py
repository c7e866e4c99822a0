"""The search index's writes (its reads are part of the record lists: ``records._matches``).

The write path hands over what changed (words added and removed per record), not whole
records: an edit of a phone number rewrites its three words, not the record's dozen. On
PostgreSQL each side is one statement over arrays (``unnest``), whatever the number of words:
a push of 100 new leads adds ~1,300 words, which row-by-row parameters cost more CPU to send
than the rest of the push.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import String, Table, Uuid, and_, bindparam, delete, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from sync_server.db.models import SearchTerm
from sync_server.db.repositories.base import ScopedRepository

# (record id, field, term)
Word = tuple[uuid.UUID, str, str]

_ARRAYS = (
    bindparam("ids", type_=ARRAY(Uuid())),
    bindparam("fields", type_=ARRAY(String())),
    bindparam("terms", type_=ARRAY(String())),
)
_PG_INSERT = text(
    "INSERT INTO search_terms (tenant_id, entity, record_id, field, term) "
    "SELECT :tenant, :entity, w.record_id, w.field, w.term "
    "FROM unnest(:ids, :fields, :terms) AS w (record_id, field, term) "
    "ON CONFLICT DO NOTHING"
).bindparams(*_ARRAYS, bindparam("tenant", type_=Uuid()))
_PG_DELETE = text(
    "DELETE FROM search_terms s USING unnest(:ids, :fields, :terms) AS w (record_id, field, term) "
    "WHERE s.tenant_id = :tenant AND s.entity = :entity AND s.record_id = w.record_id "
    "AND s.field = w.field AND s.term = w.term"
).bindparams(*_ARRAYS, bindparam("tenant", type_=Uuid()))
_TABLE: Table = SearchTerm.__table__  # type: ignore[assignment]
_TERMS = _TABLE.c


class SearchRepository(ScopedRepository):
    async def change(self, entity: str, *, added: Sequence[Word], removed: Sequence[Word]) -> None:
        """Index these words of these records, and drop those.

        Idempotent: a word already indexed is kept and a word already gone is no error. The
        index can drift from the rows (records changed outside the application, or by another
        version during a deploy, until ``pathsix search reindex``); an edit must never fail,
        nor a device's push be rejected, because of it."""
        if self._session.get_bind().dialect.name == "postgresql":
            for statement, words in ((_PG_DELETE, removed), (_PG_INSERT, added)):
                if words:
                    await self._session.execute(statement, self._arrays(entity, words))
            return
        if removed:
            match = and_(
                _TERMS.tenant_id == self.ctx.tenant_id,
                _TERMS.entity == entity,
                _TERMS.record_id == bindparam("w_id"),
                _TERMS.field == bindparam("w_field"),
                _TERMS.term == bindparam("w_term"),
            )
            rows = [{"w_id": i, "w_field": f, "w_term": t} for i, f, t in removed]
            connection = await self._session.connection()  # executemany: Core, not the ORM
            await connection.execute(delete(_TABLE).where(match), rows)
        if added:
            tid = self.ctx.tenant_id
            new = [
                {"tenant_id": tid, "entity": entity, "record_id": i, "field": f, "term": t}
                for i, f, t in added
            ]
            await self._session.execute(sqlite_insert(SearchTerm).on_conflict_do_nothing(), new)

    def _arrays(self, entity: str, words: Sequence[Word]) -> dict[str, object]:
        ids, fields, terms = zip(*words, strict=True)
        return {"tenant": self.ctx.tenant_id, "entity": entity, "ids": list(ids),
                "fields": list(fields), "terms": list(terms)}  # fmt: skip

    async def words_of(self, entity: str, record_ids: Sequence[uuid.UUID]) -> set[Word]:
        """The words the index holds for these records."""
        stmt = select(_TERMS.record_id, _TERMS.field, _TERMS.term).where(
            _TERMS.tenant_id == self.ctx.tenant_id,
            _TERMS.entity == entity,
            _TERMS.record_id.in_(list(record_ids)),
        )
        return {(r.record_id, r.field, r.term) for r in await self._session.execute(stmt)}

    async def drop_orphans(self, entity: str, table: Table) -> int:
        """Delete the words of records that no longer exist; returns how many."""
        ids = select(table.c.id).where(table.c.tenant_id == self.ctx.tenant_id)
        stmt = delete(_TABLE).where(
            _TERMS.tenant_id == self.ctx.tenant_id,
            _TERMS.entity == entity,
            _TERMS.record_id.not_in(ids),
        )
        result = await self._session.execute(stmt)
        return int(getattr(result, "rowcount", 0) or 0)
