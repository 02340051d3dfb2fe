"""Paper rating sheets typed in one at a time: one Participant(source="paper") and its
ratings, in one transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from app import audit
from app.models import Participant, Rating, Round, Statement, User, utcnow
from app.models.base import PERSPECTIVE_LABELS

DONT_KNOW = "dont_know"
LEVEL_CHOICES = ("1", "2", "3", "4", DONT_KNOW)
ALIAS_MAX = 40


@dataclass
class PaperSheet:
    perspective: str
    alias: str | None
    answers: dict[int, int | None] = field(default_factory=dict)  # statement id → level
    matters: set[int] = field(default_factory=set)


def parse_sheet(values: dict[str, Any], statements: list[Statement]) -> PaperSheet | dict:
    """The typed-in form → a PaperSheet, or {field: message} for each problem."""
    errors: dict[str, str] = {}
    perspective = str(values.get("perspective") or "")
    if perspective not in PERSPECTIVE_LABELS:
        errors["perspective"] = "Choose the perspective ticked on the sheet"
    alias = str(values.get("alias") or "").strip()
    if len(alias) > ALIAS_MAX:
        errors["alias"] = f"The name or alias must be {ALIAS_MAX} characters or fewer"
    sheet = PaperSheet(perspective=perspective, alias=alias or None)
    for statement in statements:
        raw = str(values.get(f"level_{statement.id}") or "")
        if raw == "":
            continue
        if raw not in LEVEL_CHOICES:
            errors[f"level_{statement.id}"] = f"Choose a level for {statement.code} from the list"
            continue
        sheet.answers[statement.id] = None if raw == DONT_KNOW else int(raw)
    for statement in statements:
        if values.get(f"matters_{statement.id}"):
            if statement.id not in sheet.answers:
                errors[f"level_{statement.id}"] = (
                    f"{statement.code} is ticked as mattering most: choose its level too"
                )
            else:
                sheet.matters.add(statement.id)
    if not sheet.answers and not errors:
        errors["__all__"] = "Enter at least one rating from the sheet"
    return errors or sheet


def record_paper_sheet(
    session: Session, round_: Round, sheet: PaperSheet, *, actor: User | None = None
) -> Participant:
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
    session.commit()
    return participant
