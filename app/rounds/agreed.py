"""Agreed ratings: the level the team settles on, with its notes. Versioned: a stale edit is
refused (StaleEdit, carrying the saved version), never silently overwritten."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app import audit
from app.core import naming
from app.models import AgreedRating, Round, Statement, User, utcnow


class StaleEdit(Exception):
    """Someone saved this agreed rating first; `current` is what is saved now."""

    def __init__(self, current: AgreedRating | None) -> None:
        super().__init__("stale edit")
        self.current = current


class RoundNotOpen(Exception):
    pass


def agreed_ratings(session: Session, round_id: int) -> dict[int, AgreedRating]:
    """{statement_id: agreed rating} for a round."""
    rows = session.exec(select(AgreedRating).where(AgreedRating.round_id == round_id)).all()
    return {row.statement_id: row for row in rows}


def find_agreed(session: Session, round_id: int, statement_id: int) -> AgreedRating | None:
    return session.exec(
        select(AgreedRating).where(
            AgreedRating.round_id == round_id, AgreedRating.statement_id == statement_id
        )
    ).first()


def ask_about_names(request, session, round_, form, context, *, template) -> None:
    """Agreed-rating notes are seen outside the team: a changed note that names someone on
    the team (app.core.naming) is saved only once "Yes, this can be seen outside the team"
    is ticked; until then the agree block comes back (422) asking."""
    saved = context.get("current_agreed")
    notes = {"well_notes": form.well_notes, "could_notes": form.could_notes}
    naming.ask_before_saving(
        request,
        naming.changed(notes, {k: getattr(saved, k) for k in notes} if saved else {}),
        naming.display_names(session, round_.team_id),
        template=template,
        values=form,
        context=context,
        block="agree",
    )


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
        raise RoundNotOpen()
    if statement.framework_id != round_.framework_id:
        raise ValueError("statement not in this round's framework")
    if level is not None and level not in (1, 2, 3, 4):
        raise ValueError("level out of range")
    now = now or utcnow()
    values = {
        "level": level,
        "well_notes": well_notes.strip(),
        "could_notes": could_notes.strip(),
        "updated_by_user_id": actor.id if actor else None,
        "updated_at": now,
    }
    existing = find_agreed(session, round_.id, statement.id)
    if existing is None:
        if version != 0:
            raise StaleEdit(None)
        row = AgreedRating(round_id=round_.id, statement_id=statement.id, version=1, **values)
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            raise StaleEdit(find_agreed(session, round_.id, statement.id)) from None
    else:
        if existing.version != version:
            raise StaleEdit(existing)
        result = session.exec(
            update(AgreedRating)
            .where(AgreedRating.id == existing.id, AgreedRating.version == version)
            .values(version=version + 1, **values)
        )
        if result.rowcount != 1:
            session.rollback()
            raise StaleEdit(find_agreed(session, round_.id, statement.id))
        session.refresh(existing)
        row = existing
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
    session.commit()
    return row
