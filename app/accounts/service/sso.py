"""Single sign-on verbs: start a trip to the trust's identity provider, finish it (a linked
account, a first link, an email match, a new account or nothing) (sign-out and the
password rule are in `sso_sessions.py`).

Accounts are linked by issuer and subject, never by an email claim alone: an email may match
only the address an admin set (`User.sso_email`), only when the token says it is verified,
and only for an account not yet linked at that provider. Every sign-in and link is audited.
One exception to "never commit": the trip (its `state`) is marked used and committed at
once, so a refusal that follows cannot make it usable again.
"""

from __future__ import annotations

import hmac
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, func, select, update

from app import audit
from app.accounts.service import oidc
from app.accounts.service.users import normalise_username, username_taken
from app.core.refused import Refused
from app.models import Invitation, TeamMember, User
from app.models.accounts import SsoAttempt, SsoLink
from app.security.tokens import hash_token

log = logging.getLogger("trip.sso")
TRIP_VALID = timedelta(minutes=15)
AGAIN = "Start again from the sign-in page."
PROBLEMS = {
    "unreachable": "We could not reach your organisation's sign-in service. Try again in a "
    "few minutes, or sign in with your username and password.",
    "used": f"This sign-in has already been used or has timed out. {AGAIN}",
    "browser": f"This sign-in was started in another browser. {AGAIN}",
    "denied": f"Signing in with your NHS account was cancelled. {AGAIN}",
    "domain": "Accounts from your organisation cannot sign in to this service. Ask your "
    "facilitator or an admin.",
    "taken": "That NHS account is already linked to another account here.",
    "inactive": "This account has been switched off. Ask an administrator.",
    "invitation": "This invitation link can no longer be used. Ask your facilitator for a new one.",
}
CHECK_FAILED = (
    f"We could not check your NHS account sign-in. {AGAIN} If it happens again, tell an admin."
)


@dataclass
class Finished:
    user: User | None  # None: the person matches no account here
    id_token: str
    next_url: str
    purpose: str


def redirect_uri(settings) -> str:
    return f"{settings.public_url}/login/sso/callback"


def _metadata(settings) -> dict:
    try:
        return oidc.discover(settings.oidc_issuer)
    except oidc.OidcProblem as problem:
        log.warning("sso discovery failed: %s", problem.reason)
        raise Refused(PROBLEMS["unreachable"], status=409) from problem


def begin(
    session: Session,
    settings,
    *,
    purpose: str,
    now: datetime,
    next_url: str = "/",
    user: User | None = None,
    invitation_id: int | None = None,
) -> tuple[str, str]:
    """Record a trip to the provider: (the provider's address, the state for the cookie)."""
    meta = _metadata(settings)
    state, nonce, verifier = oidc.new_secret(), oidc.new_secret(), oidc.new_secret()
    session.add(
        SsoAttempt(
            state_hash=hash_token(state),
            nonce=nonce,
            code_verifier=verifier,
            purpose=purpose,
            next_url=next_url,
            user_id=user.id if user else None,
            invitation_id=invitation_id,
            created_at=now,
        )
    )
    session.flush()
    url = oidc.authorization_url(
        meta,
        client_id=settings.oidc_client_id,
        redirect_uri=redirect_uri(settings),
        state=state,
        nonce=nonce,
        verifier=verifier,
    )
    return url, state


def _claim_trip(session: Session, state: str, browser_state: str | None, now) -> SsoAttempt:
    trip = session.exec(
        select(SsoAttempt).where(SsoAttempt.state_hash == hash_token(state))
    ).first()
    if trip is None or trip.used_at is not None or trip.created_at + TRIP_VALID < now:
        raise Refused(PROBLEMS["used"], status=410)
    claimed = session.exec(
        update(SsoAttempt)
        .where(SsoAttempt.id == trip.id, SsoAttempt.used_at.is_(None))
        .values(used_at=now)
    )
    session.commit()
    if (claimed.rowcount or 0) != 1:
        raise Refused(PROBLEMS["used"], status=410)
    if not browser_state or not hmac.compare_digest(browser_state, state):
        raise Refused(PROBLEMS["browser"], status=403)
    return trip


