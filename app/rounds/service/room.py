"""What the room sees: the current statement, the spread on the projector, and comments."""

from __future__ import annotations

from sqlmodel import Session

from app import audit
from app.core.refused import Refused
from app.models import Rating, Round, Statement, User
from app.rounds.service.publications import snapshot_spread

NOT_OPEN = "This round is not open."


def _require_open(round_: Round) -> None:
    if round_.status != "open":
        raise Refused(NOT_OPEN, status=409)


def set_current_statement(session: Session, round_: Round, statement: Statement) -> Round:
    """Move the room to another statement: its spread starts hidden again."""
    if statement.framework_id != round_.framework_id:
        raise Refused("That statement is not in this round.", status=404)
    if round_.current_statement_id != statement.id:
        round_.current_statement_id = statement.id
        round_.spread_shown = False
        round_.snapshot_id = None
        round_.shown_comment_id = None
        session.add(round_)
        session.flush()
    return round_


def show_spread(session: Session, round_: Round) -> Round:
    """Freeze the current statement's spread for the projector (a publication, checked
    like a re-close; too few answers and the projector says so)."""
    _require_open(round_)
    if round_.current_statement_id is None:
        raise Refused("Choose a statement first.", status=409)
    snapshot_spread(session, round_, round_.current_statement_id)
    session.flush()
    return round_


def hide_spread(session: Session, round_: Round) -> Round:
    round_.spread_shown = False
    round_.snapshot_id = None
    session.add(round_)
    session.flush()
    return round_


def _comment_rating(session: Session, round_: Round, rating_id: int) -> Rating:
    rating = session.get(Rating, rating_id)
    if rating is None or rating.round_id != round_.id or not rating.comment:
        raise Refused("That comment was not found.", status=409)
    return rating


def show_comment(session: Session, round_: Round, rating_id: int | None) -> Round:
    """Put one comment on the projector (None takes it off)."""
    if rating_id is not None:
        _require_open(round_)
        rating = _comment_rating(session, round_, rating_id)
        if rating.comment_hidden:
            raise Refused("That comment was hidden, so it cannot be shown.", status=409)
    round_.shown_comment_id = rating_id
    session.add(round_)
    session.flush()
    return round_


def hide_comment(
    session: Session, round_: Round, rating_id: int, *, actor: User | None = None
) -> Rating:
    """Hide a comment for good: it appears nowhere again (audited, the text not logged)."""
    rating = _comment_rating(session, round_, rating_id)
    if not rating.comment_hidden:
        rating.comment_hidden = True
        session.add(rating)
        if round_.shown_comment_id == rating.id:
            round_.shown_comment_id = None
            session.add(round_)
        statement = session.get(Statement, rating.statement_id)
        audit.record(
            session,
            verb="comment.hidden",
            entity="rating",
            entity_id=rating.id,
            actor=actor,
            team_id=round_.team_id,
            detail={"round_id": round_.id, "statement": statement.code if statement else ""},
        )
        session.flush()
    return rating
