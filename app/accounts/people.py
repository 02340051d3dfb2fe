"""A team's list of people: add, change, mark as left. Accounts attach through invitations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from app import audit
from app.models import Invitation, Team, TeamMember, User
from app.models.base import PERSPECTIVE_LABELS, TeamRole

TEAM_ROLE_LABELS = {"facilitator": "Facilitator", "member": "Member"}


class PersonProblem(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class PersonRow:
    member: TeamMember
    user: User | None
    open_invitation: Invitation | None

    @property
    def has_account(self) -> bool:
        return self.user is not None


def _check(display_name: str, perspective: str, role: str) -> str:
    name = " ".join(display_name.split())
    if not name:
        raise PersonProblem("display_name", "Enter the name the team knows them by")
    if len(name) > 80:
        raise PersonProblem("display_name", "The name must be 80 characters or fewer")
    if perspective not in PERSPECTIVE_LABELS:
        raise PersonProblem("perspective", "Choose the perspective they bring")
    if role not in {r.value for r in TeamRole}:
        raise PersonProblem("role", "Choose facilitator or member")
    return name


def list_people(session: Session, team_id: int, *, now: datetime) -> list[PersonRow]:
    """Everyone on the list (people who have left last), with account and open invitation."""
    rows = session.exec(
        select(TeamMember, User)
        .join(User, User.id == TeamMember.user_id, isouter=True)
        .where(TeamMember.team_id == team_id)
        .order_by(TeamMember.left_at.is_not(None), TeamMember.display_name)
    ).all()
    invitations = open_invitations(session, team_id, now=now)
    return [PersonRow(m, u, invitations.get(m.id)) for m, u in rows]


def open_invitations(session: Session, team_id: int, *, now: datetime) -> dict[int, Invitation]:
    found = session.exec(
        select(Invitation).where(
            Invitation.team_id == team_id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
    ).all()
    return {i.team_member_id: i for i in found}


def get_person(session: Session, team_id: int, member_id: int) -> TeamMember | None:
    member = session.get(TeamMember, member_id)
    if member is None or member.team_id != team_id:
        return None
    return member


def add_person(
    session: Session,
    *,
    team: Team,
    display_name: str,
    perspective: str,
    role: str = "member",
    actor: User,
) -> TeamMember:
    name = _check(display_name, perspective, role)
    member = TeamMember(team_id=team.id, display_name=name, perspective=perspective, role=role)
    session.add(member)
    session.flush()
    audit.record(
        session,
        verb="member.added",
        entity="team_member",
        entity_id=member.id,
        actor=actor,
        team_id=team.id,
        detail={"perspective": perspective, "role": role},
    )
    return member


def change_person(
    session: Session,
    *,
    member: TeamMember,
    display_name: str,
    perspective: str,
    role: str,
    actor: User,
) -> None:
    name = _check(display_name, perspective, role)
    changed = [
        field
        for field, value in (
            ("display_name", name),
            ("perspective", perspective),
            ("role", role),
        )
        if getattr(member, field) != value
    ]
    if not changed:
        return
    detail: dict = {"changed": changed}
    if "role" in changed:
        detail["role"] = {"from": member.role, "to": role}
    member.display_name, member.perspective, member.role = name, perspective, role
    session.add(member)
    audit.record(
        session,
        verb="member.changed",
        entity="team_member",
        entity_id=member.id,
        actor=actor,
        team_id=member.team_id,
        detail=detail,
    )


def mark_left(session: Session, *, member: TeamMember, actor: User, now: datetime) -> None:
    """They keep their name on past work, lose access to the team, and open links stop."""
    if member.left_at is not None:
        return
    member.left_at = now
    session.add(member)
    for invitation in open_invitations(session, member.team_id, now=now).values():
        if invitation.team_member_id == member.id:
            invitation.revoked_at = now
            session.add(invitation)
    audit.record(
        session,
        verb="member.left",
        entity="team_member",
        entity_id=member.id,
        actor=actor,
        team_id=member.team_id,
    )


def rejoin(session: Session, *, member: TeamMember, actor: User) -> None:
    if member.left_at is None:
        return
    member.left_at = None
    session.add(member)
    audit.record(
        session,
        verb="member.rejoined",
        entity="team_member",
        entity_id=member.id,
        actor=actor,
        team_id=member.team_id,
    )
