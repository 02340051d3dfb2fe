"""Invitations: a single-use link that attaches an account to a person on a team's list.

Plans and other domains call::

    from app.accounts import service as accounts_service
    invitation, token = accounts_service.create_invitation(
        session, team=team, new_member=accounts_service.NewMember("Dee", "service_user"),
        actor=user, now=now(request))
    url = accounts_service.invitation_url(settings, token)

The token is shown once (link and QR code); only its hash is stored. A link that cannot be
used or made raises `Refused`: 404 for an unknown link, 410 for a used, replaced, expired or
no longer working one, 422 (by the "invite" button) when the link may not be made.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, update

from app import audit
from app.accounts import queries
from app.accounts.service import people, users
from app.config import Settings
from app.core.refused import Refused
from app.models import Invitation, Team, TeamMember, User
from app.security.tokens import hash_token, new_token

VALID_FOR = timedelta(days=7)


@dataclass
class NewMember:
    display_name: str
    perspective: str
    role: str = "member"


def invitation_url(settings: Settings, token: str) -> str:
    return f"{settings.public_url}/invite/{token}"


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

    Earlier open links for the same person stop working. Raises Refused (422) for a bad
    new person (by its field) and when the link may not be made (by "invite").
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
        refusal = queries.reissue_refusal(session, actor=actor, member=member)
        if refusal:
            raise Refused(refusal, status=422, field="invite")
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


def redeem_invitation(
    session: Session,
    *,
    found: queries.OpenInvitation,
    username: str | None,
    password: str,
    now: datetime,
) -> User:
    """Use an open link (`queries.open_invitation`): make the account (or set a new
    password for the attached one).

    Raises Refused: 410 when the link is not usable (someone used it a moment ago), 422 by
    the field for a username or password. The caller starts a sign-in session.
    """
    member, user = found.member, found.user
    if user is not None:
        users.set_password(session, user, password)
        users.end_all_sessions(session, user.id)
        verb = "invitation.password_reset"
    else:
        user = users.create_user(session, username=username or "", password=password, actor=None)
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
        raise Refused(queries.LINK_PROBLEMS["used"], status=410)
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
