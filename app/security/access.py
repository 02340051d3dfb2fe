"""Who may see and change what. One place decides access per record.

Inside a team (its members, and admins) people see names; everyone else who may see a
team (recovery leads) gets the outside view: people by perspective, no names, no people
list, no assets, no comments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlmodel import Session, select

from app.db import SessionDep
from app.models import Team, TeamMember, User


class SignInRequired(Exception):
    """Raised for a page that needs a signed-in person; answered by a redirect (or 401)."""


def optional_user(request: Request) -> User | None:
    return getattr(request.state, "user", None)


def require_user(request: Request) -> User:
    user = optional_user(request)
    if user is None:
        raise SignInRequired()
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]
CurrentUser = Annotated[User, Depends(require_user)]


def require_admin(user: CurrentUser) -> User:
    if user.role != "admin":
        raise HTTPException(403, "Only administrators can do this.")
    return user


def require_overview(user: CurrentUser) -> User:
    """Recovery leads and admins: the organisation-wide views."""
    if user.role not in ("admin", "recovery_lead"):
        raise HTTPException(403, "Only recovery leads and administrators can see this.")
    return user


AdminUser = Annotated[User, Depends(require_admin)]
OverviewUser = Annotated[User, Depends(require_overview)]


@dataclass
class TeamAccess:
    team: Team
    user: User
    member: TeamMember | None
    session: Session | None = field(default=None, repr=False, compare=False)

    @property
    def is_admin(self) -> bool:
        return self.user.role == "admin"

    @property
    def inside(self) -> bool:
        """May see names, the people list, assets and comments."""
        return self.is_admin or self.member is not None

    @property
    def outside(self) -> bool:
        return not self.inside

    @property
    def is_facilitator(self) -> bool:
        return self.is_admin or (self.member is not None and self.member.role == "facilitator")

    def require_facilitator(self) -> None:
        if not self.is_facilitator:
            if self.session is not None:
                record_refusal(self.session, self.user, self.team.id, "not a facilitator")
            raise HTTPException(403, "Only this team's facilitators can do this.")

    def require_inside(self) -> None:
        """People list, assets and comments: 404 for the outside view."""
        if not self.inside:
            if self.session is not None:
                record_refusal(self.session, self.user, self.team.id, "outside view")
            raise HTTPException(404)


def access_for(session: Session, user: User | None, team_id: int) -> TeamAccess | None:
    """How `user` may see team `team_id`, or None if they may not see it at all."""
    if user is None:
        return None
    team = session.get(Team, team_id)
    if team is None:
        return None
    member = session.exec(
        select(TeamMember).where(
            TeamMember.team_id == team_id,
            TeamMember.user_id == user.id,
            TeamMember.left_at.is_(None),
        )
    ).first()
    if member is None and user.role not in ("admin", "recovery_lead"):
        return None
    return TeamAccess(team=team, user=user, member=member, session=session)


def require_access(session: Session, user: User | None, team_id: int) -> TeamAccess:
    if user is None:
        raise SignInRequired()
    access = access_for(session, user, team_id)
    if access is None:
        record_refusal(session, user, team_id, "not on this team")
        raise HTTPException(404)
    return access


def record_refusal(session: Session, user: User, team_id: int, reason: str) -> None:
    """Audit a refused look at a team (admins read these). Never blocks the refusal."""
    from app import audit

    try:
        session.rollback()
        audit.record(
            session,
            verb="access.refused",
            entity="team",
            entity_id=team_id,
            actor=user,
            team_id=team_id,
            detail={"reason": reason},
        )
        session.commit()
    except Exception:  # the refusal matters more than its record
        session.rollback()


def team_access(team_id: int, session: SessionDep, user: CurrentUser) -> TeamAccess:
    return require_access(session, user, team_id)


TeamAccessDep = Annotated[TeamAccess, Depends(team_access)]


def teams_of(session: Session, user: User) -> list[tuple[Team, TeamMember]]:
    return list(
        session.exec(
            select(Team, TeamMember)
            .join(TeamMember, TeamMember.team_id == Team.id)
            .where(TeamMember.user_id == user.id, TeamMember.left_at.is_(None))
            .order_by(Team.name)
        ).all()
    )


# --- plans: who may change what (being named on a priority or action gives the right) ---


def may_edit_plan(access: TeamAccess) -> bool:
    """Plans, priorities, reviews: the team's facilitators (and admins)."""
    return access.is_facilitator


def may_update_action(access: TeamAccess, action, priority) -> bool:
    """The action's owner, the priority's two co-leads, facilitators and admins.

    Owner and co-lead come from being named: their TeamMember is this user's (on this team).
    """
    if access.is_facilitator:
        return True
    member = access.member
    if member is None or member.user_id != access.user.id:
        return False
    return member.id in (
        action.owner_member_id,
        priority.staff_colead_id,
        priority.service_user_colead_id,
    )
