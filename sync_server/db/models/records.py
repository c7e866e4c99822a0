"""The eight CRM record tables (fields per API.md).

Every record carries ``version`` (the tenant seq of its last change) and ``field_dots``: for each
field, the dot ``[seq, client_id, mid]`` of its last write, which conflict detection compares with
a mutation's causal context (SYNC.md).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKeyConstraint,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.db.models.base import Base, SeqType, TenantScoped, utcnow

Money = Numeric(14, 2)


def _user_fk(column: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["tenant_id", column], ["users.tenant_id", "users.id"])


def _parent_fk(column: str, table: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["tenant_id", column], [f"{table}.tenant_id", f"{table}.id"])


def _indexes(table: str, *columns: str, owned: bool = False) -> tuple[Index, ...]:
    """The list indexes every record table needs, plus the extra filter columns given.

    ``owned`` tables (visible to their creator and assignee) are listed as two index-driven
    branches, ``assigned_to = me`` and ``created_by = me``, each read in (created_at, id) order
    (``RecordsRepository.page``): their owner indexes carry that order, so a first page reads
    about ``limit`` index entries instead of sorting every row the user sees.
    """
    out = [
        Index(f"ix_{table}_created", "tenant_id", "created_at", "id"),
        # Sync snapshots page through a table in (version, id) order.
        Index(f"ix_{table}_version", "tenant_id", "version", "id"),
        Index(f"ix_{table}_deleted_at", "tenant_id", "deleted_at"),
    ]
    owners = ("created_by", "assigned_to") if owned else ("created_by",)
    order = ("created_at", "id") if owned else ()
    out += [Index(f"ix_{table}_{c}", "tenant_id", c, *order) for c in owners]
    if owned:  # sync snapshots read the same two branches in (version, id) order
        out += [Index(f"ix_{table}_{c}_version", "tenant_id", c, "version", "id") for c in owners]
    out += [Index(f"ix_{table}_{c}", "tenant_id", c) for c in columns]
    return tuple(out)


class RecordBase(TenantScoped):
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, sort_order=-9)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[uuid.UUID | None] = mapped_column()
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)
    version: Mapped[int] = mapped_column(SeqType, default=0)
    field_dots: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ContactFields:
    """Contact and address fields shared by leads and clients."""

    contact_person: Mapped[str | None] = mapped_column(String(200))
    contact_title: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    phone_label: Mapped[str | None] = mapped_column(String(10))
    secondary_phone: Mapped[str | None] = mapped_column(String(40))
    secondary_phone_label: Mapped[str | None] = mapped_column(String(10))
    address: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(120))
    state: Mapped[str | None] = mapped_column(String(120))
    zip: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(Text)
    business_type: Mapped[str | None] = mapped_column(String(120))
    assigned_to: Mapped[uuid.UUID | None] = mapped_column()


class Lead(RecordBase, ContactFields, Base):
    __tablename__ = "leads"
    name: Mapped[str] = mapped_column(String(200))
    lead_status: Mapped[str] = mapped_column(String(20), default="new")
    lead_source: Mapped[str | None] = mapped_column(String(120))
    converted_on: Mapped[datetime | None] = mapped_column()
    # No FK: traceability must survive the client being purged.
    converted_client_id: Mapped[uuid.UUID | None] = mapped_column()
    __table_args__ = (
        _user_fk("created_by"),
        _user_fk("assigned_to"),
        *_indexes("leads", "lead_status", "lead_source", owned=True),
    )


class Client(RecordBase, ContactFields, Base):
    __tablename__ = "clients"
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="prospect")
    source_lead_id: Mapped[uuid.UUID | None] = mapped_column()
    converted_on: Mapped[datetime | None] = mapped_column()
    __table_args__ = (
        _user_fk("created_by"),
        _user_fk("assigned_to"),
        *_indexes("clients", "status", "source_lead_id", owned=True),
    )


class Project(RecordBase, Base):
    __tablename__ = "projects"
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    project_status: Mapped[str] = mapped_column(String(20), default="pending")
    project_start: Mapped[date | None] = mapped_column(Date)
    project_end: Mapped[date | None] = mapped_column(Date)
    project_worth: Mapped[Decimal | None] = mapped_column(Money)
    value_type: Mapped[str | None] = mapped_column(String(10))
    client_id: Mapped[uuid.UUID | None] = mapped_column()
    lead_id: Mapped[uuid.UUID | None] = mapped_column()
    assigned_to: Mapped[uuid.UUID | None] = mapped_column()
    notes: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        _user_fk("created_by"),
        _user_fk("assigned_to"),
        _parent_fk("client_id", "clients"),
        _parent_fk("lead_id", "leads"),
        *_indexes("projects", "assigned_to", "project_status", "client_id", "lead_id"),
    )


class Account(RecordBase, Base):
    __tablename__ = "accounts"
    client_id: Mapped[uuid.UUID] = mapped_column()
    account_number: Mapped[str] = mapped_column(String(60))
    account_name: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="active")
    opened_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        _user_fk("created_by"),
        _parent_fk("client_id", "clients"),
        UniqueConstraint("tenant_id", "account_number"),
        *_indexes("accounts", "client_id", "status"),
    )


class Subscription(RecordBase, Base):
    __tablename__ = "subscriptions"
    client_id: Mapped[uuid.UUID] = mapped_column()
    plan_name: Mapped[str] = mapped_column(String(200))
    price: Mapped[Decimal] = mapped_column(Money)
    billing_cycle: Mapped[str] = mapped_column(String(10), default="monthly")
    start_date: Mapped[date | None] = mapped_column(Date)
    renewal_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="active")
    __table_args__ = (
        _user_fk("created_by"),
        _parent_fk("client_id", "clients"),
        *_indexes("subscriptions", "client_id", "status", "renewal_date"),
    )


class Contact(RecordBase, Base):
    __tablename__ = "contacts"
    client_id: Mapped[uuid.UUID | None] = mapped_column()
    lead_id: Mapped[uuid.UUID | None] = mapped_column()
    first_name: Mapped[str] = mapped_column(String(120))
    last_name: Mapped[str | None] = mapped_column(String(120))
    title: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    notes: Mapped[str | None] = mapped_column(Text)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (
        _user_fk("created_by"),
        _parent_fk("client_id", "clients"),
        _parent_fk("lead_id", "leads"),
        *_indexes("contacts", "client_id", "lead_id"),
    )


class Interaction(RecordBase, Base):
    __tablename__ = "interactions"
    client_id: Mapped[uuid.UUID | None] = mapped_column()
    lead_id: Mapped[uuid.UUID | None] = mapped_column()
    project_id: Mapped[uuid.UUID | None] = mapped_column()
    contact_date: Mapped[datetime] = mapped_column()
    type: Mapped[str | None] = mapped_column(String(10))
    summary: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    follow_up: Mapped[datetime | None] = mapped_column()
    followup_status: Mapped[str | None] = mapped_column(String(20))
    contact_person: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    __table_args__ = (
        _user_fk("created_by"),
        _parent_fk("client_id", "clients"),
        _parent_fk("lead_id", "leads"),
        _parent_fk("project_id", "projects"),
        *_indexes(
            "interactions", "client_id", "lead_id", "project_id", "contact_date", "follow_up"
        ),
    )


class Note(RecordBase, Base):
    __tablename__ = "notes"
    # Polymorphic parent (lead/client/project): no FK; visibility follows the parent.
    entity: Mapped[str] = mapped_column(String(10))
    entity_id: Mapped[uuid.UUID] = mapped_column()
    body: Mapped[str] = mapped_column(Text)
    __table_args__ = (
        _user_fk("created_by"),
        Index("ix_notes_parent", "tenant_id", "entity", "entity_id"),
        *_indexes("notes"),
    )
