"""The personal calendar feed's secret, revocable address (only its hash is kept)."""

from __future__ import annotations

from sqlmodel import Session

from app import audit
from app.models import User
from app.security.tokens import hash_token, new_token


def make_token(session: Session, user: User) -> str:
    """A new calendar address (any older one stops working). Only the hash is kept."""
    token = new_token()
    replaced = user.calendar_token_hash is not None
    user.calendar_token_hash = hash_token(token)
    session.add(user)
    audit.record(
        session,
        verb="calendar.replaced" if replaced else "calendar.made",
        entity="user",
        entity_id=user.id,
        actor=user,
    )
    return token


def revoke_token(session: Session, user: User) -> None:
    user.calendar_token_hash = None
    session.add(user)
    audit.record(session, verb="calendar.revoked", entity="user", entity_id=user.id, actor=user)
