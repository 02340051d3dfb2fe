"""Services and the teams in them."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.base import utcnow


class Service(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    archived_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Team(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    service_id: int = Field(foreign_key="service.id", index=True)
    name: str = Field(max_length=120)
    setting: str = Field(max_length=32)
    default_framework_key: str | None = Field(default=None, max_length=64)
    archived_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
