"""People: accounts, team membership, invitations, sign-in sessions, API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import utcnow


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    password_hash: str = Field(max_length=255)
    role: str = Field(default="user", max_length=20)  # user | recovery_lead | admin
    active: bool = True
    calendar_token_hash: str | None = Field(default=None, max_length=64, unique=True)
    # single sign-on: the address an admin set (the only email a first sign-in may match),
    # and the break-glass admin `trip users create-admin` makes (keeps its password when
    # staff must use single sign-on)
    sso_email: str | None = Field(default=None, max_length=254)
    password_fallback: bool = False
    # the interface's language, chosen on the account page: en | cy (issue 15)
    language: str = Field(default="en", max_length=8, sa_column_kwargs={"server_default": "en"})
    created_at: datetime = Field(default_factory=utcnow)


class SsoLink(SQLModel, table=True):
    """An account linked to a person at the identity provider: by issuer and subject."""

    __tablename__ = "sso_link"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    issuer: str = Field(max_length=255)
    subject: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow)


class SsoAttempt(SQLModel, table=True):
    """One trip to the identity provider: its state (hashed), nonce and PKCE verifier."""

    __tablename__ = "sso_attempt"

    id: int | None = Field(default=None, primary_key=True)
    state_hash: str = Field(max_length=64, unique=True)
    nonce: str = Field(max_length=64)
    code_verifier: str = Field(max_length=128)
    purpose: str = Field(max_length=10)  # signin | link | invite
    next_url: str = Field(default="/", max_length=500)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    invitation_id: int | None = Field(default=None, foreign_key="invitation.id")
    created_at: datetime = Field(default_factory=utcnow)
    used_at: datetime | None = None


class TeamMember(SQLModel, table=True):
    """A person on a team's list. Named here; an account may be attached later."""

    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    display_name: str = Field(max_length=80)
    perspective: str = Field(max_length=20)
    role: str = Field(default="member", max_length=20)  # facilitator | member
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    left_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Invitation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    team_member_id: int = Field(foreign_key="teammember.id", index=True)
    created_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class LoginSession(SQLModel, table=True):
    __tablename__ = "login_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    id_token: str | None = Field(default=None, sa_type=Text)  # for the provider's sign-out


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    name: str = Field(max_length=80)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class RateLimitHit(SQLModel, table=True):
    """One counted attempt (kept in the database so limits hold across workers)."""

    __tablename__ = "rate_limit_hit"
    __table_args__ = (Index("ix_rate_limit_hit_bucket_at", "bucket", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    bucket: str = Field(max_length=200)
    at: datetime = Field(default_factory=utcnow)
