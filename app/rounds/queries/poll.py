"""The room's poll (facilitator page, projector, present mode): every 2 s each screen asks
with the `room_version` it shows; when nothing changed it is answered 204 No Content from
this one indexed query (the primary key), after the middleware's one sign-in query."""

from __future__ import annotations

from sqlalchemy import and_
from sqlmodel import Session, select

from app.models import Round, TeamMember, User


def unchanged(session: Session, user: User | None, round_id: int, version: int | None) -> bool:
    """True only if this facilitator (or admin) may run the round and the room is still at
    `version`. Anything else (changed, no access, no round) is False: the caller then loads
    the round the usual way, which answers the right page or refusal."""
    if user is None or version is None:
        return False
    row = session.exec(
        select(Round.room_version, TeamMember.role)
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
    if row is None or row[0] != version:
        return False
    return user.role == "admin" or row[1] == "facilitator"
