"""Reminders: a person's email address and choices, and every notice already sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import utcnow


class ReminderChoice(SQLModel, table=True):
    """One account's optional email address and which notices it wants (all off at first)."""

    __tablename__ = "reminder_choice"

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    email: str | None = Field(default=None, max_length=254)
    weekly_digest: bool = False
    action_notices: bool = False  # due soon and overdue, to action owners and co-leads
    review_notices: bool = False  # plan review due, to facilitators
    updated_at: datetime = Field(default_factory=utcnow)


class SentNotice(SQLModel, table=True):
    """A notice that went (or was handed to the sender): the same key never goes twice."""

    __tablename__ = "sent_notice"
    __table_args__ = (UniqueConstraint("user_id", "kind", "subject", "due_key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=20)  # digest | due_soon | overdue | review_due
    subject: str = Field(max_length=40)  # action:12, plan:3, week
    due_key: str = Field(max_length=10)  # a due date (2026-12-07) or an ISO week (2026-W49)
    sent_at: datetime = Field(default_factory=utcnow)
