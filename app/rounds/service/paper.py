"""Paper rating sheets typed in one at a time: one Participant(source="paper") and its
ratings, written together."""

from __future__ import annotations

import secrets

from sqlmodel import Session

from app import audit
from app.core.refused import Refused
from app.models import Participant, Rating, Round, User, utcnow
from app.rounds.forms import PaperSheet

NOT_OPEN = "Paper sheets can be typed in only while the round is open."


def record_paper_sheet(
    session: Session, round_: Round, sheet: PaperSheet, *, actor: User | None = None
) -> Participant:
    if round_.status != "open":
        raise Refused(NOT_OPEN, status=422)
    now = utcnow()
    participant = Participant(
        round_id=round_.id,
        token_hash=secrets.token_hex(32),  # nobody holds a token for a paper sheet
        perspective=sheet.perspective,
        alias=sheet.alias,
        source="paper",
    )
    session.add(participant)
    session.flush()
    session.add_all(
        Rating(
            round_id=round_.id,
            participant_id=participant.id,
            statement_id=statement_id,
            level=level,
            matters_most=statement_id in sheet.matters,
            updated_at=now,
        )
        for statement_id, level in sheet.answers.items()
    )
    audit.record(
        session,
        verb="paper_sheet.entered",
        entity="round",
        entity_id=round_.id,
        actor=actor,
        team_id=round_.team_id,
        detail={"participant_id": participant.id, "ratings": len(sheet.answers)},
    )
    session.flush()
    return participant
