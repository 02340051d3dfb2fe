"""A team's list of people: add, change, mark as left, bring back. Accounts attach through
invitations. A bad name, perspective or role raises Refused (422, by its field)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app import audit
from app.accounts import queries
from app.core.i18n import N_
from app.core.refused import Refused
from app.models import Team, TeamMember, User
from app.models.base import PERSPECTIVE_LABELS, TeamRole


def _check(display_name: str, perspective: str, role: str) -> str:
    name = " ".join(display_name.split())
    if not name:
        raise Refused(N_("Enter the name the team knows them by"), status=422, field="display_name")
    if len(name) > 80:
        raise Refused(
            N_("The name must be 80 characters or fewer"), status=422, field="display_name"
        )
    if perspective not in PERSPECTIVE_LABELS:
        raise Refused(N_("Choose the perspective they bring"), status=422, field="perspective")
    if role not in {r.value for r in TeamRole}:
        raise Refused(N_("Choose facilitator or member"), status=422, field="role")
    return name


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
    for invitation in queries.open_invitations(session, member.team_id, now=now).values():
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
