"""What a person's calendar feed holds: the open actions they own that have a due date, and
the review date of each of their teams' current plans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from app.core.i18n import N_, gettext_in
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

    def say(message: str, **values: str) -> str:
        return gettext_in(user.language, message) % values

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
        # In the person's own language (user.language): a calendar app fetches the feed
        # without a language cookie, but the address is the person's own.
        events += [
            Event(
                f"action-{action.id}",
                action.due_on,
                say(N_("Due: %(action)s"), action=action.what),
                say(
                    N_("%(team)s. Priority: %(priority)s."), team=team.name, priority=priority.title
                ),
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
                    say(N_("Plan review due: %(team)s"), team=team.name),
                    say(N_("Time to review “%(plan)s” together."), plan=plan.title),
                )
            )
    return events
