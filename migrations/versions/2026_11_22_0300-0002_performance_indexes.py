"""performance indexes and schema for the read path and the sync path

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from migrations.rls import protect_table

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    _upgrade_read_path()
    _upgrade_sync_path()
    _upgrade_reports()


def downgrade() -> None:
    _downgrade_reports()
    _downgrade_sync_path()
    _downgrade_read_path()


# Read path: record lists, details, search, auth. ----------------------------------------------


# Lists of leads and clients read two branches (assigned to me / created by me), each in
# (created_at, id) order straight from its owner index.
_OWNED_TABLES = ("leads", "clients")
_OWNER_COLUMNS = ("created_by", "assigned_to")


def _owner_indexes(*order: str) -> None:
    for table in _OWNED_TABLES:
        for column in _OWNER_COLUMNS:
            name = f"ix_{table}_{column}"
            op.drop_index(name, table_name=table)
            op.create_index(name, table, ["tenant_id", column, *order])


def _upgrade_read_path() -> None:
    _owner_indexes("created_at", "id")


def _downgrade_read_path() -> None:
    _owner_indexes()


# Sync path: push, pull, change log. ---------------------------------------------------------


# Snapshot pages of leads and clients read each owner branch in (version, id) order from its own
# index and merge them (SyncRepository.snapshot_page) instead of sorting every visible row.
_SNAPSHOT_INDEXES = [
    (f"ix_{table}_{column}_version", table, ["tenant_id", column, "version", "id"])
    for table in ("leads", "clients")
    for column in ("created_by", "assigned_to")
]


def _upgrade_sync_path() -> None:
    for name, table, columns in _SNAPSHOT_INDEXES:
        op.create_index(name, table, columns)
    # What each pushed mutation did the first time, for retries whose answer was lost.
    seq = sa.BigInteger().with_variant(sa.BIGINT(), "postgresql")
    op.create_table(
        "sync_results",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("mid", seq, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("seq", seq, nullable=True),
        sa.Column("conflict_id", sa.Uuid(), nullable=True),
        sa.Column("error", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "client_id"],
            ["sync_clients.tenant_id", "sync_clients.id"],
            name=op.f("fk_sync_results_tenant_id_client_id_sync_clients"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "client_id", "mid", name=op.f("pk_sync_results")),
    )
    protect_table("sync_results")


def _downgrade_sync_path() -> None:
    op.drop_table("sync_results")
    for name, table, _columns in _SNAPSHOT_INDEXES:
        op.drop_index(name, table_name=table)


# Reports and admin overviews/export. --------------------------------------------------------


# The user-activity report counts activity_log rows per user and action in a window: with
# ``action`` in the index it reads the index alone (an index-only scan), not ~1 heap page per row.
_ACTIVITY_OLD = ("ix_activity_log_user_created", ["tenant_id", "user_id", "created_at"])
_ACTIVITY_NEW = ("ix_activity_log_user_activity", ["tenant_id", "user_id", "created_at", "action"])


def _upgrade_reports() -> None:
    op.create_index(_ACTIVITY_NEW[0], "activity_log", _ACTIVITY_NEW[1])
    op.drop_index(_ACTIVITY_OLD[0], table_name="activity_log")


def _downgrade_reports() -> None:
    op.create_index(_ACTIVITY_OLD[0], "activity_log", _ACTIVITY_OLD[1])
    op.drop_index(_ACTIVITY_NEW[0], table_name="activity_log")
