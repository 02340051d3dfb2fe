"""The append-only audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from app.models.base import utcnow


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_user_id: int | None = Field(default=None, index=True)
    actor: str = Field(default="", max_length=80)  # username, "participant", "system"
    verb: str = Field(max_length=40, index=True)
    entity: str = Field(max_length=40)
    entity_id: str = Field(default="", max_length=40)
    team_id: int | None = Field(default=None, index=True)
    detail: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
