"""Per-person API tokens: made (shown once), listed, revoked; stored only as hashes."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from app import audit
from app.models import ApiToken, User
from app.security.tokens import hash_token, new_token

PREFIX = "trip_"
# last_used_at is written at most this often per token, so reads stay reads.
TOUCH_EVERY = timedelta(minutes=1)
API_ROLES = ("admin", "recovery_lead")


def may_use_api(user: User) -> bool:
    return user.active and user.role in API_ROLES


def create_token(session: Session, *, user: User, name: str) -> tuple[ApiToken, str]:
    """Make a token; the plain value is returned once and never stored."""
    plain = PREFIX + new_token()
    token = ApiToken(user_id=user.id, name=name.strip(), token_hash=hash_token(plain))
    session.add(token)
    session.flush()
    audit.record(
        session,
        verb="api_token.created",
        entity="api_token",
        entity_id=token.id,
        actor=user,
        detail={"name": token.name},
    )
    session.commit()
    return token, plain


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.exec(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        ).all()
    )


def revoke_token(session: Session, *, user: User, token_id: int, now: datetime) -> ApiToken | None:
    """Revoke one of the person's own tokens; None if it is not theirs."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        return None
    if token.revoked_at is None:
        token.revoked_at = now
        session.add(token)
        audit.record(
            session,
            verb="api_token.revoked",
            entity="api_token",
            entity_id=token.id,
            actor=user,
            detail={"name": token.name},
        )
        session.commit()
    return token


def user_for_token(session: Session, plain: str, now: datetime) -> User | None:
    """The active person a live token belongs to (and note when it was last used)."""
    token = session.exec(
        select(ApiToken).where(
            ApiToken.token_hash == hash_token(plain), ApiToken.revoked_at.is_(None)
        )
    ).first()
    if token is None:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        return None
    last = token.last_used_at
    if last is not None and last.tzinfo is None:
        from datetime import UTC

        last = last.replace(tzinfo=UTC)
    if last is None or now - last >= TOUCH_EVERY:
        token.last_used_at = now
        session.add(token)
        session.commit()
    return user
