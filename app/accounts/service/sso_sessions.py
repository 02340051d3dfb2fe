"""Single sign-on around a sign-in session: the ID token kept for the provider's sign-out,
the rule that staff must use single sign-on, whether an account is linked, and the address
an admin sets for a first sign-in to match."""

from __future__ import annotations

from sqlmodel import Session, func, or_, select, update

from app import audit
from app.accounts.service import oidc
from app.core.refused import Refused
from app.models import LoginSession, TeamMember, User
from app.models.accounts import SsoLink
from app.security.tokens import hash_token

STAFF_ROLES = ("admin", "recovery_lead")


def keep_id_token(session: Session, cookie_token: str, id_token: str) -> None:
    """Keep the ID token on the new sign-in session: the provider's sign-out needs it."""
    session.exec(
        update(LoginSession)
        .where(LoginSession.token_hash == hash_token(cookie_token))
        .values(id_token=id_token)
    )


def provider_sign_out_url(settings, id_token: str | None) -> str | None:
    if not (settings.sso_configured and id_token):
        return None
    try:
        meta = oidc.discover(settings.oidc_issuer)
    except oidc.OidcProblem:
        return None
    return oidc.end_session_url(
        meta, id_token=id_token, client_id=settings.oidc_client_id, after=f"{settings.public_url}/"
    )


def password_barred(session: Session, settings, user: User) -> bool:
    """Staff (admins, recovery leads, facilitators; with OIDC_REQUIRE_FOR_STAFF_MEMBERS also
    members whose perspective is staff) must use single sign-on, when set — except the
    break-glass admin `trip users create-admin` makes."""
    if not (settings.sso_configured and settings.oidc_require_for_staff) or user.password_fallback:
        return False
    if user.role in STAFF_ROLES:
        return True
    staff_here = TeamMember.role == "facilitator"
    if settings.oidc_require_for_staff_members:
        staff_here = or_(staff_here, TeamMember.perspective == "staff")
    barred = session.exec(
        select(TeamMember.id).where(
            TeamMember.user_id == user.id, staff_here, TeamMember.left_at.is_(None)
        )
    ).first()
    return barred is not None


def set_sso_email(session: Session, settings, *, user: User, email: str, actor: User) -> bool:
    """An admin sets (or clears, with "") the one address a first single sign-on may match
    for this account. Refused when another account has it, or its domain may not sign in.
    True if it changed."""
    email = email.strip().lower()
    if email == (user.sso_email or ""):
        return False
    if email:
        domain = email.rpartition("@")[2]
        if settings.sso_domains and domain not in settings.sso_domains:
            allowed = ", ".join(settings.sso_domains)
            raise Refused(
                f"Only addresses ending {allowed} can sign in with the NHS account",
                status=422,
                field="sso_email",
            )
        other = session.exec(
            select(User.username).where(func.lower(User.sso_email) == email, User.id != user.id)
        ).first()
        if other is not None:
            raise Refused(
                f"The account {other} already has this address. Clear it there first",
                status=422,
                field="sso_email",
            )
    user.sso_email = email or None
    session.add(user)
    audit.record(
        session,
        verb="sso.email_set" if email else "sso.email_cleared",
        entity="user",
        entity_id=user.id,
        actor=actor,
        detail={"domain": email.rpartition("@")[2]} if email else {},
    )
    session.flush()
    return True


def is_linked(session: Session, user: User) -> bool:
    return session.exec(select(SsoLink.id).where(SsoLink.user_id == user.id)).first() is not None


def id_token_of(session: Session, cookie_token: str) -> str | None:
    return session.exec(
        select(LoginSession.id_token).where(LoginSession.token_hash == hash_token(cookie_token))
    ).first()


def waiting_for_a_team(session: Session, user: User) -> bool:
    """An account with no role and no team: it lands on "ask to be added"."""
    if user.role != "user":
        return False
    on_a_team = session.exec(
        select(TeamMember.id).where(TeamMember.user_id == user.id, TeamMember.left_at.is_(None))
    ).first()
    return on_a_team is None
