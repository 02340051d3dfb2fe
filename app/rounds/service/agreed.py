"""Agreed ratings: the level the team settles on, with its notes. Versioned: a stale edit is
refused (app.db.StaleEdit, carrying the saved version), never silently overwritten.

A save is one statement: an INSERT … ON CONFLICT DO NOTHING for a first version, an UPDATE …
WHERE version = the one the editor saw for a later one; either returns the row, or nothing
when someone saved first (then the saved row is read, for the page showing both).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session

from app import audit
from app.core import naming
from app.core.i18n import N_
from app.core.refused import Refused
from app.db import StaleEdit
from app.models import AgreedRating, Round, Statement, User, utcnow
from app.org import queries as org_queries
from app.rounds.queries.rounds import find_agreed
from app.rounds.service.room import bump_room_version

NOT_OPEN = N_(
    "This round is not open, so its agreed ratings cannot change. Reopen the round first."
)
NOTES = ("well_notes", "could_notes")


def naming_problems(
    session: Session, round_: Round, statement_id: int, notes: Mapping[str, str], posted
) -> dict[str, str]:
    """Agreed-rating notes are seen outside the team: {field: question} for each changed note
    that names someone on the team (app.core.naming), unless "Yes, this can be seen outside
    the team" was ticked. Reads nothing when there is no note or the box is ticked."""
    if naming.confirmed(posted) or not any((text or "").strip() for text in notes.values()):
        return {}
    problems = naming.naming_errors(notes, org_queries.display_names(session, round_.team_id), {})
    if not problems:
        return {}
    saved = find_agreed(session, round_.id, statement_id)
    changed = naming.changed(notes, {k: getattr(saved, k) for k in NOTES} if saved else {})
    return {field: text for field, text in problems.items() if field in changed}


def _insert(session: Session):
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def record_agreed_rating(
    session: Session,
    *,
    round_: Round,
    statement: Statement,
    level: int | None,
    well_notes: str = "",
    could_notes: str = "",
    version: int = 0,
    actor: User | None = None,
    now: datetime | None = None,
) -> AgreedRating:
    """Save the agreed rating if `version` is the one the editor saw (0: none yet)."""
    if round_.status != "open":
        raise Refused(NOT_OPEN, status=422, field="level")
    if statement.framework_id != round_.framework_id:
        raise ValueError("statement not in this round's framework")
    if level is not None and level not in (1, 2, 3, 4):
        raise ValueError("level out of range")
    values = {
        "level": level,
        "well_notes": well_notes.strip(),
        "could_notes": could_notes.strip(),
        "updated_by_user_id": actor.id if actor else None,
        "updated_at": now or utcnow(),
    }
    where = (AgreedRating.round_id == round_.id, AgreedRating.statement_id == statement.id)
    if version == 0:
        query = (
            _insert(session)(AgreedRating)
            .values(round_id=round_.id, statement_id=statement.id, version=1, **values)
            .on_conflict_do_nothing(index_elements=["round_id", "statement_id"])
        )
    else:
        query = (
            update(AgreedRating)
            .where(*where, AgreedRating.version == version)
            .values(version=version + 1, **values)
        )
    query = query.returning(AgreedRating.id).execution_options(synchronize_session=False)
    row_id = session.execute(query).scalar()
    if row_id is None:
        raise StaleEdit(find_agreed(session, round_.id, statement.id))
    row = AgreedRating(
        id=row_id, round_id=round_.id, statement_id=statement.id, version=version + 1, **values
    )
    audit.record(
        session,
        verb="agreed_rating.saved",
        entity="agreed_rating",
        entity_id=row.id,
        actor=actor,
        team_id=round_.team_id,
        detail={
            "round_id": round_.id,
            "statement": statement.code,
            "level": level,
            "version": row.version,
        },
    )
    bump_room_version(session, round_)
    return row
