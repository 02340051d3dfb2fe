"""Paper sheets: which sheet numbers of a round have been typed in."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from app.models import Participant


def entered_sheet_numbers(session: Session, round_id: int) -> list[int]:
    query = (
        select(Participant.sheet_number)
        .where(Participant.round_id == round_id, Participant.sheet_number.is_not(None))
        .order_by(Participant.sheet_number)
    )
    return list(session.execute(query).scalars())


def sheet_taken(session: Session, round_id: int, number: int) -> bool:
    query = select(Participant.id).where(
        Participant.round_id == round_id, Participant.sheet_number == number
    )
    return session.execute(query).first() is not None
