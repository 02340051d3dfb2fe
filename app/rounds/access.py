"""Loading a round for a request, with who may do what to it."""

from __future__ import annotations

from fastapi import HTTPException
from sqlmodel import Session

from app.models import Round, User
from app.security.access import TeamAccess, require_access


def load_round(session: Session, user: User | None, round_id: int) -> tuple[Round, TeamAccess]:
    """The round and the viewer's access to its team (404 if they may not see the team)."""
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise HTTPException(404)
    return round_, require_access(session, user, round_.team_id)


def facilitated_round(
    session: Session, user: User | None, round_id: int
) -> tuple[Round, TeamAccess]:
    """Only the team's facilitators (and admins) run a round."""
    round_, access = load_round(session, user, round_id)
    access.require_facilitator()
    return round_, access


def results_round(session: Session, user: User | None, round_id: int) -> tuple[Round, TeamAccess]:
    """Closed: everyone who may see the team. Open or not started: its facilitators only."""
    round_, access = load_round(session, user, round_id)
    if round_.status != "closed" and not access.is_facilitator:
        raise HTTPException(
            403,
            "The results are shown to everyone once the round closes. While it is open, only "
            "its facilitators can see them.",
        )
    return round_, access
