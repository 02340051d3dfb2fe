"""What a person's calendar feed holds: the open actions they own that have a due date, and
the review date of each of their teams' current plans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from app.models import Action, Plan, Priority, Team, TeamMember, User
from app.models.plans import OPEN_ACTION_STATUSES
from app.plans.queries.plans import current_plans
from app.security.tokens import hash_token


def user_for_token(session: Session, token: str) -> User | None:
    if not token or len(token) > 100:
        return None
    user = session.exec(select(User).where(User.calendar_token_hash == hash_token(token))).first()
    return user if user is not None and user.active else None


@dataclass
class Event:
    uid: str  # before "@host"
    day: date
    summary: str
    description: str


def feed_events(session: Session, user: User) -> list[Event]:
    memberships = session.exec(
        select(TeamMember, Team)
        .join(Team, Team.id == TeamMember.team_id)
        .where(TeamMember.user_id == user.id, TeamMember.left_at.is_(None))
    ).all()
    member_ids = [m.id for m, _ in memberships]
    events: list[Event] = []
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
        # The event wording ("Due: …", "Plan review due: …") is only in the .ics feed
        # (app.plans.exports.calendar), never on a page: it stays English on purpose — a feed
        # is fetched by a calendar app without the person's language cookie.
        events += [
            Event(
                f"action-{action.id}",
                action.due_on,
                f"Due: {action.what}",
                f"{team.name}. Priority: {priority.title}.",
            )
            for action, priority, team in rows
        ]
    plans = current_plans(session, [team.id for _, team in memberships])
    for _member, team in memberships:
        plan = plans.get(team.id)
        if plan is not None and plan.review_due is not None:
            events.append(
                Event(
                    f"plan-review-{plan.id}",
                    plan.review_due,
                    f"Plan review due: {team.name}",
                    f"Time to review '{plan.title}' together.",
                )
            )
    return events
