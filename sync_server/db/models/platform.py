"""Tenants, their clock, users, roles and the auth bookkeeping tables."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.db.models.base import Base, SeqType, TenantScoped, utcnow


class Tenant(Base):
    # The tenants table is keyed by ``id``; RLS compares ``id`` with app.tenant_id.
    __tablename__ = "tenants"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Bumped when visibility rules change for everyone (e.g. a role model change): cursors of an
    # older epoch get ``reset`` on pull.
    permission_epoch: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TenantClock(TenantScoped, Base):
    """The tenant's sequence: advanced by a row lock inside each writing transaction."""

    __tablename__ = "tenant_clock"
    seq: Mapped[int] = mapped_column(SeqType, default=0)
    # Change-log rows at or below this seq have been compacted away: cursors older than it get
    # ``reset`` on pull.
    horizon_seq: Mapped[int] = mapped_column(SeqType, default=0)
    __table_args__ = (ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),)


class Role(Base):
    """Platform-wide role names (admin, user, capability roles such as file_uploads)."""

    __tablename__ = "roles"
    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    description: Mapped[str] = mapped_column(String(200), default="")


class User(TenantScoped, Base):
    __tablename__ = "users"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
        UniqueConstraint("tenant_id", "email"),
    )


class LoginIdentity(TenantScoped, Base):
    """Platform-unique login email -> (tenant, user).

    Email must be unique across the platform, but a distributed ``users`` table can only hold
    uniqueness per tenant; this small table carries the global unique index instead. Login reads it
    through a SECURITY DEFINER function on PostgreSQL because the tenant is not known yet.
    """

    __tablename__ = "login_identities"
    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column()
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "user_id"], ["users.tenant_id", "users.id"]),
        Index("uq_login_identities_email", "email", unique=True),
    )


class UserRole(TenantScoped, Base):
    __tablename__ = "user_roles"
    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(50), primary_key=True)
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "user_id"], ["users.tenant_id", "users.id"]),
        ForeignKeyConstraint(["role"], ["roles.name"]),
    )


class TokenRevocation(TenantScoped, Base):
    __tablename__ = "token_revocations"
    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column()
    __table_args__ = (ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),)


class PasswordReset(TenantScoped, Base):
    """One row per issued reset token; ``used_at`` makes it single-use."""

    __tablename__ = "password_resets"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "user_id"], ["users.tenant_id", "users.id"]),
    )


class UserPreference(TenantScoped, Base):
    __tablename__ = "user_preferences"
    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    prefs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "user_id"], ["users.tenant_id", "users.id"]),
    )


class ActivityLog(TenantScoped, Base):
    __tablename__ = "activity_log"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column()
    entity: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[uuid.UUID] = mapped_column()
    action: Mapped[str] = mapped_column(String(30))
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    seq: Mapped[int] = mapped_column(SeqType)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (
        Index("ix_activity_log_record", "tenant_id", "entity", "record_id"),
        # ``action`` too: the user-activity report counts a window of rows per user and action
        # from the index alone (an index-only scan), not from the table.
        Index("ix_activity_log_user_activity", "tenant_id", "user_id", "created_at", "action"),
    )
