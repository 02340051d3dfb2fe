"""Saving ratings: idempotent upserts, one statement (the fast path) or a whole section.

Every save is an INSERT … ON CONFLICT (participant_id, statement_id) DO UPDATE, so a double
tap, a retried post after bad Wi-Fi or "Save and continue" re-sending a whole section never
makes a second row and never fails. A refused save writes nothing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import Boolean, Integer, bindparam, case, or_, text
from sqlmodel import Session, select

from app.models import Framework, Participant, Rating, Round, Statement, utcnow
from app.security.tokens import hash_token
from app.workshop.codes import (
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
    normalise_code,
)


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


# on a repeat: comment_hidden is left alone (a comment a facilitator hid stays hidden)
_UPDATED = ("level", "matters_most", "comment", "updated_at")


def _insert_for(session: Session):
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _upsert(session: Session, participant: Participant, answer: Answer) -> None:
    insert = _insert_for(session)
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
    changed = or_(
        Rating.level.is_distinct_from(statement.excluded.level),
        Rating.matters_most != statement.excluded.matters_most,
    )
    statement = statement.on_conflict_do_update(
        index_elements=["participant_id", "statement_id"],
        set_={
            **{name: statement.excluded[name] for name in _UPDATED},
            # a changed answer is a new version of it (the disclosure check counts versions)
            "revision": case((changed, Rating.revision + 1), else_=Rating.revision),
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


# --- the fast path: one statement from a phone -------------------------------------------

# On SQLite one write happens at a time anyway: saves queue on this lock in the process
# (woken at once) rather than in SQLite's busy handler (which sleeps and polls).
_SQLITE_SAVES = threading.Lock()


def open_round_facts(session: Session, code: str, cache: dict) -> FrameworkFacts | None:
    """The framework facts of the open round with this code (cached per process), or None.

    Only what never changes is cached (a round's framework); whether the round is still
    open is checked by the save itself.
    """
    key = ("code", normalise_code(code))
    if key in cache:
        return cache[key]
    found = find_open_round(session, key[1])
    facts = None if found is None else framework_facts(session, found.framework_id, cache)
    # end this read now: on SQLite it holds the write lock, and the save that follows
    # queues for that lock (see save_by_token)
    session.commit()
    if facts is not None:
        cache[key] = facts
    return facts


def check_answer(facts: FrameworkFacts, answer: Answer) -> None:
    if answer.statement_id not in facts.statement_ids:
        raise RatingRefused(404, NOT_IN_ROUND)
    _check_level(facts, answer)


# The hot path as one prepared text statement: it runs on SQLite and PostgreSQL alike, and
# skips building (and cache-keying) an expression per save, which was most of its CPU time.
_SAVE_BY_TOKEN = text(
    """
    INSERT INTO rating (round_id, participant_id, statement_id, level, matters_most, comment,
                        comment_hidden, updated_at)
    SELECT p.round_id, p.id, :statement_id, CAST(:level AS INTEGER), :matters_most,
           CAST(:comment AS VARCHAR(500)), :hidden, :now
    FROM participant AS p JOIN "round" AS r ON r.id = p.round_id
    WHERE p.token_hash = :token_hash AND r.join_code = :code AND r.status = 'open'
    ON CONFLICT (participant_id, statement_id) DO UPDATE SET
        level = excluded.level, matters_most = excluded.matters_most,
        comment = excluded.comment, updated_at = excluded.updated_at,
        revision = CASE
            WHEN (rating.level = excluded.level
                  OR (rating.level IS NULL AND excluded.level IS NULL))
                 AND rating.matters_most = excluded.matters_most
            THEN rating.revision ELSE rating.revision + 1 END
    RETURNING participant_id
    """
).bindparams(
    bindparam("statement_id", type_=Integer),
    bindparam("matters_most", type_=Boolean),
    bindparam("hidden", type_=Boolean),
    bindparam("now", type_=Rating.__table__.c.updated_at.type),
)
_ANSWERED = text("SELECT count(*) FROM rating WHERE participant_id = :participant_id")


def save_by_token(session: Session, *, code: str, token: str, answer: Answer) -> int | None:
    """Upsert one answer for the phone holding `token`, only while the round is open, in one
    INSERT … SELECT … ON CONFLICT DO UPDATE (a hidden comment stays hidden); commit.

    Returns how many statements this participant has answered, or None when nothing was
    written (an unknown phone, or the round is not open: the caller finds out which).
    """
    params = {
        "statement_id": answer.statement_id,
        "level": answer.level,
        "matters_most": answer.matters_most,
        "comment": answer.comment,
        "hidden": False,
        "now": utcnow(),
        "token_hash": hash_token(token),
        "code": normalise_code(code),
    }
    # Queue in the process first, then take the database's lock: never the other way round
    # (a session already in a transaction holds SQLite's lock, so it must not queue here).
    sqlite = session.get_bind().dialect.name == "sqlite" and not session.in_transaction()
    if sqlite:
        _SQLITE_SAVES.acquire()
    try:
        participant_id = session.execute(_SAVE_BY_TOKEN, params).scalar()
        if participant_id is None:
            session.rollback()
            return None
        answered = session.execute(_ANSWERED, {"participant_id": participant_id}).scalar_one()
        session.commit()
        return answered
    except BaseException:
        session.rollback()
        raise
    finally:
        if sqlite:
            _SQLITE_SAVES.release()


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
