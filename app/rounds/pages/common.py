"""What every rounds page shows of its round: labels, levels, the join panel."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.config import Settings
from app.core.codes import join_address, join_qr
from app.core.floor import GROUP_LABELS
from app.core.i18n import gettext_in
from app.models import AgreedRating, Framework, Round, Team
from app.rounds.queries.rounds import MODES, STATUS_LABELS
from app.web import language_of


def page_title(request, message: str, **values: Any) -> str:
    """A page title with a name in it, in the page's language (a plain title can be an N_()
    constant: base.html translates it)."""
    return gettext_in(language_of(request), message) % values


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


def join_panel(settings: Settings, round_: Round, *, qr: bool = True) -> dict[str, Any]:
    """The join code and address; the QR code (built once per code) only where shown."""
    return {
        "code": round_.join_code,
        "address": join_address(settings.public_url),
        "qr": join_qr(settings.public_url, round_.join_code) if qr else None,
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


def small_query(show_small: bool) -> str:
    return "?small=1" if show_small else ""


def facilitator_url(round_: Round, show_small: bool, anchor: str = "") -> str:
    """Back to the facilitator's page, keeping this screen's small-groups choice."""
    return f"/rounds/{round_.id}{small_query(show_small)}{anchor}"
