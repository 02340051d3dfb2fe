"""Rounds: create, open, close, reopen, and what the room sees (statement, spread, comments).

Each verb commits its own change with its audit event. Other domains call:

    from app.rounds import service as rounds_service
    rounds_service.find_open_round_by_code(session, code)
    rounds_service.round_statements(session, round_)
    rounds_service.sections_for_round(session, round_)
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app import audit
from app.frameworks.service import latest_for_key, sections_with_statements
from app.models import Framework, Rating, Round, Section, Statement, Team, User, utcnow
from app.rounds import publications
from app.rounds.agreed import StaleEdit, record_agreed_rating  # noqa: F401  (a verb of rounds)
from app.rounds.joining import new_join_code, normalise_code
from app.rounds.summaries import delete_summaries, write_summaries

MODES = {"phones": "Everyone rates on their phones", "group": "The group agrees together"}
STATUS_LABELS = {"draft": "Not started", "open": "Open", "closed": "Closed"}


class RoundRefused(Exception):
    """A change the round's state does not allow; `message` is plain words for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- finding rounds and their statements ---------------------------------------------------


def find_open_round_by_code(session: Session, code: str) -> Round | None:
    """The open round with this join code (as typed: case, spaces and dashes forgiven).

    A draft or closed round's code does not work, nor does a group-only round's."""
    code = normalise_code(code)
    if not code:
        return None
    return session.exec(
        select(Round).where(Round.join_code == code, Round.status == "open", Round.mode == "phones")
    ).first()


def round_statements(session: Session, round_: Round) -> list[Statement]:
    """The round's statements in framework order."""
    return framework_statements(session, round_.framework_id)


def framework_statements(session: Session, framework_id: int) -> list[Statement]:
    return list(
        session.exec(
            select(Statement)
            .where(Statement.framework_id == framework_id)
            .order_by(Statement.position)
        ).all()
    )


def sections_for_round(session: Session, round_: Round) -> list[tuple[Section, list[Statement]]]:
    """[(section, [statements])] in framework order."""
    return sections_with_statements(session, round_.framework_id)


def statement_in_round(session: Session, round_: Round, statement_id: int) -> Statement | None:
    statement = session.get(Statement, statement_id)
    if statement is None or statement.framework_id != round_.framework_id:
        return None
    return statement


def team_rounds(session: Session, team_id: int) -> list[Round]:
    """A team's rounds, newest first."""
    return list(
        session.exec(
            select(Round)
            .where(Round.team_id == team_id)
            .order_by(Round.held_on.desc(), Round.id.desc())
        ).all()
    )


def default_framework(session: Session, team: Team) -> Framework | None:
    if team.default_framework_key:
        return latest_for_key(session, team.default_framework_key)
    return None


# --- the round's life: draft → open → closed (→ open again) -------------------------------


