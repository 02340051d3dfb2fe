"""Participants: joining a round by its code, who they are, and the pages' layout.

A participant has no account: a random token lives in a cookie and only its hash is stored
(Participant.token_hash). Saving lives in app.workshop.saving and is re-exported here, so
other code calls `service.save_rating(...)`, `service.save_section(...)` and so on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, select

from app.models import Framework, Participant, Rating, Round, Section, Statement
from app.models.base import PERSPECTIVE_LABELS
from app.security.tokens import hash_token, new_token
from app.workshop.codes import (  # noqa: F401 (re-exported)
    ALIAS_MAX,
    BAD_LEVEL,
    COMMENT_MAX,
    DONT_KNOW,
    FINISHED,
    LONG_COMMENT,
    NO_ANSWER,
    NOT_FOUND,
    NOT_IN_ROUND,
    RatingRefused,
    find_open_round,
    find_round_by_code,
    normalise_code,
)
from app.workshop.saving import (  # noqa: F401 (re-exported)
    Answer,
    FrameworkFacts,
    check_answer,
    check_open,
    framework_facts,
    open_round_facts,
    parse_answer,
    save_answers,
    save_by_token,
    save_rating,
    save_section,
)


def release(session: Session) -> None:
    """End the transaction before rendering a page (on SQLite every transaction holds the
    write lock until it ends). Rows already loaded stay readable; nothing lazy-loads later."""
    session.close()


# --- participants -----------------------------------------------------------------------


def join_round(
    session: Session, round: Round, perspective: str, alias: str | None
) -> tuple[Participant, str]:
    """A new participant for an open round. Returns it and the token for the cookie."""
    if round.status != "open":
        raise RatingRefused(410, FINISHED, "perspective")
    if perspective not in PERSPECTIVE_LABELS:
        raise RatingRefused(422, "Choose the group that fits you best.", "perspective")
    alias = (alias or "").strip() or None
    if alias is not None and len(alias) > ALIAS_MAX:
        raise RatingRefused(422, f"Your nickname must be {ALIAS_MAX} characters or fewer.", "alias")
    token = new_token()
    participant = Participant(
        round_id=round.id,
        token_hash=hash_token(token),
        perspective=perspective,
        alias=alias,
        source="phone",
    )
    session.add(participant)
    session.commit()
    return participant, token


def find_participant(session: Session, round: Round, token: str | None) -> Participant | None:
    if not token:
        return None
    return session.exec(
        select(Participant).where(
            Participant.round_id == round.id, Participant.token_hash == hash_token(token)
        )
    ).first()


def find_by_code_and_token(
    session: Session, code: str, token: str | None
) -> tuple[Round, Participant] | None:
    """The hot path: round and participant in one query."""
    if not token:
        return None
    row = session.exec(
        select(Round, Participant)
        .join(Participant, Participant.round_id == Round.id)
        .where(Round.join_code == normalise_code(code))
        .where(Participant.token_hash == hash_token(token))
    ).first()
    return (row[0], row[1]) if row else None


# --- the framework, laid out for the pages ----------------------------------------------


@dataclass
class Layout:
    framework: Framework
    sections: list[Section]
    statements: dict[int, list[Statement]] = field(default_factory=dict)  # by section id

    @property
    def total(self) -> int:
        return sum(len(items) for items in self.statements.values())

    @property
    def scale(self) -> list[dict]:
        return sorted(self.framework.scale, key=lambda item: item["level"])

    def section(self, number: int) -> Section | None:
        return self.sections[number - 1] if 1 <= number <= len(self.sections) else None


def round_layout(session: Session, round: Round) -> Layout:
    framework = session.get(Framework, round.framework_id)
    sections = list(
        session.exec(
            select(Section)
            .where(Section.framework_id == round.framework_id)
            .order_by(Section.position, Section.id)
        ).all()
    )
    layout = Layout(framework=framework, sections=sections)
    statements = session.exec(
        select(Statement)
        .where(Statement.framework_id == round.framework_id)
        .order_by(Statement.position, Statement.id)
    ).all()
    for section in sections:
        layout.statements[section.id] = []
    for statement in statements:
        layout.statements.setdefault(statement.section_id, []).append(statement)
    return layout


def ratings_of(session: Session, participant: Participant) -> dict[int, Rating]:
    rows = session.exec(select(Rating).where(Rating.participant_id == participant.id)).all()
    return {row.statement_id: row for row in rows}


def answered_count(session: Session, participant: Participant) -> int:
    return session.exec(
        select(func.count()).select_from(Rating).where(Rating.participant_id == participant.id)
    ).one()
