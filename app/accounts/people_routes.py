"""A team's people page: the list, adding and changing people, invitation links."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field
from sqlmodel import select

from app.accounts import invitations, people
from app.accounts.qr import qr_svg
from app.db import SessionDep
from app.forms import invalid, parse_form
from app.models import Invitation
from app.models.base import PERSPECTIVE_LABELS
from app.security.access import TeamAccess, TeamAccessDep
from app.security.clock import now
from app.security.tokens import hash_token, same
from app.web import redirect, render

router = APIRouter()

LINK_COOKIE = "trip_invitation_link"
LINK_SHOWN_FOR = 15 * 60  # seconds the new link stays readable on its page


class PersonForm(BaseModel):
    display_name: str = Field(min_length=1, max_length=80, title="Name")
    perspective: Literal["staff", "peer_worker", "service_user", "carer", "community"] = Field(
        title="Perspective"
    )
    role: Literal["facilitator", "member"] = Field(default="member", title="Role on this team")
    then: str = "list"


def _choices() -> dict:
    return {
        "perspectives": list(PERSPECTIVE_LABELS.items()),
        "roles": [
            ("member", "Member: sees the team's work and plan"),
            ("facilitator", "Facilitator: runs workshops and manages this list"),
        ],
    }


def _list_context(request: Request, session, access: TeamAccess) -> dict:
    return {
        "page_title": f"People – {access.team.name}",
        "team": access.team,
        "access": access,
        "rows": people.list_people(session, access.team.id, now=now(request)),
        **_choices(),
    }


def _person_or_404(session, access: TeamAccess, member_id: int):
    member = people.get_person(session, access.team.id, member_id)
    if member is None:
        raise HTTPException(404)
    return member


def _person_context(request: Request, session, access: TeamAccess, member) -> dict:
    history = session.exec(
        select(Invitation)
        .where(Invitation.team_member_id == member.id)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    ).all()
    at = now(request)
    return {
        "page_title": f"{member.display_name} – {access.team.name}",
        "team": access.team,
        "member": member,
        "invitations": [(i, invitations.status_of(i, now=at)) for i in history],
        "refusal": invitations.reissue_refusal(session, actor=access.user, member=member),
        **_choices(),
    }


def _to_link_page(request: Request, invitation: Invitation, token: str, flash: str):
    url = f"/teams/{invitation.team_id}/invitations/{invitation.id}"
    response = redirect(request, url, flash=flash)
    response.set_cookie(
        LINK_COOKIE,
        f"{invitation.id}:{token}",
        max_age=LINK_SHOWN_FOR,
        path=url,
        httponly=True,
        samesite="strict",
        secure=request.app.state.settings.secure_cookies,
    )
    return response


@router.get("/teams/{team_id}/members")
def members_page(request: Request, session: SessionDep, access: TeamAccessDep):
    access.require_inside()
    context = _list_context(request, session, access)
    return render(request, "accounts/members.html", {**context, "values": {}, "errors": {}})


@router.post("/teams/{team_id}/members")
def add_member(request: Request, session: SessionDep, access: TeamAccessDep):
    access.require_inside()
    access.require_facilitator()
    context = _list_context(request, session, access)
    form = parse_form(request, PersonForm, template="accounts/members.html", context=context)
    try:
        if form.then == "invite":
            new = invitations.NewMember(form.display_name, form.perspective, form.role)
            invitation, token = invitations.create_invitation(
                session, team=access.team, new_member=new, actor=access.user, now=now(request)
            )
        else:
            member = people.add_person(
                session,
                team=access.team,
                display_name=form.display_name,
                perspective=form.perspective,
                role=form.role,
                actor=access.user,
            )
    except people.PersonProblem as exc:
        raise invalid("accounts/members.html", form, context, **{exc.field: exc.message}) from None
    session.commit()
    if form.then == "invite":
        return _to_link_page(request, invitation, token, "Added to the list. Here is their link.")
    return redirect(
        request, f"/teams/{access.team.id}/members", flash=f"{member.display_name} was added."
    )


@router.get("/teams/{team_id}/members/{member_id}")
def person_page(request: Request, session: SessionDep, access: TeamAccessDep, member_id: int):
    access.require_inside()
    access.require_facilitator()
    member = _person_or_404(session, access, member_id)
    context = _person_context(request, session, access, member)
    values = {"display_name": member.display_name, "perspective": member.perspective}
    values["role"] = member.role
    return render(request, "accounts/person.html", {**context, "values": values, "errors": {}})


@router.post("/teams/{team_id}/members/{member_id}")
def change_member(request: Request, session: SessionDep, access: TeamAccessDep, member_id: int):
    access.require_inside()
    access.require_facilitator()
    member = _person_or_404(session, access, member_id)
    context = _person_context(request, session, access, member)
    form = parse_form(request, PersonForm, template="accounts/person.html", context=context)
    try:
        people.change_person(
            session,
            member=member,
            display_name=form.display_name,
            perspective=form.perspective,
            role=form.role,
            actor=access.user,
        )
    except people.PersonProblem as exc:
        raise invalid("accounts/person.html", form, context, **{exc.field: exc.message}) from None
    session.commit()
    return redirect(request, f"/teams/{access.team.id}/members", flash="Changes saved.")


@router.post("/teams/{team_id}/members/{member_id}/leave")
def member_left(request: Request, session: SessionDep, access: TeamAccessDep, member_id: int):
    access.require_inside()
    access.require_facilitator()
    member = _person_or_404(session, access, member_id)
    people.mark_left(session, member=member, actor=access.user, now=now(request))
    session.commit()
    return redirect(
        request,
        f"/teams/{access.team.id}/members",
        flash=f"{member.display_name} is marked as having left the team.",
    )


@router.post("/teams/{team_id}/members/{member_id}/rejoin")
def member_rejoined(request: Request, session: SessionDep, access: TeamAccessDep, member_id: int):
    access.require_inside()
    access.require_facilitator()
    member = _person_or_404(session, access, member_id)
    people.rejoin(session, member=member, actor=access.user)
    session.commit()
    return redirect(
        request,
        f"/teams/{access.team.id}/members/{member.id}",
        flash=f"{member.display_name} is back on the team's list.",
    )


@router.post("/teams/{team_id}/members/{member_id}/invitations")
def invite_member(request: Request, session: SessionDep, access: TeamAccessDep, member_id: int):
    access.require_inside()
    access.require_facilitator()
    member = _person_or_404(session, access, member_id)
    try:
        invitation, token = invitations.create_invitation(
            session, team=access.team, member=member, actor=access.user, now=now(request)
        )
    except invitations.InvitationProblem as exc:
        context = _person_context(request, session, access, member)
        values = {"display_name": member.display_name, "perspective": member.perspective}
        values["role"] = member.role
        raise invalid("accounts/person.html", values, context, invite=exc.message) from None
    session.commit()
    return _to_link_page(request, invitation, token, "Here is the new link.")


def _invitation_or_404(session, access: TeamAccess, invitation_id: int) -> Invitation:
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.team_id != access.team.id:
        raise HTTPException(404)
    return invitation


@router.get("/teams/{team_id}/invitations/{invitation_id}")
def invitation_page(
    request: Request, session: SessionDep, access: TeamAccessDep, invitation_id: int
):
    access.require_inside()
    access.require_facilitator()
    invitation = _invitation_or_404(session, access, invitation_id)
    member = _person_or_404(session, access, invitation.team_member_id)
    state = invitations.status_of(invitation, now=now(request))
    link = qr = None
    saved = request.cookies.get(LINK_COOKIE, "")
    saved_id, _, token = saved.partition(":")
    if state == "open" and saved_id == str(invitation.id) and token:
        if same(hash_token(token), invitation.token_hash):
            link = invitations.invitation_url(request.app.state.settings, token)
            qr = qr_svg(link, label=f"QR code for {member.display_name}'s invitation link")
    context = {
        "page_title": f"Invitation for {member.display_name}",
        "team": access.team,
        "member": member,
        "invitation": invitation,
        "state": state,
        "link": link,
        "qr": qr,
    }
    return render(request, "accounts/invitation.html", context)


@router.post("/teams/{team_id}/invitations/{invitation_id}/revoke")
def revoke(request: Request, session: SessionDep, access: TeamAccessDep, invitation_id: int):
    access.require_inside()
    access.require_facilitator()
    invitation = _invitation_or_404(session, access, invitation_id)
    invitations.revoke_invitation(
        session, invitation=invitation, actor=access.user, now=now(request)
    )
    session.commit()
    response = redirect(
        request,
        f"/teams/{access.team.id}/members/{invitation.team_member_id}",
        flash="That link no longer works.",
    )
    response.delete_cookie(LINK_COOKIE, path=f"/teams/{access.team.id}/invitations/{invitation.id}")
    return response
