"""Accounts' loaders, as Annotated dependencies: a record the person may not see is a 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from app.accounts import queries
from app.core.dates import now
from app.core.i18n import N_
from app.db import SessionDep
from app.forms import ShowPage
from app.models import Invitation, TeamMember, User
from app.security import ratelimit
from app.security.access import AdminUser, TeamAccess, TeamAccessDep
from app.web import render


def _account(user_id: int, session: SessionDep, user: AdminUser) -> User:
    account = session.get(User, user_id)
    if account is None:
        raise HTTPException(404)
    return account


# an account, as an administrator sees it (/admin/users/{user_id})
Account = Annotated[User, Depends(_account)]


def _inside(access: TeamAccessDep) -> TeamAccess:
    access.require_inside()
    return access


def _facilitator(access: Annotated[TeamAccess, Depends(_inside)]) -> TeamAccess:
    access.require_facilitator()
    return access


# a team's people pages: its list is seen from inside (404 outside), changed by facilitators
InsideAccess = Annotated[TeamAccess, Depends(_inside)]
FacilitatorAccess = Annotated[TeamAccess, Depends(_facilitator)]


def _person(member_id: int, session: SessionDep, access: FacilitatorAccess) -> TeamMember:
    member = queries.get_person(session, access.team.id, member_id)
    if member is None:
        raise HTTPException(404)
    return member


Person = Annotated[TeamMember, Depends(_person)]


def _invitation(invitation_id: int, session: SessionDep, access: FacilitatorAccess) -> Invitation:
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.team_id != access.team.id:
        raise HTTPException(404)
    return invitation


TeamInvitation = Annotated[Invitation, Depends(_invitation)]


def _invited(invitation: TeamInvitation, session: SessionDep, access: FacilitatorAccess):
    return _person(invitation.team_member_id, session, access)


# the person a team's invitation is for
InvitedPerson = Annotated[TeamMember, Depends(_invited)]


def _open_invitation(request: Request, token: str, session: SessionDep) -> queries.OpenInvitation:
    """The open invitation behind /invite/{token}. Tries are limited per address; a link
    that cannot be used is a plain page saying why (404 unknown, 410 used or expired), and
    counts towards the limit (committed at once: the page is a refusal)."""
    address = ratelimit.client_address(request)
    ratelimit.check(session, ratelimit.INVITE_PER_ADDRESS, address, now=now(request))
    found = queries.open_invitation(session, token, now=now(request))
    if isinstance(found, queries.LinkProblem):
        ratelimit.hit(session, ratelimit.INVITE_PER_ADDRESS, address, now=now(request))
        session.commit()
        raise ShowPage(_link_problem_page(request, found))
    return found


def _link_problem_page(request: Request, problem: queries.LinkProblem):
    """The plain page for a link that cannot be used (here, not in pages.py, which imports
    these dependencies)."""
    context = {"page_title": N_("This link cannot be used"), "message": problem.message}
    return render(request, "accounts/invite_problem.html", context, status_code=problem.status)


OpenInvitation = Annotated[queries.OpenInvitation, Depends(_open_invitation)]
