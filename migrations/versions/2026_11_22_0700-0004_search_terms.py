"""search index: the words of every record's searchable fields

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 07:00:00

``q=`` and ``GET /search`` look words up here by prefix range (``sync_server/search.py``): the
``LIKE`` scans they replace could not use an index under forced row-level security. The write
path keeps the table; existing records are indexed here by the word rules of this revision.
"""

import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from migrations.rls import protect_table

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TERM = sa.String(length=64).with_variant(sa.String(length=64, collation="C"), "postgresql")
_BATCH = 5000

# As of this revision (frozen here, not imported: a later change of the app must not change what
# this migration does): each record table, its entity and searchable columns, and the word rules
# of sync_server/search.py.
_CONTACT = ("name", "contact_person", "email", "phone", "city")
_SEARCHABLE: dict[str, tuple[str, tuple[str, ...]]] = {
    "leads": ("lead", _CONTACT),
    "clients": ("client", _CONTACT),
    "projects": ("project", ("name", "description")),
    "accounts": ("account", ("account_number", "account_name")),
    "subscriptions": ("subscription", ("plan_name",)),
    "contacts": ("contact", ("first_name", "last_name", "email", "phone")),
    "interactions": ("interaction", ("summary", "outcome", "contact_person")),
    "notes": ("note", ("body",)),
}
_SEPARATOR = re.compile(r"[\W_]+")
_NOT_DIGIT = re.compile(r"[^0-9]+")
_SPELLED = str.maketrans({"ß": "ss", "\u03c2": "\u03c3"})  # final sigma as sigma


def _fold(text: str) -> str:
    """Case and accents ignored: lower-case, NFKD, combining marks dropped, lower-case again,
    "ß" as "ss" and the final sigma as sigma, NFC."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    return unicodedata.normalize("NFC", bare.lower().translate(_SPELLED))


def _terms(value: Any) -> set[str]:
    if not isinstance(value, str):
        return set()
    folded = _fold(value)
    found = {w[:64] for w in _SEPARATOR.split(folded) if w}
    groups = [g for g in _NOT_DIGIT.split(folded) if g]
    if len(groups) > 1:
        found.add("".join(groups)[:64])
    return found


def upgrade() -> None:
    terms = op.create_table(
        "search_terms",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("entity", sa.String(length=30), nullable=False),
        sa.Column("term", _TERM, nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint(
            "tenant_id", "entity", "term", "record_id", "field", name=op.f("pk_search_terms")
        ),
    )
    op.create_index(
        "ix_search_terms_record", "search_terms", ["tenant_id", "entity", "record_id", "term"]
    )
    assert terms is not None
    _index_existing(terms)
    protect_table("search_terms")


def downgrade() -> None:
    op.drop_index("ix_search_terms_record", table_name="search_terms")
    op.drop_table("search_terms")


def _index_existing(terms: sa.Table) -> None:
    """Every tenant's records, one tenant at a time under its own row-level security setting
    (the tables stay readable and writable by the application meanwhile)."""
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    # The migration role reads every tenant's login identities (migrations/rls.py); on SQLite
    # there is no row-level security.
    source = (
        sa.table("login_identities", sa.column("tenant_id", sa.Uuid())).c.tenant_id
        if postgres
        else sa.table("tenants", sa.column("id", sa.Uuid())).c.id
    )
    for tenant_id in bind.execute(sa.select(source).distinct()).scalars().all():
        if postgres:
            bind.execute(
                sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)}
            )
        for table_name, (entity, searchable) in _SEARCHABLE.items():
            _index_table(terms, tenant_id, table_name, entity, searchable)


def _index_table(
    terms: sa.Table, tenant_id: Any, table_name: str, entity: str, searchable: tuple[str, ...]
) -> None:
    bind = op.get_bind()
    table = sa.table(
        table_name,
        sa.column("tenant_id", sa.Uuid()),
        sa.column("id", sa.Uuid()),
        *(sa.column(c, sa.String()) for c in searchable),
    )
    page = sa.select(table).where(table.c.tenant_id == tenant_id).order_by(table.c.id).limit(_BATCH)
    rows = bind.execute(page).all()
    while rows:  # pages in id order: no cursor stays open on the table
        words = list(_rows(entity, searchable, rows))
        if words:
            bind.execute(terms.insert(), words)
        rows = bind.execute(page.where(table.c.id > rows[-1].id)).all()


def _rows(entity: str, searchable: tuple[str, ...], rows: Any) -> Iterator[dict[str, Any]]:
    for row in rows:
        values = row._mapping
        for field in searchable:
            for term in _terms(values[field]):
                yield {"tenant_id": row.tenant_id, "entity": entity, "term": term,
                       "record_id": row.id, "field": field}  # fmt: skip