def finish(
    session: Session,
    settings,
    *,
    state: str,
    code: str | None,
    error: str | None,
    browser_state: str | None,
    now: datetime,
) -> Finished:
    """The provider sent the browser back: check everything, then find the account."""
    trip = _claim_trip(session, state, browser_state, now)
    if error or not code:
        raise Refused(PROBLEMS["denied"], status=403)
    meta = _metadata(settings)
    try:
        tokens = oidc.exchange_code(
            meta,
            client_id=settings.oidc_client_id,
            client_secret=settings.oidc_client_secret,
            redirect_uri=redirect_uri(settings),
            code=code,
            verifier=trip.code_verifier,
        )
        claims = oidc.verify_id_token(
            tokens["id_token"],
            issuer=meta["issuer"],
            client_id=settings.oidc_client_id,
            jwks=meta["jwks"],
            nonce=trip.nonce,
            now=now,
        )
    except oidc.OidcProblem as problem:
        log.warning("sso sign-in refused: %s", problem.reason)
        raise Refused(CHECK_FAILED, status=403) from problem
    email = str(claims.get("email") or "").strip().lower()
    domains = settings.sso_domains
    if domains and email.rpartition("@")[2] not in domains:
        raise Refused(PROBLEMS["domain"], status=403)
    user = _account_for(session, settings, trip, claims, email, now)
    if user is not None:
        if not user.active:
            raise Refused(PROBLEMS["inactive"], status=403)
        audit.record(
            session,
            verb="sso.signed_in",
            entity="user",
            entity_id=user.id,
            actor=user,
            detail={"issuer": claims["iss"], "how": trip.purpose},
        )
    else:
        audit.record(
            session,
            verb="sso.unmatched",
            entity="sso",
            actor_label="single sign-on",
            detail={"issuer": claims["iss"], "subject": claims["sub"]},
        )
    return Finished(user, tokens["id_token"], trip.next_url, trip.purpose)


def _account_for(session, settings, trip, claims, email, now) -> User | None:
    issuer, subject = claims["iss"], claims["sub"]
    link = session.exec(
        select(SsoLink).where(SsoLink.issuer == issuer, SsoLink.subject == subject)
    ).first()
    if trip.purpose == "link":
        user = session.get(User, trip.user_id)
        if link is not None and link.user_id != user.id:
            raise Refused(PROBLEMS["taken"], status=409)
        if link is None:
            link_account(session, user, issuer, subject, how="account page")
        return user
    if link is not None:
        return session.get(User, link.user_id)
    if trip.purpose == "invite":
        user = _from_invitation(session, trip.invitation_id, email or subject, now)
        link_account(session, user, issuer, subject, how="invitation")
        return user
    user = _by_admin_set_email(session, issuer, email, claims.get("email_verified") is True)
    if user is not None:
        link_account(session, user, issuer, subject, how="email set by an admin")
        return user
    if settings.oidc_allow_new_accounts:
        user = _new_account(session, email or subject)
        link_account(session, user, issuer, subject, how="new account")
        return user
    return None


def link_account(session: Session, user: User, issuer: str, subject: str, *, how: str) -> None:
    session.add(SsoLink(user_id=user.id, issuer=issuer, subject=subject))
    session.flush()
    audit.record(
        session,
        verb="sso.linked",
        entity="user",
        entity_id=user.id,
        actor=user,
        detail={"issuer": issuer, "how": how},
    )


def _by_admin_set_email(session, issuer: str, email: str, verified: bool) -> User | None:
    if not email or not verified:
        return None
    linked_here = select(SsoLink.user_id).where(SsoLink.issuer == issuer)
    return session.exec(
        select(User).where(func.lower(User.sso_email) == email, User.id.not_in(linked_here))
    ).first()


def _free_username(session, hint: str) -> str:
    base = re.sub(r"[^a-z0-9._-]", "", normalise_username(hint.partition("@")[0]))[:56]
    base = base if len(base) >= 3 else f"nhs{base}"
    name, n = base, 1
    while username_taken(session, name):
        n += 1
        name = f"{base}{n}"
    return name


def _new_account(session, hint: str) -> User:
    """An account with no team and no role, and no password (it signs in with the provider)."""
    user = User(username=_free_username(session, hint), password_hash="", role="user")
    session.add(user)
    session.flush()
    audit.record(
        session,
        verb="user.created",
        entity="user",
        entity_id=user.id,
        actor=user,
        detail={"by": "single sign-on"},
    )
    return user


def _from_invitation(session, invitation_id, hint: str, now) -> User:
    invitation = session.get(Invitation, invitation_id) if invitation_id else None
    member = session.get(TeamMember, invitation.team_member_id) if invitation else None
    claimed = session.exec(
        update(Invitation)
        .where(
            Invitation.id == (invitation_id or 0),
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(used_at=now)
    )
    if (claimed.rowcount or 0) != 1 or member is None or member.left_at is not None:
        raise Refused(PROBLEMS["invitation"], status=410)
    user = session.get(User, member.user_id) if member.user_id else None
    if user is None:
        user = _new_account(session, hint)
        member.user_id = user.id
        session.add(member)
    audit.record(
        session,
        verb="invitation.redeemed",
        entity="invitation",
        entity_id=invitation.id,
        actor=user,
        team_id=invitation.team_id,
        detail={"member_id": member.id, "by": "sso"},
    )
    return user
