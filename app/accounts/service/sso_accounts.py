"""Single sign-on: which account a checked ID token belongs to — a linked account, a first
link (the account page, an invitation, an address an admin set), a new account, or none.

Accounts are linked by issuer and subject (`oidc.subject_of`: for Entra ID, tenant id and
object id), never by an email claim alone: an email may match only the address an admin set
(`User.sso_email`), only when the provider vouches for it (`oidc.email_verified`), and only
for an account not yet linked at that provider. Every link is audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, func, select, update

from app import audit
from app.accounts.service.users import normalise_username, username_taken
from app.core.i18n import N_
from app.core.refused import Refused
from app.models import Invitation, TeamMember, User
from app.models.accounts import SsoLink

TAKEN = N_("That NHS account is already linked to another account here.")
INVITATION_GONE = N_(
    "This invitation link can no longer be used. Ask your facilitator for a new one."
)


@dataclass
class Who:
    """A checked ID token, as far as finding its account goes."""

    issuer: str
    subject: str  # oidc.subject_of
    email: str  # lower case, "" when none
    verified: bool  # oidc.email_verified


def account_for(session, settings, trip, who: Who, now) -> User | None:
    """The account `who` signs in to (linking it first where the trip says so), or None."""
    issuer, subject = who.issuer, who.subject
    link = session.exec(
        select(SsoLink).where(SsoLink.issuer == issuer, SsoLink.subject == subject)
    ).first()
    if trip.purpose == "link":
        user = session.get(User, trip.user_id)
        if link is not None and link.user_id != user.id:
            raise Refused(TAKEN, status=409)
        if link is None:
            link_account(session, user, issuer, subject, how="account page")
        return user
    if link is not None:
        return session.get(User, link.user_id)
    if trip.purpose == "invite":
        user = _from_invitation(session, trip.invitation_id, who.email or subject, now)
        link_account(session, user, issuer, subject, how="invitation")
        return user
    user = _by_admin_set_email(session, issuer, who.email, who.verified)
    if user is not None:
        link_account(session, user, issuer, subject, how="email set by an admin")
        return user
    if settings.oidc_allow_new_accounts:
        user = _new_account(session, who.email or subject)
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
        raise Refused(INVITATION_GONE, status=410)
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
