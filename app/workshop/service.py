"""Participants: joining a round by its code and saving ratings (idempotent upserts).

A participant has no account: a random token lives in a cookie and only its hash is stored
(Participant.token_hash). Every save is an INSERT … ON CONFLICT (participant_id,
statement_id) DO UPDATE, so a double tap, a retried post after bad Wi-Fi or "Save and
continue" re-sending a whole section never makes a second row and never fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, select

from app.models import Framework, Participant, Rating, Round, Section, Statement, utcnow
from app.models.base import PERSPECTIVE_LABELS
from app.security.tokens import hash_token, new_token

COMMENT_MAX = 500
ALIAS_MAX = 40
DONT_KNOW = "dk"


class RatingRefused(Exception):
    """A save that must not be written: a status code and a plain message."""

    def __init__(self, status: int, message: str, field: str = "level") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


NOT_FOUND = "We could not find an open workshop with that code. Check the code on the screen."
FINISHED = "This workshop has finished, so answers can no longer be changed. Thank you."
NOT_IN_ROUND = "That statement is not part of this workshop."
BAD_LEVEL = "Choose one of the answers shown."
LONG_COMMENT = f"Your comment must be {COMMENT_MAX} characters or fewer."
NO_ANSWER = "Choose an answer first, then your comment or mark can be saved."


# --- codes and rounds -------------------------------------------------------------------


def normalise_code(raw: str) -> str:
    """What people type: any case, spaces or dashes; the code itself is 6 letters/digits."""
    return re.sub(r"[\s\-]+", "", raw or "").upper()


def find_round_by_code(session: Session, code: str) -> Round | None:
    """The round with this join code, whatever its status (codes are never reused)."""
    code = normalise_code(code)
    if not code or len(code) > 6:
        return None
    return session.exec(select(Round).where(Round.join_code == code)).first()


def find_open_round(session: Session, code: str) -> Round | None:
    """A round people may join: only while its status is "open"."""
    found = find_round_by_code(session, code)
    return found if found is not None and found.status == "open" else None


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


# --- saving -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    statement_id: int
    level: int | None  # None: "don't know"
    matters_most: bool = False
    comment: str | None = None


def parse_answer(
    statement_id: int, level: str | None, matters_most: str | None, comment: str | None
) -> Answer | None:
    """Form values → an Answer; None when nothing was chosen (nothing to save).

    Raises RatingRefused for a level that is not a whole number or "dk", an over-long
    comment, or a comment/mark without an answer.
    """
    comment = (comment or "").replace("\r\n", "\n").strip() or None
    if comment is not None and len(comment) > COMMENT_MAX:
        raise RatingRefused(422, LONG_COMMENT, "comment")
    marked = matters_most not in (None, "", "0", "false", "off")
    level = (level or "").strip()
    if not level:
        if comment or marked:
            raise RatingRefused(422, NO_ANSWER, "level")
        return None
    if level == DONT_KNOW:
        value = None
    else:
        try:
            value = int(level)
        except ValueError:
            raise RatingRefused(422, BAD_LEVEL, "level") from None
    return Answer(statement_id, value, marked, comment)


def check_open(round: Round) -> None:
    if round.status == "closed":
        raise RatingRefused(410, FINISHED)
    if round.status != "open":
        raise RatingRefused(404, NOT_FOUND)


@dataclass(frozen=True)
class FrameworkFacts:
    """What a save checks against: the framework's statements and scale levels."""

    statement_ids: frozenset[int]
    levels: frozenset[int]

    @property
    def total(self) -> int:
        return len(self.statement_ids)


def framework_facts(
    session: Session, framework_id: int, cache: dict[int, FrameworkFacts] | None = None
) -> FrameworkFacts:
    """Read once per process when `cache` is given: a framework a round uses never changes
    (a changed file becomes a new version) and cannot be deleted while a round uses it."""
    if cache is not None and framework_id in cache:
        return cache[framework_id]
    ids = session.exec(select(Statement.id).where(Statement.framework_id == framework_id)).all()
    scale = session.exec(select(Framework.scale).where(Framework.id == framework_id)).one()
    facts = FrameworkFacts(frozenset(ids), frozenset(int(item["level"]) for item in scale))
    if cache is not None:
        cache[framework_id] = facts
    return facts


def _check_level(facts: FrameworkFacts, answer: Answer) -> None:
    if answer.level is not None and answer.level not in facts.levels:
        raise RatingRefused(422, BAD_LEVEL, "level")


def _upsert(session: Session, participant: Participant, answer: Answer) -> None:
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(Rating).values(
        round_id=participant.round_id,
        participant_id=participant.id,
        statement_id=answer.statement_id,
        level=answer.level,
        matters_most=answer.matters_most,
        comment=answer.comment,
        comment_hidden=False,
        updated_at=utcnow(),
    )
    # comment_hidden is left alone on update: a comment a facilitator hid stays hidden
    statement = statement.on_conflict_do_update(
        index_elements=["participant_id", "statement_id"],
        set_={
            "level": statement.excluded.level,
            "matters_most": statement.excluded.matters_most,
            "comment": statement.excluded.comment,
            "updated_at": statement.excluded.updated_at,
        },
    )
    session.execute(statement)


def save_rating(
    session: Session,
    *,
    participant: Participant,
    round: Round,
    statement_id: int,
    level: int | None,
    matters_most: bool = False,
    comment: str | None = None,
) -> None:
    """Save one answer (insert or update) and commit. Raises RatingRefused, writing nothing."""
    answer = Answer(statement_id, level, matters_most, (comment or "").strip() or None)
    save_answers(session, participant=participant, round=round, answers=[answer])


def save_answers(
    session: Session,
    *,
    participant: Participant,
    round: Round,
    answers: list[Answer],
    facts: FrameworkFacts | None = None,
    commit: bool = True,
) -> None:
    """Save several answers in one transaction: all of them or (on a refusal) none."""
    check_open(round)
    if participant.round_id != round.id:
        raise RatingRefused(403, "You are not taking part in this workshop.")
    if not answers:
        return
    facts = facts or framework_facts(session, round.framework_id)
    for answer in answers:
        if answer.statement_id not in facts.statement_ids:
            raise RatingRefused(404, NOT_IN_ROUND)
        if answer.comment is not None and len(answer.comment) > COMMENT_MAX:
            raise RatingRefused(422, LONG_COMMENT, "comment")
        _check_level(facts, answer)
    for answer in answers:
        _upsert(session, participant, answer)
    if commit:
        session.commit()


def save_section(
    session: Session,
    *,
    participant: Participant,
    round: Round,
    statements: list[Statement],
    form: dict[str, str],
) -> dict[int, dict[str, str]]:
    """Save every answered statement of one section from its form.

    Returns problems by statement id ({field: message}); when there are any, nothing is
    written. Fields are named level-<id>, matters_most-<id>, comment-<id>.
    """
    check_open(round)
    problems: dict[int, dict[str, str]] = {}
    answers: list[Answer] = []
    facts = framework_facts(session, round.framework_id)
    for statement in statements:
        sid = statement.id
        try:
            answer = parse_answer(
                sid,
                form.get(f"level-{sid}"),
                form.get(f"matters_most-{sid}"),
                form.get(f"comment-{sid}"),
            )
            if answer is not None:
                _check_level(facts, answer)
                answers.append(answer)
        except RatingRefused as refused:
            problems[sid] = {refused.field: refused.message}
    if problems:
        return problems
    save_answers(session, participant=participant, round=round, answers=answers, facts=facts)
    return {}
