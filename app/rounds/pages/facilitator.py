"""The facilitator's page, its polled counts and its agree block.

The show_… functions take FastAPI dependencies (app.forms.form_for reads their signatures),
so this module does without `from __future__ import annotations`.
"""

from types import SimpleNamespace
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlmodel import Session

from app.core.floor import divergence_of
from app.core.i18n import N_
from app.core.refused import Refused
from app.db import SessionDep
from app.models import AgreedRating, Framework, Round, Statement
from app.rounds.deps import FacilitatedRound, RoundAccess, RoundStatement, ShowSmall
from app.rounds.pages.common import (
    agree_values,
    common,
    join_panel,
    level_labels,
    level_options,
    page_title,
    small_query,
)
from app.rounds.pages.projector_words import (
    CHOICE_LABELS,
    page_words,
    projector_choice,
    read_framework,
)
from app.rounds.queries import room
from app.rounds.queries.rounds import (
    PHONE_MODES,
    agreed_ratings,
    find_agreed,
    round_statements,
    sections_for_round,
)
from app.rounds.queries.summaries import live_counts
from app.web import is_htmx, render

FACILITATOR = "rounds/facilitator.html"


def counts_panel(session: Session, round_: Round, statement_id: int, show_small: bool) -> dict:
    """The facilitator's own live figures for one statement (floored unless small groups are
    shown on this screen)."""
    perspectives = live_counts(session, round_.id, statement_id).get(statement_id, {})
    spread = room.facilitator_spread(perspectives, statement_id, show_small=show_small)
    return {
        "spread": spread,
        "divergence": divergence_of(spread),
        "answered": room.answered_count(perspectives),
    }


def _read_framework(request: Request, session: Session, round_: Round):
    """The round's framework, its scale named in the page's language."""
    framework = session.get(Framework, round_.framework_id)
    return read_framework(page_words(request, session, framework))


def live_context(
    session: Session,
    round_: Round,
    framework: Any,
    statement_id: int | None,
    show_small: bool,
) -> dict[str, Any]:
    """What the live part of the facilitator's page shows (people joined, the answers so
    far, the comments) for the statement on the screen: all the poll needs."""
    live = round_.status == "open"
    on_screen = statement_id if live else None
    counts = counts_panel(session, round_, on_screen, show_small) if on_screen else {}
    return {
        "round": round_,
        "framework": framework,
        "live": live,
        "live_statement_id": on_screen,
        "show_small": show_small,
        "small_q": small_query(show_small),
        "spread": counts.get("spread"),
        "divergence": counts.get("divergence"),
        "answered": counts.get("answered", 0),
        "joined": room.joined_count(session, round_.id),
        "comments": room.visible_comments(session, round_.id, on_screen) if on_screen else [],
    }


def facilitator_context(
    request: Request,
    session: Session,
    loaded: RoundAccess,
    *,
    statement_id: int | None = None,
    show_small: bool = False,
) -> dict[str, Any]:
    round_, access = loaded.round, loaded.access
    context = common(session, round_, access.team)
    words = page_words(request, session, context["framework"])  # the reader's language
    framework = read_framework(words)
    context.update(words=words, framework=framework, level_labels=level_labels(framework))
    statements = round_statements(session, round_)
    pos = room.position(session, round_, statements, statement_id or round_.current_statement_id)
    agreed = agreed_ratings(session, round_.id)
    current = agreed.get(pos.statement.id) if pos else None
    joinable = round_.mode in PHONE_MODES and round_.status != "closed"
    context.update(
        live_context(session, round_, framework, pos.statement.id if pos else None, show_small)
    )
    context.update(
        page_title=page_title(request, N_("%(title)s – facilitator view"), title=round_.title),
        access=access,
        sections=sections_for_round(session, round_),
        agreed=agreed,
        pos=pos,
        current_agreed=current,
        values=agree_values(current),
        errors={},
        level_options=level_options(framework),
        join=join_panel(request.app.state.settings, round_, qr=joinable),
        agreed_count=len(agreed),
        projector_options=list(CHOICE_LABELS.items()),
        projector_choice=projector_choice(request),
    )
    return context


