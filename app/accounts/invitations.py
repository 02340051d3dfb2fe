"""Invitations: a single-use link that attaches an account to a person on a team's list.

Plans and other domains call::

    from app.accounts import invitations
    invitation, token = invitations.create_invitation(
        session, team=team, new_member=invitations.NewMember("Dee", "service_user"),
        actor=user, now=now(request))
    url = invitations.invitation_url(settings, token)

The token is shown once (link and QR code); only its hash is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, select, update

from app import audit
from app.accounts import people
from app.accounts import service as accounts
from app.config import Settings
from app.models import Invitation, Team, TeamMember, User
from app.security.access import access_for
from app.security.tokens import hash_token, new_token

VALID_FOR = timedelta(days=7)
ASK = "Ask your team's facilitator for a new link."


@dataclass
class NewMember:
    display_name: str
    perspective: str
    role: str = "member"


class InvitationProblem(ValueError):
    """Why a link cannot be used or made, in plain words."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass
class OpenInvitation:
    invitation: Invitation
    member: TeamMember
    team: Team
    user: User | None  # the account already attached to the person, if any


def invitation_url(settings: Settings, token: str) -> str:
    return f"{settings.public_url}/invite/{token}"


def reissue_refusal(session: Session, *, actor: User, member: TeamMember) -> str | None:
    """Why `actor` may not make a link for `member`, or None.

    A link for someone who already has an account sets a new password for it, so a
    facilitator may make one only for a plain account on teams they facilitate.
    """
    if member.left_at is not None:
        return "This person has left the team. Add them back before making a link."
    if member.user_id is None or actor.role == "admin":
        return None
    user = session.get(User, member.user_id)
    if user is None:
        return None
    if not user.active:
        return "This person's account is switched off. Ask an administrator."
    if user.role != "user":
        return "Only an administrator can make a new link for this person."
    teams = session.exec(
        select(TeamMember.team_id).where(
            TeamMember.user_id == user.id, TeamMember.left_at.is_(None)
        )
    ).all()
    for team_id in teams:
        access = access_for(session, actor, team_id)
        if access is None or not access.is_facilitator:
            return (
                "Only an administrator can make a new link for this person, because they "
                "are on another team too."
            )
    return None


def create_invitation(
    session: Session,
    *,
    team: Team,
    member: TeamMember | None = None,
    new_member: NewMember | Mapping[str, Any] | None = None,
    actor: User,
    now: datetime,
) -> tuple[Invitation, str]:
    """A new single-use link for `member`, or for a new person added to the list.

    Earlier open links for the same person stop working. Raises PersonProblem for a bad
    new person and InvitationProblem when the link may not be made.
    """
    if (member is None) == (new_member is None):
        raise ValueError("give exactly one of member or new_member")
    if member is None:
        spec = new_member if isinstance(new_member, NewMember) else NewMember(**new_member)
        member = people.add_person(
            session,
            team=team,
            display_name=spec.display_name,
            perspective=spec.perspective,
            role=spec.role,
            actor=actor,
        )
    else:
        if member.team_id != team.id:
            raise ValueError("that person is not on this team")
        refusal = reissue_refusal(session, actor=actor, member=member)
        if refusal:
            raise InvitationProblem("refused", refusal)
    revoked = revoke_open(session, member=member, now=now)
    token = new_token()
    invitation = Invitation(
        token_hash=hash_token(token),
        team_id=team.id,
        team_member_id=member.id,
        created_by_user_id=actor.id,
        expires_at=now + VALID_FOR,
        created_at=now,
    )
    session.add(invitation)
    session.flush()
    audit.record(
        session,
        verb="invitation.created",
        entity="invitation",
        entity_id=invitation.id,
        actor=actor,
        team_id=team.id,
        detail={
            "member_id": member.id,
            "earlier_links_stopped": revoked,
            "for_existing_account": member.user_id is not None,
        },
    )
    return invitation, token


def revoke_open(session: Session, *, member: TeamMember, now: datetime) -> int:
    result = session.exec(
        update(Invitation)
        .where(
            Invitation.team_member_id == member.id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    return result.rowcount or 0


def revoke_invitation(
    session: Session, *, invitation: Invitation, actor: User, now: datetime
) -> None:
    if invitation.used_at is not None or invitation.revoked_at is not None:
        return
    invitation.revoked_at = now
    session.add(invitation)
    audit.record(
        session,
        verb="invitation.revoked",
        entity="invitation",
        entity_id=invitation.id,
        actor=actor,
        team_id=invitation.team_id,
    )


def status_of(invitation: Invitation, *, now: datetime) -> str:
    if invitation.used_at is not None:
        return "used"
    if invitation.revoked_at is not None:
        return "stopped"
    if invitation.expires_at <= now:
        return "expired"
    return "open"


def find_open(session: Session, token: str, *, now: datetime) -> OpenInvitation:
    """The invitation behind a link, or InvitationProblem saying plainly why not."""
    invitation = session.exec(
        select(Invitation).where(Invitation.token_hash == hash_token(token))
    ).first()
    if invitation is None:
        raise InvitationProblem("unknown", f"This invitation link is not right. {ASK}")
    state = status_of(invitation, now=now)
    messages = {
        "used": f"This invitation link has already been used. {ASK}",
        "stopped": f"This invitation link has been replaced by a newer one. {ASK}",
        "expired": f"This invitation link has expired (links last 7 days). {ASK}",
    }
    if state != "open":
        raise InvitationProblem(state, messages[state])
    member = session.get(TeamMember, invitation.team_member_id)
    team = session.get(Team, invitation.team_id)
    if member is None or team is None or member.left_at is not None:
        raise InvitationProblem("left", f"This invitation link no longer works. {ASK}")
    user = session.get(User, member.user_id) if member.user_id else None
    if user is not None and not user.active:
        raise InvitationProblem(
            "inactive", "This account has been switched off. Ask an administrator."
        )
    return OpenInvitation(invitation, member, team, user)


def redeem_invitation(
    session: Session,
    *,
    token: str,
    username: str | None,
    password: str,
    now: datetime,
) -> User:
    """Use a link: make the account (or set a new password for the attached one).

    Raises InvitationProblem (link not usable) or AccountError (field, message).
    The caller commits and starts a sign-in session.
    """
    found = find_open(session, token, now=now)
    member, user = found.member, found.user
    if user is not None:
        accounts.set_password(session, user, password)
        accounts.end_all_sessions(session, user.id)
        verb = "invitation.password_reset"
    else:
        user = accounts.create_user(session, username=username or "", password=password, actor=None)
        member.user_id = user.id
        session.add(member)
        verb = "invitation.redeemed"
    claimed = session.exec(
        update(Invitation)
        .where(
            Invitation.id == found.invitation.id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(used_at=now)
    )
    if (claimed.rowcount or 0) != 1:
        session.rollback()
        raise InvitationProblem("used", f"This invitation link has already been used. {ASK}")
    audit.record(
        session,
        verb=verb,
        entity="invitation",
        entity_id=found.invitation.id,
        actor=user,
        team_id=found.team.id,
        detail={"member_id": member.id},
    )
    return user
