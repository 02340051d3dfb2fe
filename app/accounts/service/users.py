"""Accounts: create users, change passwords and roles, end sessions (signing in: signin.py).

Every function adds to the session and flushes; the request (or the CLI) commits. A rule
broken raises `Refused(message, status=422, field=...)`. One exception to "never commit": a
wrong password is counted for the rate limits and committed at once, because the refusal
that follows rolls the rest of the request back (the try must still count).
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import Session, delete, func, select

from app import audit
from app.core.i18n import LANGUAGES, N_
from app.core.refused import Refused
from app.models import LoginSession, User
from app.models.base import GlobalRole
from app.security import ratelimit
from app.security.passwords import hash_password, password_rule_broken, verify_password
from app.security.sessions import end_all_sessions as _end_all

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
GLOBAL_ROLE_LABELS = {
    "user": N_("Team member or facilitator (through their teams)"),
    "recovery_lead": N_("Recovery lead (sees every team without names)"),
    "admin": N_("Administrator"),
}


def normalise_username(username: str) -> str:
    return username.strip().lower()


def username_problem(username: str) -> str | None:
    if not username:
        return N_("Enter a username")
    if not USERNAME_RE.match(username):
        return N_(
            "Your username must be 3 to 64 characters: letters, numbers, dots, dashes and "
            "underscores, starting with a letter or number"
        )
    return None


def username_taken(session: Session, username: str) -> bool:
    found = session.exec(select(User).where(func.lower(User.username) == username)).first()
    return found is not None


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
    problem = username_problem(username)
    if problem:
        raise Refused(problem, status=422, field="username")
    if username_taken(session, username):
        raise Refused(N_("That username is taken. Choose another"), status=422, field="username")
    if check_password:
        problem, values = password_rule_broken(password, username=username)
        if problem:
            raise Refused(problem, status=422, field="password", values=values or None)
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


def too_many(exc: ratelimit.RateLimited, field: str) -> Refused:
    return Refused(
        f"Too many tries. Please wait {exc.wait} and try again.", status=422, field=field
    )


def set_password(session: Session, user: User, password: str, *, field: str = "password") -> None:
    problem, values = password_rule_broken(password, username=user.username)
    if problem:
        raise Refused(problem, status=422, field=field, values=values or None)
    user.password_hash = hash_password(password)
    session.add(user)


def change_password(
    session: Session,
    *,
    user: User,
    current: str,
    new: str,
    keep_session_id: int | None,
    now: datetime,
) -> int:
    """Change a password after checking the current one (5 wrong tries per 15 minutes per
    account, then a wait); end the user's other sessions. A wrong try is committed at once
    (it counts, though the refusal rolls back the request)."""
    limit, key = ratelimit.PASSWORD_PER_ACCOUNT, str(user.id)
    try:
        ratelimit.check(session, limit, key, now=now)
    except ratelimit.RateLimited as exc:
        raise too_many(exc, "current_password") from None
    ok, _ = verify_password(current, user.password_hash)
    if not ok:
        ratelimit.hit(session, limit, key, now=now)
        session.commit()
        raise Refused(
            N_("Your current password is not right"), status=422, field="current_password"
        )
    ratelimit.clear(session, limit, key)
    set_password(session, user, new, field="new_password")
    ended = end_other_sessions(session, user.id, keep_session_id)
    audit.record(
        session,
        verb="password.changed",
        entity="user",
        entity_id=user.id,
        actor=user,
        detail={"other_sessions_ended": ended},
    )
    return ended


def end_other_sessions(session: Session, user_id: int, keep_session_id: int | None) -> int:
    query = delete(LoginSession).where(LoginSession.user_id == user_id)
    if keep_session_id is not None:
        query = query.where(LoginSession.id != keep_session_id)
    return session.exec(query).rowcount or 0


def _active_admins(session: Session) -> int:
    return session.exec(
        select(func.count()).select_from(User).where(User.role == "admin", User.active)
    ).one()


def set_role(session: Session, *, user: User, role: str, actor: User) -> None:
    if role not in {r.value for r in GlobalRole}:
        raise Refused(N_("Choose a role from the list"), status=422, field="role")
    if role == user.role:
        return
    if user.role == "admin" and user.active and _active_admins(session) <= 1:
        raise Refused(
            N_("There must always be at least one administrator"), status=422, field="role"
        )
    before = user.role
    user.role = role
    session.add(user)
    audit.record(
        session,
        verb="user.role_changed",
        entity="user",
        entity_id=user.id,
        actor=actor,
        detail={"username": user.username, "from": before, "to": role},
    )


def deactivate(session: Session, *, user: User, actor: User) -> int:
    """Switch an account off and end all its sessions."""
    if user.id == actor.id:
        raise Refused(N_("You cannot switch off your own account"), status=422, field="active")
    if user.role == "admin" and user.active and _active_admins(session) <= 1:
        raise Refused(
            N_("There must always be at least one administrator"), status=422, field="active"
        )
    user.active = False
    session.add(user)
    ended = end_all_sessions(session, user.id)
    audit.record(
        session,
        verb="user.deactivated",
        entity="user",
        entity_id=user.id,
        actor=actor,
        detail={"username": user.username, "sessions_ended": ended},
    )
    return ended


def reactivate(session: Session, *, user: User, actor: User) -> None:
    user.active = True
    session.add(user)
    audit.record(
        session,
        verb="user.reactivated",
        entity="user",
        entity_id=user.id,
        actor=actor,
        detail={"username": user.username},
    )


def end_sessions(session: Session, *, user: User, actor: User) -> int:
    ended = end_all_sessions(session, user.id)
    audit.record(
        session,
        verb="user.sessions_ended",
        entity="user",
        entity_id=user.id,
        actor=actor,
        detail={"username": user.username, "sessions_ended": ended},
    )
    return ended


def end_all_sessions(session: Session, user_id: int) -> int:
    return _end_all(session, user_id)


def set_language(session: Session, *, user: User, language: str) -> None:
    """The person's interface language (en or cy), chosen on their account page."""
    if language not in LANGUAGES:
        raise Refused(N_("Choose English or Cymraeg."), status=422, field="language")
    user.language = language
    session.add(user)
