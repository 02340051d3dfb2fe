"""The room's controls (statement, spread, comments), the polled counts and projector, and
the agreed rating."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.responses import Response

from app.core.dates import now
from app.core.i18n import N_, gettext_in
from app.db import READ_ONLY, SessionDep, StaleEdit
from app.forms import form_for, submitted_form
from app.rounds import service
from app.rounds.deps import (
    FacilitatedRound,
    RoundAccess,
    RoundStatement,
    ShowSmall,
    facilitated_round,
)
from app.rounds.forms import (
    AgreeForm,
    CommentChoice,
    ModeChoice,
    ProjectorChoice,
    StatementChoice,
)
from app.rounds.pages.common import facilitator_url
from app.rounds.pages.facilitator import (
    agree_block,
    conflict_agree,
    saved_agree,
    show_agree,
    show_counts,
    show_facilitator,
    show_room,
)
from app.rounds.pages.projector import show_counts_only, show_live
from app.rounds.pages.projector_words import COOKIE as PROJECTOR_COOKIE
from app.rounds.queries import poll, statement_in_round
from app.rounds.routes import router
from app.security.access import optional_user, require_user
from app.web import is_htmx, language_of, redirect

StatementForm = Annotated[
    StatementChoice, Depends(form_for(StatementChoice, show_facilitator), scope="function")
]
CommentForm = Annotated[
    CommentChoice, Depends(form_for(CommentChoice, show_facilitator), scope="function")
]


def _look(request: Request, session, round_id: int, v: int | None, s: int | None = None):
    """A screen's poll reads only (on SQLite without the write lock, as the phones' poll:
    app.db.READ_ONLY) once the poll has found this person may run the round; anything else
    (a refusal may be recorded) carries on in a transaction that may write."""
    if v is None:  # a first load, not a poll
        return poll.Polled(poll.REDRAW)
    if not session.in_transaction():
        session.connection(execution_options=READ_ONLY)
    polled = poll.look(session, optional_user(request), round_id, v, s)
    if polled.answer == poll.REDRAW and polled.room is None:
        session.rollback()
    return polled


def _poll(request: Request, session, round_id: int, v: int | None) -> RoundAccess | Response:
    """An unchanged poll is 204 No Content (one query after sign-in); else the round, loaded
    and checked as for any facilitator's page."""
    if _look(request, session, round_id, v).answer == poll.NOTHING_NEW:
        return Response(status_code=204)
    return facilitated_round(request, round_id, session, require_user(request))


@router.get("/rounds/{round_id}/counts")
def facilitator_counts(
    request: Request, session: SessionDep, round_id: int, small: ShowSmall, v: int | None = None
):
    """The live part of the facilitator's screen, polled (the whole page without htmx)."""
    loaded = _poll(request, session, round_id, v)
    if isinstance(loaded, Response):
        return loaded
    return show_counts(request, session, loaded, small)


@router.get("/rounds/{round_id}/present")
def present(
    request: Request,
    session: SessionDep,
    round_id: int,
    v: int | None = None,
    s: int | None = None,
):
    """Present mode: the shared screen, polled every 2 s with htmx (?v= its room_version,
    &s= its screen_version): 204, its counts alone, or the whole screen."""
    polled = _look(request, session, round_id, v, s)
    if polled.answer == poll.NOTHING_NEW:
        return Response(status_code=204)
    if polled.answer == poll.COUNTS_ONLY and is_htmx(request):
        answered = show_counts_only(request, session, polled.room)
        if answered is not None:
            return answered
    loaded = facilitated_round(request, round_id, session, require_user(request))
    return show_live(request, session, loaded)


@router.get("/rounds/{round_id}/live")
def live_panel(
    request: Request,
    session: SessionDep,
    round_id: int,
    v: int | None = None,
    s: int | None = None,
):
    """The projector: the same screen as present mode."""
    return present(request, session, round_id, v, s)


@router.post("/rounds/{round_id}/mode")
def change_mode(
    request: Request,
    session: SessionDep,
    loaded: FacilitatedRound,
    small: ShowSmall,
    form: Annotated[ModeChoice, Depends(form_for(ModeChoice, show_facilitator), scope="function")],
):
    service.change_mode(session, loaded.round, form.mode, actor=loaded.user)
    return redirect(
        request, facilitator_url(loaded.round, small), flash=N_("How people rate is changed.")
    )


