"""Rounds: the team's list, a new round, the facilitator view, the projector panel and the
room's controls. Results and paper sheets are in sibling modules."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from sqlmodel import select

from app.db import SessionDep
from app.forms import invalid, parse_form
from app.models import Framework
from app.rounds import publications, service
from app.rounds.access import facilitated_round
from app.rounds.agreed import RoundNotOpen, StaleEdit, ask_about_names, record_agreed_rating
from app.rounds.forms import AgreeForm, CommentChoice, NewRoundForm, StatementChoice
from app.rounds.paper_routes import router as paper_router
from app.rounds.results_routes import router as results_router
from app.rounds.room import facilitator_url, show_small
from app.rounds.views import STATUS_COLOURS, facilitator_context, live_context
from app.security.access import CurrentUser, TeamAccessDep
from app.security.clock import now
from app.web import is_htmx, redirect, render

router = APIRouter()
router.include_router(results_router)
router.include_router(paper_router)

FACILITATOR = "rounds/facilitator.html"


def _open_actions(session, team_id: int):
    """The plans engineer's hook: open actions to review before benchmarking again."""
    try:
        from app.plans import service as plans_service
    except ImportError:
        return None
    finder = getattr(plans_service, "open_actions_for_team", None)
    return finder(session, team_id) if finder else None


# --- the team's rounds and a new one -------------------------------------------------------


@router.get("/teams/{team_id}/rounds")
def team_rounds(request: Request, session: SessionDep, access: TeamAccessDep):
    return render(
        request,
        "rounds/team_rounds.html",
        {
            "page_title": f"Benchmarking rounds – {access.team.name}",
            "team": access.team,
            "access": access,
            "rounds": service.team_rounds(session, access.team.id),
            "status_labels": service.STATUS_LABELS,
            "status_colours": STATUS_COLOURS,
        },
    )


def _new_context(session, access) -> dict:
    frameworks = session.exec(select(Framework).order_by(Framework.key, Framework.id)).all()
    return {
        "page_title": "Set up a benchmarking round",
        "team": access.team,
        "framework_options": [(f.id, f"{f.title} (version {f.version})") for f in frameworks],
        "modes": service.MODES,
        "open_actions": _open_actions(session, access.team.id),
    }


@router.get("/teams/{team_id}/rounds/new")
def new_round_page(request: Request, session: SessionDep, access: TeamAccessDep):
    access.require_facilitator()
    default = service.default_framework(session, access.team)
    values = {
        "framework_id": default.id if default else "",
        "held_on": now(request).date().isoformat(),
        "mode": "phones",
    }
    context = _new_context(session, access)
    return render(request, "rounds/new.html", {**context, "values": values, "errors": {}})


@router.post("/teams/{team_id}/rounds/new")
def create_round(request: Request, session: SessionDep, access: TeamAccessDep):
    access.require_facilitator()
    context = _new_context(session, access)
    form = parse_form(request, NewRoundForm, template="rounds/new.html", context=context)
    framework = session.get(Framework, form.framework_id)
    if framework is None:
        raise invalid("rounds/new.html", form, context, framework_id="Choose a framework")
    round_ = service.create_round(
        session,
        team=access.team,
        framework=framework,
        title=form.title,
        held_on=form.held_on,
        mode=form.mode,
        actor=access.user,
    )
    return redirect(request, f"/rounds/{round_.id}", flash=f"Round “{round_.title}” set up.")


# --- the facilitator view ------------------------------------------------------------------


def _page(request, session, round_, access, *, statement_id=None, **extra):
    small = show_small(request)
    settings = request.app.state.settings
    context = facilitator_context(
        session, round_, access, settings, statement_id=statement_id, show_small=small
    )
    context.update(extra)
    return context


@router.get("/rounds/{round_id}")
def facilitator_view(request: Request, round_id: int, session: SessionDep, user: CurrentUser):
    round_, access = facilitated_round(session, user, round_id)
    return render(request, FACILITATOR, _page(request, session, round_, access))


@router.get("/rounds/{round_id}/counts")
def facilitator_counts(request: Request, round_id: int, session: SessionDep, user: CurrentUser):
    """The counts on the facilitator's screen, polled (the whole page without htmx)."""
    round_, access = facilitated_round(session, user, round_id)
    return render(request, FACILITATOR, _page(request, session, round_, access), block="counts")


@router.get("/rounds/{round_id}/live")
def live_panel(request: Request, round_id: int, session: SessionDep, user: CurrentUser):
    """The projector panel, polled every 2 s with htmx."""
    round_, access = facilitated_round(session, user, round_id)
    context = live_context(session, round_, access.team, request.app.state.settings)
    return render(request, "rounds/live.html", context, block="panel")


_LIFECYCLE = {
    "open": (service.open_round, "The round is open: people can join with the code."),
    "close": (service.close_round, "The round is closed. Its results are ready."),
    "reopen": (service.reopen_round, "The round is open again."),
}


def _lifecycle(verb: str):
    action, message = _LIFECYCLE[verb]

    def handler(request: Request, round_id: int, session: SessionDep, user: CurrentUser):
        round_, access = facilitated_round(session, user, round_id)
        try:
            action(session, round_, actor=user, now=now(request))
        except service.RoundRefused as exc:
            session.rollback()
            context = _page(request, session, round_, access, problem=exc.message)
            return render(request, FACILITATOR, context, status_code=409)
        kept = publications.kept_message(session, round_) if verb == "close" else None
        flash = f"{message} {kept}" if kept else message
        return redirect(request, facilitator_url(request, round_), flash=flash)

    handler.__name__ = f"{verb}_round"
    return handler


