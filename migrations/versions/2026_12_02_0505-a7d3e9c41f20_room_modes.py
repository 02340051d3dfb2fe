"""rounds: three modes (led, self_paced, group), room_version, rating seq, sheet numbers

Revision ID: a7d3e9c41f20
Revises: c4e8a1f2d7b9
Create Date: 2026-12-02 05:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a7d3e9c41f20"
down_revision: str | None = "c4e8a1f2d7b9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("round") as batch_op:
        batch_op.add_column(
            sa.Column("room_version", sa.Integer(), server_default="0", nullable=False)
        )
    op.execute("UPDATE round SET mode = 'self_paced' WHERE mode = 'phones'")
    with op.batch_alter_table("rating") as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("participant") as batch_op:
        batch_op.add_column(sa.Column("sheet_number", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(
            "uq_participant_round_id_sheet_number", ["round_id", "sheet_number"]
        )


def downgrade() -> None:
    with op.batch_alter_table("participant") as batch_op:
        batch_op.drop_constraint("uq_participant_round_id_sheet_number", type_="unique")
        batch_op.drop_column("sheet_number")
    with op.batch_alter_table("rating") as batch_op:
        batch_op.drop_column("seq")
    op.execute("UPDATE round SET mode = 'phones' WHERE mode IN ('self_paced', 'led')")
    with op.batch_alter_table("round") as batch_op:
        batch_op.drop_column("room_version")
