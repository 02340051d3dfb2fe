"""priority removed_at (a soft delete, restorable)

Revision ID: b13a0e5c0d11
Revises: fee5d996f5b1
Create Date: 2026-12-01 23:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "b13a0e5c0d11"
down_revision: str | None = "fee5d996f5b1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("priority") as batch_op:
        batch_op.add_column(
            sa.Column("removed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("priority") as batch_op:
        batch_op.drop_column("removed_at")
