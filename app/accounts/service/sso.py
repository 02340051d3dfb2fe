"""Single sign-on verbs: start a trip to the trust's identity provider and finish it —
the checks here, which account it is in `sso_accounts.py` (sign-out and the password rule
are in `sso_sessions.py`).

Accounts are linked by issuer and subject (for Entra ID, tenant id and object id), never by
an email claim alone. The allowed email domains are checked only on an email the provider
vouches for (`oidc.email_verified`). Every sign-in and link is audited. Trips older than
`TRIP_VALID` are deleted when a new one starts (at most once a minute per process).
One exception to "never commit": the trip (its `state`) is marked used and committed at
once, so a refusal that follows cannot make it usable again.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, delete, select, update

from app import audit
from app.accounts.service import oidc
from app.accounts.service.sso_accounts import Who, account_for
from app.core.i18n import N_
from app.core.refused import Refused
from app.db import OncePerDatabase
from app.models import User
from app.models.accounts import SsoAttempt
from app.security.tokens import hash_token

log = logging.getLogger("trip.sso")
TRIP_VALID = timedelta(minutes=15)
PRUNE_EVERY = timedelta(minutes=1)
PROBLEMS = {
    "unreachable": "We could not reach your organisation's sign-in service. Try again in a "
    "few minutes, or sign in with your username and password.",
    "used": N_(
        "This sign-in has already been used or has timed out. Start again from the sign-in page."
    ),
    "browser": N_(
        "This sign-in was started in another browser. Start again from the sign-in page."
    ),
    "denied": N_(
        "Signing in with your NHS account was cancelled. Start again from the sign-in page."
    ),
    "domain": N_(
        "Accounts from your organisation cannot sign in to this service. Ask your "
        "facilitator or an admin."
    ),
    "unverified": N_(
        "Your organisation's sign-in service did not confirm your email address, so "
        "we cannot tell whether your organisation may use this service. Ask an admin."
    ),
    "inactive": N_("This account has been switched off. Ask an administrator."),
}
CHECK_FAILED = N_(
    "We could not check your NHS account sign-in. Start again from the sign-in page. "
    "If it happens again, tell an admin."
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
    _prune_now_and_then(session, now)
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


_PRUNING = OncePerDatabase(PRUNE_EVERY)


def _prune_now_and_then(session: Session, now: datetime) -> None:
    """Delete trips past `TRIP_VALID` (used or not: none can finish now), at most once a
    minute per database in this process."""
    if _PRUNING.due(session, now):
        prune_trips(session, now=now)


def prune_trips(session: Session, *, now: datetime) -> int:
    """Delete trips to the provider that can no longer finish; how many went."""
    gone = session.exec(delete(SsoAttempt).where(SsoAttempt.created_at < now - TRIP_VALID))
    return gone.rowcount or 0


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
        who = Who(
            issuer=claims["iss"],
            subject=oidc.subject_of(claims),
            email=str(claims.get("email") or "").strip().lower(),
            verified=oidc.email_verified(claims),
        )
    except oidc.OidcProblem as problem:
        log.warning("sso sign-in refused: %s", problem.reason)
        raise Refused(CHECK_FAILED, status=403) from problem
    _check_domain(settings, who)
    user = account_for(session, settings, trip, who, now)
    if user is not None:
        if not user.active:
            raise Refused(PROBLEMS["inactive"], status=403)
        audit.record(
            session,
            verb="sso.signed_in",
            entity="user",
            entity_id=user.id,
            actor=user,
            detail={"issuer": who.issuer, "how": trip.purpose},
        )
    else:
        audit.record(
            session,
            verb="sso.unmatched",
            entity="sso",
            actor_label="single sign-on",
            detail={"issuer": who.issuer, "subject": who.subject},
        )
    return Finished(user, tokens["id_token"], trip.next_url, trip.purpose)


def _check_domain(settings, who: Who) -> None:
    """With allowed domains set, only an email the provider vouches for is believed: an
    unverified one could say anything."""
    domains = settings.sso_domains
    if not domains:
        return
    if not who.verified:
        log.warning("sso sign-in refused: the email is not verified (Entra ID: add xms_edov)")
        raise Refused(PROBLEMS["unverified"], status=403)
    if who.email.rpartition("@")[2] not in domains:
        raise Refused(PROBLEMS["domain"], status=403)
