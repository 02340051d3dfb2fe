"""The room's poll (facilitator page, projector, present mode): every 2 s each screen asks
with the `room_version` it shows (the projector also with its `screen_version`); when nothing
changed it is answered 204 No Content from this one indexed query (the primary key), after
the middleware's one sign-in query."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_
from sqlmodel import Session, select

from app.models import Round, TeamMember, User

NOTHING_NEW = "nothing new"  # 204 No Content
COUNTS_ONLY = "counts only"  # the projector's counts (and its comment's words) alone
REDRAW = "redraw"  # the whole screen, loaded and checked as any facilitator's page


@dataclass(frozen=True)
class RoomNow:
    """The round's row as the poll read it: enough to answer the projector's counts."""

    id: int
    status: str
    mode: str
    current_statement_id: int | None
    shown_comment_id: int | None
    room_version: int
    screen_version: int


@dataclass(frozen=True)
class Polled:
    answer: str  # NOTHING_NEW, COUNTS_ONLY or REDRAW
    room: RoomNow | None = None


def look(
    session: Session,
    user: User | None,
    round_id: int,
    version: int | None,
    screen: int | None = None,
) -> Polled:
    """What a screen polling at `version` (and `screen`) needs: nothing, its counts, or a
    redraw. Nothing or the counts only if this facilitator (or admin) may run the round;
    anything else (changed, no access, no round) is a redraw: the caller then loads the
    round the usual way, which answers the right page or refusal."""
    if user is None or version is None:
        return Polled(REDRAW)
    row = session.exec(
        select(
            Round.room_version,
            Round.screen_version,
            Round.status,
            Round.mode,
            Round.current_statement_id,
            Round.shown_comment_id,
            TeamMember.role,
        )
        .outerjoin(
            TeamMember,
            and_(
                TeamMember.team_id == Round.team_id,
                TeamMember.user_id == user.id,
                TeamMember.left_at.is_(None),
            ),
        )
        .where(Round.id == round_id)
    ).first()
    if row is None or not (user.role == "admin" or row[6] == "facilitator"):
        return Polled(REDRAW)
    room_version, screen_version, status, mode, current, comment, _ = row
    if room_version == version:
        return Polled(NOTHING_NEW)
    room = RoomNow(round_id, status, mode, current, comment, room_version, screen_version)
    if screen == screen_version and status == "open" and mode != "group" and current:
        return Polled(COUNTS_ONLY, room)
    return Polled(REDRAW, room)
