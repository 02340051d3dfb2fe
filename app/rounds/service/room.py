"""What the room sees: the current statement, the spread on the projector, and comments."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from app import audit
from app.core.i18n import N_
from app.core.refused import Refused
from app.models import Rating, Round, Statement, User
from app.rounds.queries.rounds import MODES, round_statements
from app.rounds.service.publications import snapshot_spread

NOT_OPEN = N_("This round is not open.")
# One UPDATE in the caller's transaction: every screen polling with the old number redraws.
BUMP_SQL = text("UPDATE round SET room_version = room_version + 1 WHERE id = :round_id")


def bump_room_version(session: Session, round_: Round | int, *, screen: bool = True) -> None:
    """Something the room's screens show has changed. With `screen` (the default) it is what
    the shared screen shows beyond its counts (a move, show/hide, a comment, agreement, the
    mode or status): both numbers go up and every screen redraws. With screen=False only the
    counts changed (a join, an answer, a comment typed on a phone): room_version alone, so
    the projector is answered with its counts. A Round in the session is bumped in the same
    UPDATE as its other changes (its new numbers are read again when next used); a bare id
    is one UPDATE of room_version, for the phones' lean save path (call it only when the
    counts change: a first answer to a statement, a new or changed comment, a join)."""
    if isinstance(round_, Round):
        round_.room_version = Round.room_version + 1
        if screen:
            round_.screen_version = Round.screen_version + 1
        session.add(round_)
        session.flush()
    else:
        session.execute(BUMP_SQL, {"round_id": round_})


def change_mode(session: Session, round_: Round, mode: str, *, actor: User | None = None) -> Round:
    """Led, own pace or group, while the round is not closed (audited)."""
    if mode not in MODES:
        raise Refused(N_("Choose how people will rate."), status=422, field="mode")
    if round_.status == "closed":
        raise Refused(
            N_("This round is closed, so how people rate can no longer change."), status=409
        )
    if round_.mode != mode:
        before, round_.mode = round_.mode, mode
        audit.record(
            session,
            verb="round.mode_changed",
            entity="round",
            entity_id=round_.id,
            actor=actor,
            team_id=round_.team_id,
            detail={"from": before, "to": mode},
        )
        bump_room_version(session, round_)
    return round_


def _require_open(round_: Round) -> None:
    if round_.status != "open":
        raise Refused(NOT_OPEN, status=409)


def set_current_statement(session: Session, round_: Round, statement: Statement) -> Round:
    """Move the room to another statement: its spread starts hidden again."""
    if statement.framework_id != round_.framework_id:
        raise Refused(N_("That statement is not in this round."), status=404)
    if round_.current_statement_id != statement.id:
        round_.current_statement_id = statement.id
        round_.spread_shown = False
        round_.snapshot_id = None
        round_.shown_comment_id = None
        bump_room_version(session, round_)
    return round_


def next_statement(session: Session, round_: Round, statement: Statement) -> Statement | None:
    """The statement after this one in the round's framework (None: it was the last)."""
    statements = round_statements(session, round_)
    ids = [s.id for s in statements]
    if statement.id not in ids or ids.index(statement.id) + 1 >= len(ids):
        return None
    return statements[ids.index(statement.id) + 1]


def show_spread(session: Session, round_: Round) -> Round:
    """Freeze the current statement's spread for the projector (a publication, checked
    like a re-close; too few answers and the projector says so)."""
    _require_open(round_)
    if round_.current_statement_id is None:
        raise Refused(N_("Choose a statement first."), status=409)
    snapshot_spread(session, round_, round_.current_statement_id)
    bump_room_version(session, round_)
    return round_


def hide_spread(session: Session, round_: Round) -> Round:
    round_.spread_shown = False
    round_.snapshot_id = None
    bump_room_version(session, round_)
    return round_


def _comment_rating(session: Session, round_: Round, rating_id: int) -> Rating:
    rating = session.get(Rating, rating_id)
    if rating is None or rating.round_id != round_.id or not rating.comment:
        raise Refused(N_("That comment was not found."), status=409)
    return rating


def show_comment(session: Session, round_: Round, rating_id: int | None) -> Round:
    """Put one comment on the projector (None takes it off)."""
    if rating_id is not None:
        _require_open(round_)
        rating = _comment_rating(session, round_, rating_id)
        if rating.comment_hidden:
            raise Refused(N_("That comment was hidden, so it cannot be shown."), status=409)
    round_.shown_comment_id = rating_id
    bump_room_version(session, round_)
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
        bump_room_version(session, round_)
    return rating
