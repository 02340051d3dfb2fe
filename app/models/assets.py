"""The assets register: talents, skills, interests, contacts and resources."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.base import utcnow

ASSET_KINDS = ("talent", "skill", "interest", "contact", "resource")


class Asset(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    holder_member_id: int | None = Field(default=None, foreign_key="teammember.id")
    alias: str | None = Field(default=None, max_length=40)
    perspective: str = Field(max_length=20)
    kind: str = Field(max_length=20)
    description: str = Field(max_length=500)
    happy_to_share: bool = True
    round_id: int | None = Field(default=None, foreign_key="round.id")
    created_at: datetime = Field(default_factory=utcnow)
