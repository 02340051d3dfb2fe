"""Per-person API tokens: made (shown once), revoked, and noted when used; stored only as
hashes. Services flush; the request commits (app.web.render/redirect)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from app import audit
from app.models import ApiToken, User
from app.security.tokens import hash_token, new_token

PREFIX = "trip_"
# last_used_at is written at most this often per token, so reads stay reads.
TOUCH_EVERY = timedelta(minutes=1)


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
    return token, plain


def revoke_token(session: Session, token: ApiToken, *, user: User, now: datetime) -> ApiToken:
    """Revoke one of the person's own tokens (app.api.deps.OwnToken); again is a no-op."""
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
        session.flush()
    return token


def user_for_token(session: Session, plain: str, now: datetime) -> tuple[User | None, bool]:
    """The active person a live token belongs to, and whether its last use was noted now
    (at most once a minute; the caller commits that)."""
    token = session.exec(
        select(ApiToken).where(
            ApiToken.token_hash == hash_token(plain), ApiToken.revoked_at.is_(None)
        )
    ).first()
    if token is None:
        return None, False
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        return None, False
    last = token.last_used_at
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    if last is None or now - last >= TOUCH_EVERY:
        token.last_used_at = now
        session.add(token)
        session.flush()
        return user, True
    return user, False
