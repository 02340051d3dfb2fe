"""Server-side sign-in sessions: a random token in a cookie, its hash in the database."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import Request, Response
from sqlmodel import Session, delete, select, update

from app.config import Settings
from app.models import LoginSession, User
from app.security.tokens import hash_token, new_token

TOUCH_EVERY = timedelta(minutes=1)


def cookie_name(settings: Settings) -> str:
    return "__Host-trip_session" if settings.secure_cookies else "trip_session"


def start_session(session: Session, user: User, *, now: datetime, settings: Settings) -> str:
    token = new_token()
    session.add(
        LoginSession(
            token_hash=hash_token(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=settings.session_absolute_hours),
        )
    )
    return token


def find_session(
    session: Session, token: str, *, now: datetime, settings: Settings
) -> tuple[LoginSession, User] | None:
    """The live session and its active user (detached: read, not kept in `session`), or None
    (expired sessions are deleted). The lookup may run in a read-only transaction (on SQLite,
    without the write lock: app.db.READ_ONLY): the rare write (an expired session deleted,
    the last-seen time moved on once a minute) ends it and writes in a transaction of its
    own."""
    row = session.exec(
        select(LoginSession, User)
        .join(User, User.id == LoginSession.user_id)
        .where(LoginSession.token_hash == hash_token(token))
    ).first()
    if row is None:
        return None
    login, user = row
    session.expunge_all()  # as read: a rollback must not expire them
    idle_limit = login.last_seen_at + timedelta(minutes=settings.session_idle_minutes)
    expired = not user.active or now >= login.expires_at or now >= idle_limit
    if not expired and now - login.last_seen_at < TOUCH_EVERY:
        return login, user
    session.rollback()  # a read-only transaction must not write: start one that may
    if expired:
        session.exec(delete(LoginSession).where(LoginSession.id == login.id))
        session.commit()
        return None
    session.exec(update(LoginSession).where(LoginSession.id == login.id).values(last_seen_at=now))
    session.commit()
    login.last_seen_at = now
    return login, user


def end_session(session: Session, token: str) -> None:
    session.exec(delete(LoginSession).where(LoginSession.token_hash == hash_token(token)))


def end_all_sessions(session: Session, user_id: int) -> int:
    result = session.exec(delete(LoginSession).where(LoginSession.user_id == user_id))
    return result.rowcount or 0


def set_session_cookie(response: Response, token: str, settings: Settings) -> None:
    response.set_cookie(
        cookie_name(settings),
        token,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
        max_age=settings.session_absolute_hours * 3600,
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        cookie_name(settings), path="/", secure=settings.secure_cookies, httponly=True
    )


def session_token(request: Request) -> str | None:
    return request.cookies.get(cookie_name(request.app.state.settings))
