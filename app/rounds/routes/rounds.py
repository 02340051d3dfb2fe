"""The team's rounds, a new round, the facilitator's page and the round's life."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.core.dates import now
from app.core.i18n import N_, gettext_in, use_language
from app.core.refused import Refused
from app.db import SessionDep
from app.forms import form_for
from app.models import Framework
from app.rounds import service
from app.rounds.deps import FacilitatedRound, FacilitatorTeam, ShowSmall
from app.rounds.forms import NewRoundForm
from app.rounds.pages.common import facilitator_url
from app.rounds.pages.facilitator import show_facilitator
from app.rounds.pages.rounds import show_new_round, show_team_rounds
from app.rounds.queries import kept_message
from app.rounds.routes import router
from app.security.access import TeamAccessDep
from app.web import language_of, redirect


@router.get("/teams/{team_id}/rounds")
def team_rounds(request: Request, session: SessionDep, access: TeamAccessDep):
    return show_team_rounds(request, session, access)


@router.get("/teams/{team_id}/rounds/new")
def new_round_page(request: Request, session: SessionDep, access: FacilitatorTeam):
    return show_new_round(request, session, access)


@router.post("/teams/{team_id}/rounds/new")
def create_round(
    request: Request,
    session: SessionDep,
    access: FacilitatorTeam,
    form: Annotated[
        NewRoundForm, Depends(form_for(NewRoundForm, show_new_round), scope="function")
    ],
):
    framework = session.get(Framework, form.framework_id)
    if framework is None:
        raise Refused(N_("Choose a framework"), status=422, field="framework_id")
    round_ = service.create_round(
        session,
        team=access.team,
        framework=framework,
        title=form.title,
        held_on=form.held_on,
        mode=form.mode,
        actor=access.user,
    )
    return redirect(
        request,
        f"/rounds/{round_.id}",
        flash=gettext_in(language_of(request), N_("Round “%(title)s” set up."))
        % {"title": round_.title},
    )


@router.get("/rounds/{round_id}")
def facilitator_view(
    request: Request, session: SessionDep, loaded: FacilitatedRound, small: ShowSmall
):
    return show_facilitator(request, session, loaded, small)


_LIFECYCLE = {
    "open": (service.open_round, N_("The round is open: people can join with the code.")),
    "close": (service.close_round, N_("The round is closed. Its results are ready.")),
    "reopen": (service.reopen_round, N_("The round is open again.")),
}


def _lifecycle(verb: str):
    action, message = _LIFECYCLE[verb]

    def handler(request: Request, session: SessionDep, loaded: FacilitatedRound, small: ShowSmall):
        round_ = loaded.round
        action(session, round_, actor=loaded.user, now=now(request))
        use_language(language_of(request))  # the words added at a close, in their language
        kept = kept_message(session, round_) if verb == "close" else None
        said = gettext_in(language_of(request), message)
        flash = f"{said} {kept}" if kept else said
        return redirect(request, facilitator_url(round_, small), flash=flash)

    handler.__name__ = f"{verb}_round"
    return handler


for _verb in _LIFECYCLE:
    router.post(f"/rounds/{{round_id}}/{_verb}")(_lifecycle(_verb))
