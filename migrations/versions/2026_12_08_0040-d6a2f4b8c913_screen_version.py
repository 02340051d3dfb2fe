"""rounds: screen_version, which moves only when what the shared screen shows changes (a
move, the spread, a comment, agreement, mode or status), not with the answer counts; a
projector poll that finds only the counts changed is answered with the counts (issue 12)

Revision ID: d6a2f4b8c913
Revises: c3f90a6e1d27
Create Date: 2026-12-08 00:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d6a2f4b8c913"
down_revision: str | None = "c3f90a6e1d27"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("round") as batch_op:
        batch_op.add_column(
            sa.Column("screen_version", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("round") as batch_op:
        batch_op.drop_column("screen_version")
