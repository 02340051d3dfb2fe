"""Signing in with a password: the rate limits, the staff barred from passwords when single
sign-on is required, and the audit of every try. A failure is committed at once (the refusal
that follows rolls the rest of the request back; the try must still count).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session, select

from app import audit
from app.accounts.service.users import normalise_username, too_many
from app.core.i18n import N_
from app.core.refused import Refused
from app.models import User
from app.security import ratelimit
from app.security.passwords import verify_password
from app.security.sessions import end_session, start_session

USE_THE_PROVIDER = N_(
    "Your role signs in with your NHS account. Choose “Sign in with your NHS account”."
)


def sign_in(
    session: Session,
    *,
    username: str,
    password: str,
    address: str,
    now: datetime,
    barred: Callable[[User], bool] = lambda _user: False,
) -> User:
    """The user if the password is right, else Refused (422, by the username). Failures
    count for the rate limits: 5 per username and address (a lock for that address only),
    a backstop per address, and a growing delay per username (guesses from elsewhere slow a
    name down but never lock its owner out). A refused try checks no password and counts
    nothing; a failure is committed at once (it must count). An active account `barred`
    from passwords (staff who must use single sign-on) is told so before any password is
    checked, so the answer never says whether the password was right; that counts as a
    failure, except against the backstop (a trust's staff share one address)."""
    username = normalise_username(username)
    pair = f"{username}|{address}"
    try:
        ratelimit.check(session, ratelimit.SIGNIN_PER_USER_ADDRESS, pair, now=now)
        ratelimit.check(session, ratelimit.SIGNIN_PER_ADDRESS, address, now=now)
        ratelimit.check_delay(session, ratelimit.SIGNIN_PER_USERNAME, username, now=now)
    except ratelimit.RateLimited as exc:
        raise too_many(exc, "username") from None
    user = session.exec(select(User).where(User.username == username)).first()
    if user is not None and user.active and barred(user):
        ratelimit.hit(session, ratelimit.SIGNIN_PER_USER_ADDRESS, pair, now=now)
        ratelimit.hit(session, ratelimit.SIGNIN_PER_USERNAME, username, now=now)
        _failed(session, "signin.refused", user, username, {"address": address, "why": "sso"})
        raise Refused(USE_THE_PROVIDER, status=422, field="username")
    ok, new_hash = verify_password(password, user.password_hash if user else None)
    if not ok or user is None or not user.active:
        ratelimit.hit(session, ratelimit.SIGNIN_PER_USER_ADDRESS, pair, now=now)
        ratelimit.hit(session, ratelimit.SIGNIN_PER_USERNAME, username, now=now)
        ratelimit.hit(session, ratelimit.SIGNIN_PER_ADDRESS, address, now=now)
        _failed(session, "signin.failed", user, username, {"address": address})
        raise Refused(
            N_("The username or password is not right. Check them and try again."),
            status=422,
            field="username",
        )
    if new_hash:
        user.password_hash = new_hash
        session.add(user)
    ratelimit.clear(session, ratelimit.SIGNIN_PER_USER_ADDRESS, pair)
    audit.record(
        session,
        verb="signin.succeeded",
        entity="user",
        entity_id=user.id,
        actor=user,
        detail={"address": address},
    )
    return user


def _failed(session: Session, verb: str, user: User | None, username: str, detail: dict) -> None:
    audit.record(
        session,
        verb=verb,
        entity="user",
        entity_id=user.id if user else "",
        actor_label=username[:80],
        detail=detail,
    )
    session.commit()  # the failure counts, though the refusal rolls back the request


def start_signed_in(
    session: Session, user: User, *, old_token: str | None, now: datetime, settings
) -> str:
    """End the browser's old sign-in (if any) and start one for `user`: the cookie value."""
    if old_token:
        end_session(session, old_token)
    return start_session(session, user, now=now, settings=settings)
