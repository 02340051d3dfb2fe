"""Accounts: create users, sign in and out."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, func, select

from app import audit
from app.models import User
from app.security import ratelimit
from app.security.passwords import hash_password, password_problem, verify_password


class AccountError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def normalise_username(username: str) -> str:
    return username.strip().lower()


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str = "user",
    actor: User | None = None,
    check_password: bool = True,
) -> User:
    username = normalise_username(username)
    if not username:
        raise AccountError("username", "Enter a username")
    if session.exec(select(User).where(func.lower(User.username) == username)).first():
        raise AccountError("username", "That username is taken. Choose another")
    if check_password:
        problem = password_problem(password, username=username)
        if problem:
            raise AccountError("password", problem)
    user = User(username=username, password_hash=hash_password(password), role=role)
    session.add(user)
    session.flush()
    audit.record(
        session,
        verb="user.created",
        entity="user",
        entity_id=user.id,
        actor=actor,
        detail={"username": username, "role": role},
    )
    return user


def authenticate(
    session: Session, *, username: str, password: str, address: str, now: datetime
) -> User | None:
    """The user if the password is right. Counts failures for the rate limits."""
    username = normalise_username(username)
    ratelimit.check(session, ratelimit.SIGNIN_PER_USERNAME, username, now=now)
    ratelimit.check(session, ratelimit.SIGNIN_PER_ADDRESS, address, now=now)
    user = session.exec(select(User).where(User.username == username)).first()
    ok, new_hash = verify_password(password, user.password_hash if user else None)
    if not ok or user is None or not user.active:
        ratelimit.hit(session, ratelimit.SIGNIN_PER_USERNAME, username, now=now)
        ratelimit.hit(session, ratelimit.SIGNIN_PER_ADDRESS, address, now=now)
        audit.record(
            session,
            verb="signin.failed",
            entity="user",
            entity_id=user.id if user else "",
            actor_label=username[:80],
            detail={"address": address},
        )
        session.commit()
        return None
    if new_hash:
        user.password_hash = new_hash
        session.add(user)
    ratelimit.clear(session, ratelimit.SIGNIN_PER_USERNAME, username)
    audit.record(
        session,
        verb="signin.succeeded",
        entity="user",
        entity_id=user.id,
        actor=user,
        detail={"address": address},
    )
    return user
