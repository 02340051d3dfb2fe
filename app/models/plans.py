"""Plans, co-led priorities, actions and their history, reviews and celebrations."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from app.models.base import utcnow

ACTION_STATUSES = ("not_started", "in_progress", "done", "stuck", "dropped")
OPEN_ACTION_STATUSES = ("not_started", "in_progress", "stuck")


class Plan(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    source_round_id: int | None = Field(default=None, foreign_key="round.id")
    title: str = Field(max_length=120)
    status: str = Field(default="draft", max_length=10)  # draft | agreed | closed
    agreed_on: date | None = None
    review_due: date | None = None
    closed_at: datetime | None = None
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)


class Priority(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    title: str = Field(max_length=120)
    why: str = Field(default="", max_length=2000)
    impact: str = Field(default="high", max_length=4)  # high | low
    effort: str = Field(default="low", max_length=4)  # low | high
    staff_colead_id: int | None = Field(default=None, foreign_key="teammember.id")
    service_user_colead_id: int | None = Field(default=None, foreign_key="teammember.id")
    position: int = 0
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    removed_at: datetime | None = None  # a soft delete: a facilitator may restore it


class PriorityStatement(SQLModel, table=True):
    __tablename__ = "priority_statement"

    priority_id: int = Field(foreign_key="priority.id", primary_key=True)
    statement_id: int = Field(foreign_key="statement.id", primary_key=True)


class PriorityHelper(SQLModel, table=True):
    __tablename__ = "priority_helper"

    priority_id: int = Field(foreign_key="priority.id", primary_key=True)
    member_id: int = Field(foreign_key="teammember.id", primary_key=True)


class Action(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    priority_id: int = Field(foreign_key="priority.id", index=True)
    what: str = Field(max_length=300)
    owner_member_id: int | None = Field(default=None, foreign_key="teammember.id", index=True)
    due_on: date | None = None
    status: str = Field(default="not_started", max_length=12)
    carried_from_action_id: int | None = Field(default=None, foreign_key="action.id")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ActionHelper(SQLModel, table=True):
    __tablename__ = "action_helper"

    action_id: int = Field(foreign_key="action.id", primary_key=True)
    member_id: int = Field(foreign_key="teammember.id", primary_key=True)


class ActionUpdate(SQLModel, table=True):
    __tablename__ = "action_update"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", index=True)
    author_user_id: int | None = Field(default=None, foreign_key="user.id")
    author_member_id: int | None = Field(default=None, foreign_key="teammember.id")
    note: str = Field(default="", max_length=2000)
    status_from: str | None = Field(default=None, max_length=12)
    status_to: str | None = Field(default=None, max_length=12)
    at: datetime = Field(default_factory=utcnow)


class Review(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    held_on: date
    notes: str = Field(default="", max_length=4000)
    learnt: str = Field(default="", max_length=4000)
    created_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class Celebration(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    text: str = Field(max_length=500)
    on: date
    created_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
