"""Present mode (the shared screen, also at /live): never a live spread, never a small group
(docs/privacy.md). Polled every 2 s with the room_version it shows; an unchanged poll is
answered 204 before this module is reached (app.rounds.queries.poll)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlmodel import Session

from app.core.i18n import N_, gettext_in
from app.models import Framework
from app.rounds.deps import RoundAccess
from app.rounds.pages.common import join_panel
from app.rounds.pages.projector_words import projector_words
from app.rounds.queries import room
from app.rounds.queries.poll import RoomNow
from app.rounds.queries.rounds import PHONE_MODES, find_agreed, round_statements
from app.web import is_htmx, language_of, render

LIVE = "rounds/live.html"
COUNTS = "rounds/present_counts.html"


def panel_context(request: Request, session: Session, loaded: RoundAccess) -> dict[str, Any]:
    round_ = loaded.round
    live = round_.status == "open"
    context: dict[str, Any] = {"round": round_, "live": live, "pos": None, "join": None}
    framework = session.get(Framework, round_.framework_id) if live else None
    words = projector_words(request, session, framework)
    context.update(say=words.say, words=words, N_=N_)
    if round_.mode in PHONE_MODES and round_.status != "closed":
        # the QR is built once per code (app.core.codes.join_qr is cached)
        context.update(
            joined=room.joined_count(session, round_.id),
            join=join_panel(request.app.state.settings, round_),
        )
    if not live:
        return context
    statements = round_statements(session, round_)
    pos = room.position(session, round_, statements, round_.current_statement_id)
    if pos is None:
        return context
    screen = room.projector(session, round_, pos.statement.id)
    agreed = find_agreed(session, round_.id, pos.statement.id)
    context.update(
        pos=pos,
        screen=screen,
        comment=room.shown_comment(session, round_),
        framework=words.scale(),
        agreed=agreed,
        agreed_text=_level_text(words, agreed.level) if agreed else "",
    )
    return context


def _level_text(words, level: int | None) -> Markup | str:
    name = words.level(level)
    return name if level is None else Markup("{} – {}").format(level, name)


def show_live(request: Request, session: Session, loaded: RoundAccess) -> Response:
    context = panel_context(request, session, loaded)
    if not is_htmx(request):
        title = gettext_in(language_of(request), N_("%(title)s – on the screen"))
        context["page_title"] = title % {"title": loaded.round.title}
    return render(request, LIVE, context, block="panel")


def show_counts_only(request: Request, session: Session, now: RoomNow) -> Response | None:
    """Present mode when only its counts moved since the screen's poll (a join, an answer, a
    comment typed on a phone): the new poll element and the joined and answered lines (and
    the shown comment's words), swapped out of band: three small queries instead of the whole
    screen. None when the screen must redraw after all (the comment on it is gone)."""
    comment = room.shown_comment(session, now)
    if now.shown_comment_id is not None and not comment:
        return None
    context = {
        "round": now,
        "joined": room.joined_count(session, now.id),
        "answered": room.answered_now(session, now.id, now.current_statement_id),
        "comment": comment,
        "say": projector_words(request, session, None).say,
        "N_": N_,
    }
    headers = {"HX-Retarget": "#present-poll", "HX-Reswap": "outerHTML"}
    return render(request, COUNTS, context, headers=headers)
