"""Progress notes of a plan's actions, with who wrote them: for the export the team's own
people download (never for the outside view)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, select

from app.core.dates import LONDON
from app.models import ActionUpdate, TeamMember, User
from app.plans.queries.actions import describe_update


@dataclass
class Note:
    at: datetime  # local (Europe/London) time, no zone: spreadsheets show it as written
    author: str
    note: str
    change: str  # "Not started → In progress", or ""


def progress_notes(session: Session, action_ids: Iterable[int]) -> dict[int, list[Note]]:
    """{action_id: its notes, oldest first}; updates with no words are left out. One query."""
    ids = set(action_ids)
    notes: dict[int, list[Note]] = defaultdict(list)
    if not ids:
        return notes
    rows = session.exec(
        select(ActionUpdate, TeamMember.display_name, User.username)
        .outerjoin(TeamMember, TeamMember.id == ActionUpdate.author_member_id)
        .outerjoin(User, User.id == ActionUpdate.author_user_id)
        .where(ActionUpdate.action_id.in_(ids), ActionUpdate.note != "")
        .order_by(ActionUpdate.at, ActionUpdate.id)
    ).all()
    for update, name, username in rows:
        at = update.at if update.at.tzinfo else update.at.replace(tzinfo=UTC)
        notes[update.action_id].append(
            Note(
                at=at.astimezone(LONDON).replace(tzinfo=None, microsecond=0),
                author=name or username or "Someone",
                note=update.note,
                change=describe_update(update),
            )
        )
    return notes
