"""performance indexes and schema for the read path and the sync path

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401  (used by the operations below as they are added)
from alembic import op  # noqa: F401

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


def _upgrade_read_path() -> None:
    pass


def _downgrade_read_path() -> None:
    pass


# Sync path: push, pull, change log. ---------------------------------------------------------


def _upgrade_sync_path() -> None:
    pass


def _downgrade_sync_path() -> None:
    pass


# Reports and admin overviews/export. --------------------------------------------------------


def _upgrade_reports() -> None:
    pass


def _downgrade_reports() -> None:
    pass