def show_facilitator(
    request: Request,
    session: SessionDep,
    loaded: FacilitatedRound,
    small: ShowSmall,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
) -> Response:
    """The facilitator's page (a room control's bad input: shown again, or with htmx the
    refusal block where the control was)."""
    if errors and is_htmx(request):
        raise Refused(next(iter(errors.values())), status=422)
    context = facilitator_context(request, session, loaded, show_small=small)
    if errors:
        context["errors"] = errors
    return render(request, FACILITATOR, context, status_code=status)


def show_room(request: Request, session: Session, loaded: RoundAccess, small: bool) -> Response:
    """The room controls fragment (htmx), after a change."""
    context = facilitator_context(request, session, loaded, show_small=small)
    return render(request, FACILITATOR, context, block="room")


def show_counts(request: Request, session: Session, loaded: RoundAccess, small: bool) -> Response:
    """The live part of the facilitator's page (joined, answers, comments, the projector's
    controls), polled; the whole page without htmx. Built only when the room changed."""
    if not is_htmx(request):
        return show_facilitator(request, session, loaded, small)
    round_ = loaded.round
    framework = _read_framework(request, session, round_)
    statement_id = round_.current_statement_id or room.first_statement_id(session, round_)
    context = live_context(session, round_, framework, statement_id, small)
    return render(request, FACILITATOR, context, block="live")


# --- the agree block ------------------------------------------------------------------------


def agree_block(
    request: Request,
    session: Session,
    loaded: RoundAccess,
    statement: Statement,
    small: bool,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
    **extra: Any,
) -> Response:
    """The agreed rating of one statement: the block alone for htmx, else the whole page."""
    round_ = loaded.round
    if not is_htmx(request):
        context = facilitator_context(
            request, session, loaded, statement_id=statement.id, show_small=small
        )
    else:
        framework = _read_framework(request, session, round_)
        if "current_agreed" in extra:
            current = extra["current_agreed"]
        else:
            current = find_agreed(session, round_.id, statement.id)
        context = {
            "round": round_,
            "pos": SimpleNamespace(statement=statement),
            "level_labels": level_labels(framework),
            "level_options": level_options(framework),
            "small_q": small_query(small),
            "current_agreed": current,
            "values": agree_values(current),
        }
    if values is not None:
        context["values"] = values
    context["errors"] = errors or {}
    context.update(extra)
    return render(request, FACILITATOR, context, status_code=status, block="agree")


def show_agree(
    request: Request,
    session: SessionDep,
    loaded: FacilitatedRound,
    statement: RoundStatement,
    small: ShowSmall,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
) -> Response:
    """The agree form shown again with its problems (app.forms.form_for)."""
    return agree_block(
        request, session, loaded, statement, small, values=values, errors=errors, status=status
    )


def saved_agree(
    request: Request,
    session: Session,
    loaded: RoundAccess,
    statement: Statement,
    small: bool,
    row: AgreedRating,
    message: str,
) -> Response:
    return agree_block(
        request, session, loaded, statement, small, current_agreed=row, saved=message,
        values=agree_values(row),
    )  # fmt: skip


def conflict_agree(
    request: Request,
    session: Session,
    loaded: RoundAccess,
    statement: Statement,
    small: bool,
    *,
    saved: AgreedRating | None,
    yours: dict,
) -> Response:
    """Someone saved first: both versions side by side, nothing overwritten (409)."""
    yours = {**yours, "version": saved.version if saved else 0}
    return agree_block(
        request, session, loaded, statement, small, values=yours, status=409,
        conflict=saved, yours=yours, current_agreed=saved,
    )  # fmt: skip