@router.post("/rounds/{round_id}/projector-language")
def choose_projector_language(
    request: Request,
    loaded: FacilitatedRound,
    small: ShowSmall,
    form: Annotated[
        ProjectorChoice, Depends(form_for(ProjectorChoice, show_facilitator), scope="function")
    ],
):
    """The projector's language, kept in this browser (the facilitator's, who opens present
    mode): English, Cymraeg, or each sentence in both."""
    response = redirect(
        request,
        facilitator_url(loaded.round, small),
        flash=N_("The projector's language is saved."),
    )
    response.set_cookie(
        PROJECTOR_COOKIE, form.projector, max_age=365 * 24 * 3600, httponly=True, samesite="lax"
    )
    return response


@router.post("/rounds/{round_id}/current")
def choose_statement(
    request: Request,
    session: SessionDep,
    loaded: FacilitatedRound,
    small: ShowSmall,
    form: StatementForm,
):
    statement = statement_in_round(session, loaded.round, form.statement_id)
    if statement is None:
        raise HTTPException(404)
    service.set_current_statement(session, loaded.round, statement)
    return redirect(request, facilitator_url(loaded.round, small, "#statement"))


def _room_answer(request, session, loaded: RoundAccess, small: bool, flash: str):
    """htmx: the room controls fragment; otherwise back to the page."""
    if is_htmx(request):
        return show_room(request, session, loaded, small)
    return redirect(request, facilitator_url(loaded.round, small, "#room"), flash=flash)


@router.post("/rounds/{round_id}/spread/show")
def show_spread(request: Request, session: SessionDep, loaded: FacilitatedRound, small: ShowSmall):
    service.show_spread(session, loaded.round)
    return _room_answer(request, session, loaded, small, N_("The spread is on the screen."))


@router.post("/rounds/{round_id}/spread/hide")
def hide_spread(request: Request, session: SessionDep, loaded: FacilitatedRound, small: ShowSmall):
    service.hide_spread(session, loaded.round)
    return _room_answer(request, session, loaded, small, N_("The spread is hidden."))


@router.post("/rounds/{round_id}/comments/show")
def show_comment(
    request: Request,
    session: SessionDep,
    loaded: FacilitatedRound,
    small: ShowSmall,
    form: CommentForm,
):
    service.show_comment(session, loaded.round, form.rating_id)
    return _room_answer(request, session, loaded, small, N_("The comment is on the screen."))


@router.post("/rounds/{round_id}/comments/off-screen")
def comment_off_screen(
    request: Request, session: SessionDep, loaded: FacilitatedRound, small: ShowSmall
):
    service.show_comment(session, loaded.round, None)
    return _room_answer(request, session, loaded, small, N_("No comment is on the screen."))


@router.post("/rounds/{round_id}/comments/hide")
def hide_comment(
    request: Request,
    session: SessionDep,
    loaded: FacilitatedRound,
    small: ShowSmall,
    form: CommentForm,
):
    service.hide_comment(session, loaded.round, form.rating_id, actor=loaded.user)
    return _room_answer(request, session, loaded, small, N_("The comment is hidden for good."))


# --- the agreed rating ---------------------------------------------------------------------


@router.post("/rounds/{round_id}/statements/{statement_id}/agree")
def agree(
    request: Request,
    session: SessionDep,
    loaded: FacilitatedRound,
    statement: RoundStatement,
    small: ShowSmall,
    form: Annotated[AgreeForm, Depends(form_for(AgreeForm, show_agree), scope="function")],
):
    round_ = loaded.round
    posted = submitted_form(request)
    asked = service.naming_problems(session, round_, statement.id, form.notes, posted)
    if asked:  # the notes name someone on the team: saved once the box is ticked
        return agree_block(
            request, session, loaded, statement, small, values=posted, errors=asked,
            status=422, ask_names=True,
        )  # fmt: skip
    try:
        row = service.record_agreed_rating(
            session,
            round_=round_,
            statement=statement,
            level=form.level_value,
            well_notes=form.well_notes,
            could_notes=form.could_notes,
            version=form.version,
            actor=loaded.user,
            now=now(request),
        )
    except StaleEdit as stale:
        session.rollback()
        yours = form.model_dump(mode="json")
        return conflict_agree(
            request, session, loaded, statement, small, saved=stale.saved, yours=yours
        )
    message = gettext_in(language_of(request), N_("Agreed rating saved for %(code)s.")) % {
        "code": statement.code
    }
    if posted.get("then") == "next":  # "Save and next": the room moves on too
        following = service.next_statement(session, round_, statement)
        if following is not None:
            service.set_current_statement(session, round_, following)
            return redirect(request, facilitator_url(round_, small, "#statement"), flash=message)
    if is_htmx(request):
        return saved_agree(request, session, loaded, statement, small, row, message)
    return redirect(request, facilitator_url(round_, small, "#agree"), flash=message)
