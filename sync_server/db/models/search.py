"""The search index: the words of every record's searchable fields (``sync_server.search``)."""

from __future__ import annotations

import uuid

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.db.models.base import Base, TenantScoped

# Byte order on PostgreSQL ("C"), as SQLite compares: prefix ranges then mean the same on both
# and need no locale-aware comparison.
Term = String(64).with_variant(String(64, collation="C"), "postgresql")


class SearchTerm(TenantScoped, Base):
    """One word of one searchable field of one record. The primary key serves the prefix
    lookups (tenant, entity, term range -> record ids); the second index the per-row test of a
    common word (record -> does a term start with the word?) and a record's rewrite."""

    __tablename__ = "search_terms"
    entity: Mapped[str] = mapped_column(String(30), primary_key=True)
    term: Mapped[str] = mapped_column(Term, primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    field: Mapped[str] = mapped_column(String(40), primary_key=True)
    __table_args__ = (Index("ix_search_terms_record", "tenant_id", "entity", "record_id", "term"),)
