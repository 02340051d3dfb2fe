"""A team's people page: the list, adding and changing people, invitation links."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.accounts import service
from app.accounts.deps import (
    FacilitatorAccess,
    InsideAccess,
    InvitedPerson,
    Person,
    TeamInvitation,
)
from app.accounts.forms import ButtonForm, PersonForm
from app.accounts.pages import (
    forget_link,
    show_invitation,
    show_members,
    show_person,
    to_link_page,
)
from app.accounts.routes import router
from app.core.dates import now
from app.core.i18n import N_
from app.db import SessionDep
from app.forms import form_for
from app.web import redirect


@router.get("/teams/{team_id}/members")
def members_page(request: Request, session: SessionDep, access: InsideAccess):
    return show_members(request, session, access)


@router.post("/teams/{team_id}/members")
def add_member(
    request: Request,
    session: SessionDep,
    access: FacilitatorAccess,
    form: Annotated[PersonForm, Depends(form_for(PersonForm, show_members), scope="function")],
):
    if form.then == "invite":
        new = service.NewMember(form.display_name, form.perspective, form.role)
        invitation, token = service.create_invitation(
            session, team=access.team, new_member=new, actor=access.user, now=now(request)
        )
        return to_link_page(request, invitation, token, "Added to the list. Here is their link.")
    member = service.add_person(
        session,
        team=access.team,
        display_name=form.display_name,
        perspective=form.perspective,
        role=form.role,
        actor=access.user,
    )
    return redirect(
        request, f"/teams/{access.team.id}/members", flash=f"{member.display_name} was added."
    )


@router.get("/teams/{team_id}/members/{member_id}")
def person_page(request: Request, session: SessionDep, access: FacilitatorAccess, member: Person):
    return show_person(request, session, access, member)


@router.post("/teams/{team_id}/members/{member_id}")
def change_member(
    request: Request,
    session: SessionDep,
    access: FacilitatorAccess,
    member: Person,
    form: Annotated[PersonForm, Depends(form_for(PersonForm, show_person), scope="function")],
):
    service.change_person(
        session,
        member=member,
        display_name=form.display_name,
        perspective=form.perspective,
        role=form.role,
        actor=access.user,
    )
    return redirect(request, f"/teams/{access.team.id}/members", flash=N_("Changes saved."))


@router.post("/teams/{team_id}/members/{member_id}/leave")
def member_left(request: Request, session: SessionDep, access: FacilitatorAccess, member: Person):
    service.mark_left(session, member=member, actor=access.user, now=now(request))
    return redirect(
        request,
        f"/teams/{access.team.id}/members",
        flash=f"{member.display_name} is marked as having left the team.",
    )


@router.post("/teams/{team_id}/members/{member_id}/rejoin")
def member_rejoined(
    request: Request, session: SessionDep, access: FacilitatorAccess, member: Person
):
    service.rejoin(session, member=member, actor=access.user)
    return redirect(
        request,
        f"/teams/{access.team.id}/members/{member.id}",
        flash=f"{member.display_name} is back on the team's list.",
    )


@router.post("/teams/{team_id}/members/{member_id}/invitations")
def invite_member(
    request: Request,
    session: SessionDep,
    access: FacilitatorAccess,
    member: Person,
    form: Annotated[ButtonForm, Depends(form_for(ButtonForm, show_person), scope="function")],
):
    invitation, token = service.create_invitation(
        session, team=access.team, member=member, actor=access.user, now=now(request)
    )
    return to_link_page(request, invitation, token, "Here is the new link.")


@router.get("/teams/{team_id}/invitations/{invitation_id}")
def invitation_page(
    request: Request,
    access: FacilitatorAccess,
    invitation: TeamInvitation,
    member: InvitedPerson,
):
    return show_invitation(request, access, invitation, member)


@router.post("/teams/{team_id}/invitations/{invitation_id}/revoke")
def revoke(
    request: Request, session: SessionDep, access: FacilitatorAccess, invitation: TeamInvitation
):
    service.revoke_invitation(session, invitation=invitation, actor=access.user, now=now(request))
    response = redirect(
        request,
        f"/teams/{access.team.id}/members/{invitation.team_member_id}",
        flash=N_("That link no longer works."),
    )
    forget_link(response, invitation)
    return response
