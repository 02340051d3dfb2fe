"""A personal calendar feed (RFC 5545), reached by a secret, revocable address."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, select

from app import audit
from app.models import Action, Plan, Priority, Team, TeamMember, User
from app.models.plans import OPEN_ACTION_STATUSES
from app.security.tokens import hash_token, new_token


def make_token(session: Session, user: User) -> str:
    """A new calendar address (any older one stops working). Only the hash is kept."""
    token = new_token()
    replaced = user.calendar_token_hash is not None
    user.calendar_token_hash = hash_token(token)
    session.add(user)
    audit.record(
        session,
        verb="calendar.replaced" if replaced else "calendar.made",
        entity="user",
        entity_id=user.id,
        actor=user,
    )
    return token


def revoke_token(session: Session, user: User) -> None:
    user.calendar_token_hash = None
    session.add(user)
    audit.record(session, verb="calendar.revoked", entity="user", entity_id=user.id, actor=user)


def user_for_token(session: Session, token: str) -> User | None:
    if not token or len(token) > 100:
        return None
    user = session.exec(select(User).where(User.calendar_token_hash == hash_token(token))).first()
    return user if user is not None and user.active else None


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Lines of at most 75 octets; continuation lines start with one space."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > limit:
            parts.append(current.decode())
            current, limit = b"", 74
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def ical_date(day: date) -> str:
    # not strftime: it writes year 1 as "1", and RFC 5545 wants four digits
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _event(uid: str, day: date, summary: str, description: str, stamp: str) -> list[str]:
    # a DATE start with no DTEND lasts the day (RFC 5545 3.6.1): the way to write the last
    # representable day, whose next day does not exist
    end = [f"DTEND;VALUE=DATE:{ical_date(day + timedelta(days=1))}"] if day < date.max else []
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{ical_date(day)}",
        *end,
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(description)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def calendar_for(session: Session, user: User, *, host: str, now: datetime) -> str:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//TRIP benchmarking//Plans//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:My TRIP actions and reviews",
    ]
    memberships = session.exec(
        select(TeamMember, Team)
        .join(Team, Team.id == TeamMember.team_id)
        .where(TeamMember.user_id == user.id, TeamMember.left_at.is_(None))
    ).all()
    member_ids = [m.id for m, _ in memberships]
    if member_ids:
        rows = session.exec(
            select(Action, Priority, Team)
            .join(Priority, Priority.id == Action.priority_id)
            .join(Plan, Plan.id == Priority.plan_id)
            .join(Team, Team.id == Plan.team_id)
            .where(
                Action.owner_member_id.in_(member_ids),
                Action.status.in_(OPEN_ACTION_STATUSES),
                Action.due_on.is_not(None),
                Plan.status != "closed",
            )
            .order_by(Action.due_on, Action.id)
        ).all()
        for action, priority, team in rows:
            lines += _event(
                f"action-{action.id}@{host}",
                action.due_on,
                f"Due: {action.what}",
                f"{team.name}. Priority: {priority.title}.",
                stamp,
            )
    for _member, team in memberships:
        plan = session.exec(
            select(Plan)
            .where(Plan.team_id == team.id, Plan.status != "closed")
            .order_by(Plan.created_at.desc(), Plan.id.desc())
        ).first()
        if plan is not None and plan.review_due is not None:
            lines += _event(
                f"plan-review-{plan.id}@{host}",
                plan.review_due,
                f"Plan review due: {team.name}",
                f"Time to review '{plan.title}' together.",
                stamp,
            )
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
