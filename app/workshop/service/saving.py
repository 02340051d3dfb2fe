"""Saving ratings: idempotent upserts, one statement or a whole section (the one-tap fast
path is app.workshop.service.fast).

Every save is an INSERT … ON CONFLICT (participant_id, statement_id) DO UPDATE, so a double
tap, a retried post after bad Wi-Fi or "Save and continue" re-sending a whole section never
makes a second row and never fails. A refused save writes nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, or_
from sqlmodel import Session

from app.core.i18n import N_
from app.core.refused import Refused
from app.models import Participant, Rating, Round, Statement, utcnow
from app.rounds.service import bump_room_version
from app.workshop.forms import BAD_LEVEL, COMMENT_MAX, LONG_COMMENT, Answer, parse_answer
from app.workshop.queries import (
    FINISHED,
    NOT_FOUND,
    NOT_IN_ROUND,
    PHONE_MODES,
    FrameworkFacts,
    framework_facts,
    joinable,
)


def check_open(round: Round) -> None:
    """Answers are saved only to a round people may rate (app.workshop.queries.joinable)."""
    if round.status == "closed" and round.mode in PHONE_MODES:
        raise Refused(FINISHED, status=410)
    if not joinable(round):
        raise Refused(NOT_FOUND, status=404)


def answer_refusal(facts: FrameworkFacts, answer: Answer) -> Refused | None:
    """Why this answer cannot be saved to a round with these facts (None: it can)."""
    if answer.statement_id not in facts.statement_ids:
        return Refused(NOT_IN_ROUND, status=404)
    if answer.level is not None and answer.level not in facts.levels:
        return Refused(BAD_LEVEL, status=422, field="level")
    if answer.comment is not None and len(answer.comment) > COMMENT_MAX:
        return Refused(LONG_COMMENT, status=422, field="comment")
    return None


def check_answer(facts: FrameworkFacts, answer: Answer) -> None:
    refused = answer_refusal(facts, answer)
    if refused is not None:
        raise refused


# on a repeat: comment_hidden is left alone (a comment a facilitator hid stays hidden)
_UPDATED = ("level", "matters_most", "comment")


def _insert_for(session: Session):
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _upsert(session: Session, participant: Participant, answer: Answer, now: datetime) -> bool:
    """True when the answer is new or what the room sees of it changed (its updated_at moves
    only then, as on the fast path); a plain re-save, or an older one, is False."""
    insert = _insert_for(session)
    statement = insert(Rating).values(
        round_id=participant.round_id,
        participant_id=participant.id,
        statement_id=answer.statement_id,
        level=answer.level,
        matters_most=answer.matters_most,
        comment=answer.comment,
        comment_hidden=False,
        seq=answer.seq,
        updated_at=now,
    )
    changed = or_(
        Rating.level.is_distinct_from(statement.excluded.level),
        Rating.matters_most != statement.excluded.matters_most,
    )
    seen = or_(changed, Rating.comment.is_distinct_from(statement.excluded.comment))
    statement = statement.on_conflict_do_update(
        index_elements=["participant_id", "statement_id"],
        set_={
            **{name: statement.excluded[name] for name in _UPDATED},
            "updated_at": case((seen, statement.excluded.updated_at), else_=Rating.updated_at),
            # a changed answer is a new version of it (the disclosure check counts versions)
            "revision": case((changed, Rating.revision + 1), else_=Rating.revision),
            "seq": case((statement.excluded.seq == 0, Rating.seq), else_=statement.excluded.seq),
        },
        # the newer answer is kept: an old retry or a second tab changes nothing
        where=or_(statement.excluded.seq == 0, Rating.seq < statement.excluded.seq),
    )
    returned = session.execute(statement.returning(Rating.updated_at)).scalar()
    return returned == now


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
    """Save one answer (insert or update) and commit: the one-tap save, which keeps its own
    commit. Raises Refused, writing nothing."""
    answer = Answer(statement_id, level, matters_most, (comment or "").strip() or None)
    save_answers(session, participant=participant, round=round, answers=[answer])
    session.commit()


def save_answers(
    session: Session,
    *,
    participant: Participant,
    round: Round,
    answers: list[Answer],
    facts: FrameworkFacts | None = None,
) -> None:
    """Save several answers together: all of them or (on a refusal) none (flushed). A new
    or changed answer bumps the round's room_version (the facilitator's screen redraws)."""
    check_open(round)
    if participant.round_id != round.id:
        raise Refused(N_("You are not taking part in this workshop."), status=403)
    if not answers:
        return
    facts = facts or framework_facts(session, round.framework_id)
    for answer in answers:
        check_answer(facts, answer)
    now = utcnow()
    changed = [_upsert(session, participant, answer, now) for answer in answers]
    if any(changed):
        bump_room_version(session, round, screen=False)
    session.flush()


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
                refused = answer_refusal(facts, answer)
                if refused is not None:
                    raise refused
                answers.append(answer)
        except Refused as refused:
            problems[sid] = {refused.field or "level": refused.message}
    if problems:
        return problems
    save_answers(session, participant=participant, round=round, answers=answers, facts=facts)
    return {}