for _verb in _LIFECYCLE:
    router.post(f"/rounds/{{round_id}}/{_verb}")(_lifecycle(_verb))


@router.post("/rounds/{round_id}/current")
def choose_statement(request: Request, round_id: int, session: SessionDep, user: CurrentUser):
    round_, access = facilitated_round(session, user, round_id)
    form = parse_form(
        request,
        StatementChoice,
        template=FACILITATOR,
        context=_page(request, session, round_, access),
    )
    statement = service.statement_in_round(session, round_, form.statement_id)
    if statement is None:
        raise HTTPException(404)
    service.set_current_statement(session, round_, statement)
    return redirect(request, facilitator_url(request, round_, "#statement"))


def _room_answer(request, session, round_, access, flash: str):
    """htmx: the room controls fragment; otherwise back to the page."""
    if is_htmx(request):
        return render(request, FACILITATOR, _page(request, session, round_, access), block="room")
    return redirect(request, facilitator_url(request, round_, "#room"), flash=flash)


def _room_refused(request, session, round_, access, exc: service.RoundRefused):
    session.rollback()
    context = _page(request, session, round_, access, room_problem=exc.message)
    return render(request, FACILITATOR, context, status_code=409, block="room")


@router.post("/rounds/{round_id}/spread/show")
def show_spread(request: Request, round_id: int, session: SessionDep, user: CurrentUser):
    round_, access = facilitated_round(session, user, round_id)
    try:
        service.show_spread(session, round_)
    except service.RoundRefused as exc:
        return _room_refused(request, session, round_, access, exc)
    return _room_answer(request, session, round_, access, "The spread is on the screen.")


@router.post("/rounds/{round_id}/spread/hide")
def hide_spread(request: Request, round_id: int, session: SessionDep, user: CurrentUser):
    round_, access = facilitated_round(session, user, round_id)
    service.hide_spread(session, round_)
    return _room_answer(request, session, round_, access, "The spread is hidden.")


@router.post("/rounds/{round_id}/comments/show")
def show_comment(request: Request, round_id: int, session: SessionDep, user: CurrentUser):
    round_, access = facilitated_round(session, user, round_id)
    form = parse_form(
        request,
        CommentChoice,
        template=FACILITATOR,
        context=_page(request, session, round_, access),
    )
    try:
        service.show_comment(session, round_, form.rating_id)
    except service.RoundRefused as exc:
        return _room_refused(request, session, round_, access, exc)
    return _room_answer(request, session, round_, access, "The comment is on the screen.")


@router.post("/rounds/{round_id}/comments/off-screen")
def comment_off_screen(request: Request, round_id: int, session: SessionDep, user: CurrentUser):
    round_, access = facilitated_round(session, user, round_id)
    service.show_comment(session, round_, None)
    return _room_answer(request, session, round_, access, "No comment is on the screen.")


@router.post("/rounds/{round_id}/comments/hide")
def hide_comment(request: Request, round_id: int, session: SessionDep, user: CurrentUser):
    round_, access = facilitated_round(session, user, round_id)
    form = parse_form(
        request,
        CommentChoice,
        template=FACILITATOR,
        context=_page(request, session, round_, access),
    )
    try:
        service.hide_comment(session, round_, form.rating_id, actor=user)
    except service.RoundRefused as exc:
        return _room_refused(request, session, round_, access, exc)
    return _room_answer(request, session, round_, access, "The comment is hidden for good.")


# --- the agreed rating ---------------------------------------------------------------------


@router.post("/rounds/{round_id}/statements/{statement_id}/agree")
def agree(
    request: Request, round_id: int, statement_id: int, session: SessionDep, user: CurrentUser
):
    round_, access = facilitated_round(session, user, round_id)
    statement = service.statement_in_round(session, round_, statement_id)
    if statement is None:
        raise HTTPException(404)
    context = _page(request, session, round_, access, statement_id=statement_id)
    form = parse_form(request, AgreeForm, template=FACILITATOR, context=context, block="agree")
    ask_about_names(request, session, round_, form, context, template=FACILITATOR)
    try:
        record_agreed_rating(
            session,
            round_=round_,
            statement=statement,
            level=form.level_value,
            well_notes=form.well_notes,
            could_notes=form.could_notes,
            version=form.version,
            actor=user,
            now=now(request),
        )
    except RoundNotOpen:
        raise invalid(
            FACILITATOR,
            form,
            context,
            block="agree",
            level="This round is not open, so its agreed ratings cannot change. "
            "Reopen the round first.",
        ) from None
    except StaleEdit as exc:
        session.rollback()
        yours = form.model_dump(mode="json")
        yours["version"] = exc.current.version if exc.current else 0
        context.update(conflict=exc.current, yours=yours, values=yours, current_agreed=exc.current)
        return render(request, FACILITATOR, context, status_code=409, block="agree")
    message = f"Agreed rating saved for {statement.code}."
    if is_htmx(request):
        fresh = _page(request, session, round_, access, statement_id=statement_id, saved=message)
        return render(request, FACILITATOR, fresh, block="agree")
    return redirect(request, facilitator_url(request, round_, "#agree"), flash=message)
