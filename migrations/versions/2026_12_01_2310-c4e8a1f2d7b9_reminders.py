"""reminders: optional email addresses and choices, and the notices already sent

Revision ID: c4e8a1f2d7b9
Revises: dcd46d517a4e
Create Date: 2026-12-01 23:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "c4e8a1f2d7b9"
down_revision: str | None = "dcd46d517a4e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reminder_choice",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
        sa.Column("weekly_digest", sa.Boolean(), nullable=False),
        sa.Column("action_notices", sa.Boolean(), nullable=False),
        sa.Column("review_notices", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_reminder_choice_user_id_user")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_reminder_choice")),
    )
    op.create_table(
        "sent_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("due_key", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_sent_notice_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_notice")),
        sa.UniqueConstraint(
            "user_id",
            "kind",
            "subject",
            "due_key",
            name=op.f("uq_sent_notice_user_id_kind_subject_due_key"),
        ),
    )
    with op.batch_alter_table("sent_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sent_notice_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sent_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sent_notice_user_id"))
    op.drop_table("sent_notice")
    op.drop_table("reminder_choice")
