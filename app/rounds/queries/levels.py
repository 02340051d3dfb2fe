"""Agreed levels of a round, per statement and per section, and the round before it:
shared with plans, teams and compare (agreed ratings need no floor)."""

from __future__ import annotations

from sqlalchemy import and_
from sqlmodel import Session, select

from app.core.levels import SectionLevel, section_level
from app.models import AgreedRating, Framework, Round, Section, Statement


def statement_levels(session: Session, round_id: int) -> dict[str, int | None]:
    """{statement code: agreed level} for every statement of the round's framework
    (None: "don't know" or not agreed)."""
    round_ = session.get(Round, round_id)
    if round_ is None:
        return {}
    rows = session.exec(
        select(Statement.code, AgreedRating.level)
        .select_from(Statement)
        .outerjoin(
            AgreedRating,
            and_(AgreedRating.statement_id == Statement.id, AgreedRating.round_id == round_id),
        )
        .where(Statement.framework_id == round_.framework_id)
        .order_by(Statement.position)
    ).all()
    return {code: level for code, level in rows}


def section_levels(session: Session, round_id: int) -> dict[str, SectionLevel]:
    """{section code: SectionLevel} (mean of agreed levels, "don't know" left out)."""
    round_ = session.get(Round, round_id)
    if round_ is None:
        return {}
    rows = session.exec(
        select(Section.code, AgreedRating.level)
        .select_from(Statement)
        .join(Section, Section.id == Statement.section_id)
        .outerjoin(
            AgreedRating,
            and_(AgreedRating.statement_id == Statement.id, AgreedRating.round_id == round_id),
        )
        .where(Statement.framework_id == round_.framework_id)
        .order_by(Section.position, Statement.position)
    ).all()
    levels: dict[str, list[int | None]] = {}
    for code, level in rows:
        levels.setdefault(code, []).append(level)
    return {code: section_level(values) for code, values in levels.items()}


def previous_round(session: Session, round_: Round) -> Round | None:
    """The team's closed round before this one on the same framework key (any version)."""
    key = session.get(Framework, round_.framework_id).key
    candidates = session.exec(
        select(Round)
        .join(Framework, Framework.id == Round.framework_id)
        .where(
            Round.team_id == round_.team_id,
            Round.status == "closed",
            Round.id != round_.id,
            Framework.key == key,
            Round.held_on <= round_.held_on,
        )
        .order_by(Round.held_on.desc(), Round.id.desc())
    ).all()
    for candidate in candidates:
        if candidate.held_on < round_.held_on or candidate.id < round_.id:
            return candidate
    return None
