"""What the room sees for the statement under discussion: live counts (no floor: this is the
one place small groups may be seen, and only while the round is open), comments, position."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, select

from app.models import Participant, Rating, Round, Section, Statement
from app.rounds.figures import (
    GROUP_LABELS,
    Counts,
    Divergence,
    by_group,
    combine,
    divergence,
)
from app.rounds.summaries import live_counts


@dataclass
class Position:
    statement: Statement
    section: Section
    index: int  # 1-based
    total: int
    previous_id: int | None
    next_id: int | None


@dataclass
class Spread:
    """Live counts for one statement, by perspective and by shown group."""

    perspectives: dict[str, Counts]
    groups: dict[str, Counts]
    total: Counts
    divergence: Divergence
    labels: dict[str, str] = field(default_factory=lambda: GROUP_LABELS)

    @property
    def side_by_side(self) -> list[tuple[str, Counts]]:
        return [(g, self.groups.get(g, Counts())) for g in ("staff_side", "service_user")]

    @property
    def separately(self) -> list[tuple[str, Counts]]:
        return [(g, self.groups[g]) for g in ("carer", "community") if g in self.groups]


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


def live_spread(session: Session, round_id: int, statement_id: int) -> Spread:
    perspectives = live_counts(session, round_id, statement_id).get(statement_id, {})
    return Spread(
        perspectives=perspectives,
        groups=by_group(perspectives),
        total=combine(perspectives.values()),
        divergence=divergence(perspectives),
    )


def joined_count(session: Session, round_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(Participant).where(Participant.round_id == round_id)
    ).one()


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


def shown_comment(session: Session, round_: Round) -> str | None:
    """The comment the facilitator chose to put on the projector, if still allowed."""
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
