"""frameworks: text in other languages (Welsh, Easy Read), outside the checksum

Revision ID: e5b17c3a9d42
Revises: a7d3e9c41f20
Create Date: 2026-12-02 05:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "e5b17c3a9d42"
down_revision: str | None = "a7d3e9c41f20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "framework_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("hint", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["framework.id"],
            name=op.f("fk_framework_text_framework_id_framework"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework_text")),
        sa.UniqueConstraint(
            "framework_id",
            "language",
            "kind",
            "code",
            name=op.f("uq_framework_text_framework_id_language_kind_code"),
        ),
    )
    with op.batch_alter_table("framework_text", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_framework_text_framework_id"), ["framework_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("framework_text", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_framework_text_framework_id"))
    op.drop_table("framework_text")
