"""Paper rating sheets typed in one at a time: one Participant(source="paper", sheet_number)
and its ratings and comments, written together; a sheet number is typed in once a round."""

from __future__ import annotations

import secrets

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app import audit
from app.core.i18n import N_
from app.core.refused import Refused
from app.models import Participant, Rating, Round, User, utcnow
from app.rounds.forms import PaperSheet
from app.rounds.queries.paper import sheet_taken
from app.rounds.service.room import bump_room_version

NOT_OPEN = N_("Paper sheets can be typed in only while the round is open.")
SHEET_TAKEN = N_(
    "Sheet %(number)s has already been typed in for this round. "
    "Check the number at the top of the sheet."
)


def record_paper_sheet(
    session: Session, round_: Round, sheet: PaperSheet, *, actor: User | None = None
) -> Participant:
    if round_.status != "open":
        raise Refused(NOT_OPEN, status=422)
    taken = Refused(
        SHEET_TAKEN, status=422, field="sheet_number", values={"number": sheet.sheet_number}
    )
    if sheet.sheet_number is not None and sheet_taken(session, round_.id, sheet.sheet_number):
        raise taken
    now = utcnow()
    participant = Participant(
        round_id=round_.id,
        token_hash=secrets.token_hex(32),  # nobody holds a token for a paper sheet
        perspective=sheet.perspective,
        alias=sheet.alias,
        source="paper",
        sheet_number=sheet.sheet_number,
    )
    session.add(participant)
    try:
        session.flush()
    except IntegrityError:  # typed in at the same moment elsewhere: the constraint decides
        raise taken from None
    session.add_all(
        Rating(
            round_id=round_.id,
            participant_id=participant.id,
            statement_id=statement_id,
            level=level,
            matters_most=statement_id in sheet.matters,
            comment=sheet.comments.get(statement_id),
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
        detail={
            "participant_id": participant.id,
            "sheet_number": sheet.sheet_number,
            "ratings": len(sheet.answers),
        },
    )
    bump_room_version(
        session, round_, screen=False
    )  # the joined and answer counts redraw (flushes)
    return participant
