"""The projector: never a live spread, never a small group (docs/privacy.md). Polled every
2 s, so the poll builds only what its panel shows (no page context, no QR code)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlmodel import Session

from app.models import Framework
from app.rounds.deps import RoundAccess
from app.rounds.pages.common import common, join_panel
from app.rounds.queries import room
from app.rounds.queries.rounds import PHONE_MODES, round_statements
from app.web import is_htmx, render

LIVE = "rounds/live.html"


def panel_context(request: Request, session: Session, loaded: RoundAccess) -> dict[str, Any]:
    round_ = loaded.round
    live = round_.status == "open"
    context: dict[str, Any] = {"round": round_, "live": live, "pos": None}
    if not live:
        return context
    statements = round_statements(session, round_)
    pos = room.position(session, round_, statements, round_.current_statement_id)
    if pos is None:
        return context
    screen = room.projector(session, round_, pos.statement.id)
    context.update(pos=pos, screen=screen, comment=room.shown_comment(session, round_))
    if round_.mode in PHONE_MODES:
        context.update(
            joined=room.joined_count(session, round_.id),
            join=join_panel(request.app.state.settings, round_, qr=False),
        )
    if screen.snapshot is not None:
        context["framework"] = session.get(Framework, round_.framework_id)
    return context


def show_live(request: Request, session: Session, loaded: RoundAccess) -> Response:
    context = panel_context(request, session, loaded)
    if not is_htmx(request):
        context = {
            **common(session, loaded.round, loaded.team),
            **context,
            "page_title": f"{loaded.round.title} – on the screen",
        }
    return render(request, LIVE, context, block="panel")
