"""conflicts keep the device's operation

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 06:00:00

A held change used to be read back from its values alone: a ``delete_update`` whose device
values were all empty was taken for a delete, so an edit that only cleared fields looked like
one. The operation is now stored with the conflict (NULL for REST writes and older rows, which
keep the old reading).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("conflicts", sa.Column("op", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conflicts") as batch:  # SQLite rebuilds the table
        batch.drop_column("op")
