"""Tables of the sync protocol (SYNC.md): devices, the change log and the conflict queue."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKeyConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.db.models.base import Base, SeqType, TenantScoped, utcnow


class SyncClient(TenantScoped, Base):
    """A device (``client_id``) bound to one user, with its idempotency counter."""

    __tablename__ = "sync_clients"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column()
    last_mutation_id: Mapped[int] = mapped_column(SeqType, default=0)
    last_pull_seq: Mapped[int] = mapped_column(SeqType, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_agent: Mapped[str | None] = mapped_column(String(300))
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "user_id"], ["users.tenant_id", "users.id"]),
        Index("ix_sync_clients_user", "tenant_id", "user_id"),
    )


class SyncResult(TenantScoped, Base):
    """What each pushed mutation did the first time (SYNC.md "duplicate"): a retry whose first
    answer was lost learns from it whether the mutation was applied, held or refused. Pruned
    with the change log (`pathsix sync compact`)."""

    __tablename__ = "sync_results"
    client_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    mid: Mapped[int] = mapped_column(SeqType, primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    seq: Mapped[int | None] = mapped_column(SeqType)
    conflict_id: Mapped[uuid.UUID | None] = mapped_column()
    error: Mapped[dict[str, Any] | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "client_id"], ["sync_clients.tenant_id", "sync_clients.id"]
        ),
    )


class ChangeLog(TenantScoped, Base):
    """One row per committed record change, keyed by the tenant seq (seq order = commit order)."""

    __tablename__ = "change_log"
    seq: Mapped[int] = mapped_column(SeqType, primary_key=True)
    entity: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[uuid.UUID] = mapped_column()
    op: Mapped[str] = mapped_column(String(10))  # put | delete (purge)
    action: Mapped[str] = mapped_column(String(20))  # create | update | delete | restore | ...
    user_id: Mapped[uuid.UUID | None] = mapped_column()
    client_id: Mapped[uuid.UUID | None] = mapped_column()
    mid: Mapped[int | None] = mapped_column(SeqType)
    fields: Mapped[list[str]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (Index("ix_change_log_record", "tenant_id", "entity", "record_id", "seq"),)


class ChangeAudience(TenantScoped, Base):
    """Who a change concerns: one row per user who may see the record after the change
    (``visible``) or who could see it before and no longer can (``visible = false``: eviction).

    A pull reads its user's rows by (user, seq) range, so it never looks at changes to records the
    user never could see and never learns their ids.
    """

    __tablename__ = "change_audience"
    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(SeqType, primary_key=True)
    entity: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[uuid.UUID] = mapped_column()
    visible: Mapped[bool] = mapped_column()


class Conflict(TenantScoped, Base):
    """A concurrent edit kept for people: open (held for an admin) or auto_resolved (LWW loser)."""

    __tablename__ = "conflicts"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[uuid.UUID] = mapped_column()
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))  # open | resolved | auto_resolved
    # The device's operation held (create | update | delete | restore | convert); None for REST
    # writes and for conflicts stored before it was kept.
    op: Mapped[str | None] = mapped_column(String(10))
    # {field: {"base": .., "server": .., "client": .., "server_dot": [..], "policy": ..}}
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    user_id: Mapped[uuid.UUID | None] = mapped_column()
    client_id: Mapped[uuid.UUID | None] = mapped_column()
    mid: Mapped[int | None] = mapped_column(SeqType)
    base_seq: Mapped[int | None] = mapped_column(SeqType)
    seq: Mapped[int] = mapped_column(SeqType)
    client_time: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column()
    resolved_by: Mapped[uuid.UUID | None] = mapped_column()
    resolution: Mapped[dict[str, Any]] = mapped_column(default=dict)
    __table_args__ = (
        Index("ix_conflicts_status", "tenant_id", "status", "created_at"),
        Index("ix_conflicts_record", "tenant_id", "entity", "record_id"),
    )