def create_round(
    session: Session,
    *,
    team: Team,
    framework: Framework,
    title: str,
    held_on: date,
    mode: str = "phones",
    actor: User | None = None,
) -> Round:
    """A draft round with a join code no other round has ever had (unique + retry)."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    for _attempt in range(50):
        code = new_join_code()
        if session.exec(select(Round.id).where(Round.join_code == code)).first():
            continue
        round_ = Round(
            team_id=team.id,
            framework_id=framework.id,
            title=title.strip(),
            held_on=held_on,
            mode=mode,
            join_code=code,
            created_by_user_id=actor.id if actor else None,
        )
        try:
            with session.begin_nested():
                session.add(round_)
                session.flush()
        except IntegrityError:
            if session.exec(select(Round.id).where(Round.join_code == code)).first():
                continue  # taken between our look and our insert: try another
            raise
        audit.record(
            session,
            verb="round.created",
            entity="round",
            entity_id=round_.id,
            actor=actor,
            team_id=team.id,
            detail={"title": round_.title, "framework": f"{framework.key} {framework.version}"},
        )
        session.commit()
        return round_
    raise RuntimeError("could not find a free join code")


def _log(session: Session, round_: Round, verb: str, actor: User | None, **detail) -> None:
    audit.record(
        session,
        verb=verb,
        entity="round",
        entity_id=round_.id,
        actor=actor,
        team_id=round_.team_id,
        detail=detail or None,
    )


def open_round(
    session: Session, round_: Round, *, actor: User | None = None, now: datetime | None = None
) -> Round:
    if round_.status == "open":
        return round_
    if round_.status != "draft":
        raise RoundRefused("Only a round that has not started can be opened. Reopen it instead.")
    round_.status = "open"
    round_.opened_at = now or utcnow()
    if round_.current_statement_id is None:
        first = round_statements(session, round_)
        round_.current_statement_id = first[0].id if first else None
    session.add(round_)
    _log(session, round_, "round.opened", actor)
    session.commit()
    return round_


def close_round(
    session: Session, round_: Round, *, actor: User | None = None, now: datetime | None = None
) -> Round:
    """Freeze ratings and agreed ratings and write the summaries, in one transaction."""
    if round_.status == "closed":
        return round_
    if round_.status != "open":
        raise RoundRefused("This round has not started yet, so there is nothing to close.")
    round_.status = "closed"
    round_.closed_at = now or utcnow()
    round_.spread_shown = False
    round_.snapshot_id = None
    round_.shown_comment_id = None
    session.add(round_)
    session.flush()
    written = write_summaries(session, round_.id)
    ids = [s.id for s in framework_statements(session, round_.framework_id)]
    outcome = publications.publish_close(session, round_, ids)
    _log(
        session,
        round_,
        "round.closed",
        actor,
        summaries=written,
        publication=outcome.publication.id,
        kept=outcome.kept,
    )
    session.commit()
    return round_


def reopen_round(
    session: Session, round_: Round, *, actor: User | None = None, now: datetime | None = None
) -> Round:
    """Open a closed round again; its summaries go (rewritten when it closes again)."""
    if round_.status != "closed":
        raise RoundRefused("Only a closed round can be reopened.")
    if round_.purged_at is not None:
        raise RoundRefused(
            "This round cannot be reopened: its individual ratings were removed for privacy, "
            "so only its summary figures are kept."
        )
    round_.status = "open"
    round_.closed_at = None
    session.add(round_)
    delete_summaries(session, round_.id)
    _log(session, round_, "round.reopened", actor)
    session.commit()
    return round_


# --- what the room sees -------------------------------------------------------------------


def _require_open(round_: Round) -> None:
    if round_.status != "open":
        raise RoundRefused("This round is not open.")


def set_current_statement(session: Session, round_: Round, statement: Statement) -> Round:
    """Move the room to another statement: its spread starts hidden again."""
    if statement.framework_id != round_.framework_id:
        raise RoundRefused("That statement is not in this round.")
    if round_.current_statement_id != statement.id:
        round_.current_statement_id = statement.id
        round_.spread_shown = False
        round_.snapshot_id = None
        round_.shown_comment_id = None
        session.add(round_)
        session.commit()
    return round_


def show_spread(session: Session, round_: Round) -> Round:
    """Freeze the current statement's spread for the projector (a publication, checked
    like a re-close; too few answers and the projector says so)."""
    _require_open(round_)
    if round_.current_statement_id is None:
        raise RoundRefused("Choose a statement first.")
    publications.snapshot_spread(session, round_, round_.current_statement_id)
    session.commit()
    return round_


def hide_spread(session: Session, round_: Round) -> Round:
    round_.spread_shown = False
    round_.snapshot_id = None
    session.add(round_)
    session.commit()
    return round_


def _comment_rating(session: Session, round_: Round, rating_id: int) -> Rating:
    rating = session.get(Rating, rating_id)
    if rating is None or rating.round_id != round_.id or not rating.comment:
        raise RoundRefused("That comment was not found.")
    return rating


def show_comment(session: Session, round_: Round, rating_id: int | None) -> Round:
    """Put one comment on the projector (None takes it off)."""
    if rating_id is not None:
        _require_open(round_)
        rating = _comment_rating(session, round_, rating_id)
        if rating.comment_hidden:
            raise RoundRefused("That comment was hidden, so it cannot be shown.")
    round_.shown_comment_id = rating_id
    session.add(round_)
    session.commit()
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
        session.commit()
    return rating


def hide_comment_from_screen(session: Session, round_: Round) -> Round:
    return show_comment(session, round_, None)
