"""What the room sees, and the facilitator's own live figures (docs/privacy.md).

- The projector never shows a live spread: only the exact number who joined and who
  answered the current statement (everyone, not by perspective), and — after "Show spread" —
  the frozen snapshot published by `service.publications.snapshot_spread`.
- The facilitator's control page and an open round's live results (the facilitators' own
  screens, the one exception) are computed live: floored per moment by default
  (`floor.safe_cells` on live counts, publication id `LIVE`), or — with "show small groups on
  this screen only" — every group unfloored. Nothing here is ever shown to anyone else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from app.core.floor import (
    ALL,
    Cell,
    Counts,
    HeadCount,
    Spread,
    combine,
    group_counts,
    head_count,
    safe_cells,
    spread_of,
)
from app.models import Participant, Rating, Round, Section, Statement
from app.rounds.queries.poll import RoomNow
from app.rounds.queries.publications import TOO_FEW_YET, snapshot_for_projector
from app.rounds.queries.summaries import live_counts

LIVE = 0  # the dummy publication id of figures worked out live for a facilitator's screen


@dataclass
class Position:
    statement: Statement
    section: Section
    index: int  # 1-based
    total: int
    previous_id: int | None
    next_id: int | None


def first_statement_id(session: Session, round_: Round) -> int | None:
    """The round's first statement (where the room starts when none is chosen yet)."""
    return session.exec(
        select(Statement.id)
        .where(Statement.framework_id == round_.framework_id)
        .order_by(Statement.position)
        .limit(1)
    ).first()


def position(
    session: Session, round_: Round, statements: list[Statement], statement_id: int | None
) -> Position | None:
    if not statements:
        return None
    ids = [s.id for s in statements]
    index = ids.index(statement_id) if statement_id in ids else 0
    statement = statements[index]
    return Position(
        statement=statement,
        section=session.get(Section, statement.section_id),
        index=index + 1,
        total=len(statements),
        previous_id=ids[index - 1] if index > 0 else None,
        next_id=ids[index + 1] if index + 1 < len(ids) else None,
    )


# --- the facilitator's own screen (open rounds) ---------------------------------------------


def private_spread(perspectives: Mapping[str, Counts], statement_id: int) -> Spread:
    """Every group, small ones included ("show small groups on this screen only")."""
    everyone = tuple(sorted(p for p, c in perspectives.items() if c.n))
    if not everyone:
        return Spread(None, {})
    total = Cell(LIVE, statement_id, ALL, everyone, combine(perspectives[p] for p in everyone))
    groups = {
        g: Cell(LIVE, statement_id, g, tuple(sorted(members)), counts)
        for g, (members, counts) in group_counts(perspectives).items()
    }
    return Spread(total, groups)


def facilitator_spread(
    perspectives: Mapping[str, Counts], statement_id: int, *, show_small: bool
) -> Spread:
    """One statement's live spread for a facilitator: floored unless small groups are on."""
    if show_small:
        return private_spread(perspectives, statement_id)
    return spread_of(safe_cells(perspectives, publication_id=LIVE, statement_id=statement_id))


def live_spreads(
    session: Session, round_id: int, statement_id: int | None = None, *, show_small: bool
) -> dict[int, Spread]:
    """{statement id: live spread} for a facilitator's screen."""
    counts = live_counts(session, round_id, statement_id)
    return {
        sid: facilitator_spread(perspectives, sid, show_small=show_small)
        for sid, perspectives in counts.items()
    }


def answered_count(perspectives: Mapping[str, Counts]) -> int:
    """How many answered (everyone, not by perspective: allowed in the room)."""
    return sum(c.n for c in perspectives.values())


def joined_by_perspective(session: Session, round_id: int) -> dict[str, int]:
    rows = session.exec(
        select(Participant.perspective, func.count())
        .where(Participant.round_id == round_id)
        .group_by(Participant.perspective)
    ).all()
    return {perspective: n for perspective, n in rows}


def live_heads(session: Session, round_id: int, *, show_small: bool) -> HeadCount:
    """Who took part so far, for a facilitator: floored unless small groups are on."""
    joined = joined_by_perspective(session, round_id)
    if not show_small:
        return head_count(joined)
    private = {
        g: counts.n
        for g, (_, counts) in group_counts({p: Counts(n=n) for p, n in joined.items()}).items()
    }
    return HeadCount(sum(joined.values()), private or None)


def joined_count(session: Session, round_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(Participant).where(Participant.round_id == round_id)
    ).one()


# --- the projector --------------------------------------------------------------------------


@dataclass(frozen=True)
class Projector:
    """What the shared screen shows for the current statement."""

    answered: int  # exact, everyone
    spread_shown: bool  # the facilitator pressed "Show spread"
    snapshot: Spread | None  # the frozen spread (None: too few answers to show it yet)
    too_few: str = TOO_FEW_YET


def answered_now(session: Session, round_id: int, statement_id: int) -> int:
    """How many have answered the statement so far (everyone: allowed in the room)."""
    return answered_count(live_counts(session, round_id, statement_id).get(statement_id, {}))


def projector(session: Session, round_: Round, statement_id: int) -> Projector:
    return Projector(
        answered=answered_now(session, round_.id, statement_id),
        spread_shown=round_.spread_shown,
        snapshot=snapshot_for_projector(session, round_),
    )


# --- comments -------------------------------------------------------------------------------


def visible_comments(session: Session, round_id: int, statement_id: int) -> list[Rating]:
    """Comments not hidden, oldest first (for the facilitator's own screen)."""
    return list(
        session.exec(
            select(Rating)
            .where(
                Rating.round_id == round_id,
                Rating.statement_id == statement_id,
                Rating.comment.is_not(None),
                Rating.comment != "",
                Rating.comment_hidden.is_(False),
            )
            .order_by(Rating.updated_at, Rating.id)
        ).all()
    )


def shown_comment(session: Session, round_: Round | RoomNow) -> str | None:
    """The comment the facilitator chose to put on the projector, if still allowed: its
    words only, never the perspective, nickname or level of whoever wrote it."""
    if round_.shown_comment_id is None or round_.status != "open":
        return None
    rating = session.get(Rating, round_.shown_comment_id)
    if (
        rating is None
        or rating.round_id != round_.id
        or rating.comment_hidden
        or rating.statement_id != round_.current_statement_id
    ):
        return None
    return rating.comment
