"""What the rounds pages show: the context each template needs, built in one place."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.config import Settings
from app.core.floor import GROUP_LABELS, divergence_of
from app.models import AgreedRating, Framework, Round, Team
from app.rounds import room
from app.rounds.agreed import agreed_ratings
from app.rounds.joining import join_address, join_url, qr_svg
from app.rounds.service import MODES, STATUS_LABELS, round_statements, sections_for_round
from app.rounds.summaries import live_counts
from app.security.access import TeamAccess

STATUS_COLOURS = {"draft": "grey", "open": "green", "closed": "blue"}


def level_options(framework: Framework) -> list[tuple[str, str]]:
    options = [
        (str(item["level"]), f"{item['level']} – {item['label']}") for item in framework.scale
    ]
    return [*options, ("dont_know", framework.dont_know_label)]


def level_labels(framework: Framework) -> dict[int | None, str]:
    labels: dict[int | None, str] = {item["level"]: item["label"] for item in framework.scale}
    labels[None] = framework.dont_know_label
    return labels


def agree_values(row: AgreedRating | None) -> dict[str, Any]:
    if row is None:
        return {"version": 0}
    return {
        "level": "dont_know" if row.level is None else str(row.level),
        "well_notes": row.well_notes,
        "could_notes": row.could_notes,
        "version": row.version,
    }


def join_panel(settings: Settings, round_: Round) -> dict[str, Any]:
    url = join_url(settings.public_url, round_.join_code)
    return {
        "code": round_.join_code,
        "url": url,
        "address": join_address(settings.public_url),
        "qr": qr_svg(url, label=f"QR code to join this workshop: {url}"),
    }


def common(session: Session, round_: Round, team: Team) -> dict[str, Any]:
    framework = session.get(Framework, round_.framework_id)
    return {
        "round": round_,
        "team": team,
        "framework": framework,
        "modes": MODES,
        "status_labels": STATUS_LABELS,
        "status_colours": STATUS_COLOURS,
        "group_labels": GROUP_LABELS,
        "level_labels": level_labels(framework),
    }


def _counts_panel(session: Session, round_: Round, statement_id: int, show_small: bool) -> dict:
    """The facilitator's own live figures for one statement (floored unless small groups are
    shown on this screen)."""
    perspectives = live_counts(session, round_.id, statement_id).get(statement_id, {})
    spread = room.facilitator_spread(perspectives, statement_id, show_small=show_small)
    return {
        "spread": spread,
        "divergence": divergence_of(spread),
        "answered": room.answered_count(perspectives),
    }


def facilitator_context(
    session: Session,
    round_: Round,
    access: TeamAccess,
    settings: Settings,
    *,
    statement_id: int | None = None,
    show_small: bool = False,
) -> dict[str, Any]:
    context = common(session, round_, access.team)
    statements = round_statements(session, round_)
    pos = room.position(session, round_, statements, statement_id or round_.current_statement_id)
    agreed = agreed_ratings(session, round_.id)
    live = round_.status == "open"
    current = agreed.get(pos.statement.id) if pos else None
    counts = _counts_panel(session, round_, pos.statement.id, show_small) if pos and live else {}
    context.update(
        page_title=f"{round_.title} – facilitator view",
        access=access,
        sections=sections_for_round(session, round_),
        agreed=agreed,
        pos=pos,
        live=live,
        show_small=show_small,
        small_q="?small=1" if show_small else "",
        spread=counts.get("spread"),
        divergence=counts.get("divergence"),
        answered=counts.get("answered", 0),
        joined=room.joined_count(session, round_.id),
        comments=room.visible_comments(session, round_.id, pos.statement.id)
        if pos and live
        else [],
        current_agreed=current,
        values=agree_values(current),
        errors={},
        level_options=level_options(context["framework"]),
        join=join_panel(settings, round_),
        agreed_count=len(agreed),
        open_actions=None,
    )
    return context


def live_context(session: Session, round_: Round, team: Team, settings: Settings) -> dict:
    """The projector: never a live spread, never a small group (docs/privacy.md)."""
    context = common(session, round_, team)
    statements = round_statements(session, round_)
    pos = room.position(session, round_, statements, round_.current_statement_id)
    live = round_.status == "open"
    context.update(
        page_title=f"{round_.title} – on the screen",
        pos=pos,
        live=live,
        screen=room.projector(session, round_, pos.statement.id) if pos and live else None,
        joined=room.joined_count(session, round_.id),
        comment=room.shown_comment(session, round_),
        join=join_panel(settings, round_),
    )
    return context
