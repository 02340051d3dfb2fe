"""Single sign-on around a sign-in session: the ID token kept for the provider's sign-out,
the rule that staff must use single sign-on, and whether an account is linked."""

from __future__ import annotations

from sqlmodel import Session, select, update

from app.accounts.service import oidc
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
    """Staff (admins, recovery leads, facilitators) must use single sign-on, when set —
    except the break-glass admin `trip users create-admin` makes."""
    if not (settings.sso_configured and settings.oidc_require_for_staff) or user.password_fallback:
        return False
    if user.role in STAFF_ROLES:
        return True
    facilitates = session.exec(
        select(TeamMember.id).where(
            TeamMember.user_id == user.id,
            TeamMember.role == "facilitator",
            TeamMember.left_at.is_(None),
        )
    ).first()
    return facilitates is not None


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
