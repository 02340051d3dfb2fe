"""Reviews read: a plan's reviews, the one before, progress between two days, celebrations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, func, select

from app.core.dates import local_date
from app.models import Action, ActionUpdate, Celebration, Plan, Priority, Review
from app.models.plans import OPEN_ACTION_STATUSES


def plan_reviews(session: Session, plan_id: int) -> list[Review]:
    return list(
        session.exec(
            select(Review)
            .where(Review.plan_id == plan_id)
            .order_by(Review.held_on.desc(), Review.id.desc())
        )
    )


def previous_review(session: Session, review: Review) -> Review | None:
    return session.exec(
        select(Review)
        .where(
            Review.plan_id == review.plan_id,
            (Review.held_on < review.held_on)
            | ((Review.held_on == review.held_on) & (Review.id < review.id)),
        )
        .order_by(Review.held_on.desc(), Review.id.desc())
    ).first()


@dataclass
class Progress:
    since: date  # after this day
    until: date  # up to and including this day
    done: list[tuple[Action, Priority]] = field(default_factory=list)
    started: list[tuple[Action, Priority]] = field(default_factory=list)
    stuck: list[tuple[Action, Priority]] = field(default_factory=list)
    overdue: list[tuple[Action, Priority]] = field(default_factory=list)
    celebrations: list[Celebration] = field(default_factory=list)


def progress_between(session: Session, plan: Plan, since: date, until: date) -> Progress:
    """What changed after `since` up to `until`, from the actions' update history."""
    rows = session.exec(
        select(Action, Priority)
        .join(Priority, Priority.id == Action.priority_id)
        .where(Priority.plan_id == plan.id, Priority.removed_at.is_(None))
        .order_by(Priority.position, Priority.id, Action.id)
    ).all()
    result = Progress(since=since, until=until)
    if not rows:
        return result
    updates: dict[int, list[ActionUpdate]] = {a.id: [] for a, _ in rows}
    for update in session.exec(
        select(ActionUpdate)
        .where(ActionUpdate.action_id.in_(list(updates)))
        .order_by(ActionUpdate.at, ActionUpdate.id)
    ):
        updates[update.action_id].append(update)
    for action, priority in rows:
        if local_date(action.created_at) > until:
            continue  # added after this review
        status_then = "not_started"
        moved: set[str] = set()
        for update in updates[action.id]:
            day = local_date(update.at)
            if day > until or update.status_to is None:
                continue
            status_then = update.status_to
            if day > since and update.status_from is not None:  # not the action's creation
                moved.add(update.status_to)
        pair = (action, priority)
        if "done" in moved:
            result.done.append(pair)
        if "in_progress" in moved:
            result.started.append(pair)
        if "stuck" in moved:
            result.stuck.append(pair)
        if action.due_on and action.due_on < until and status_then in OPEN_ACTION_STATUSES:
            result.overdue.append(pair)
    result.celebrations = list(
        session.exec(
            select(Celebration)
            .where(
                Celebration.team_id == plan.team_id,
                Celebration.on > since,
                Celebration.on <= until,
            )
            .order_by(Celebration.on.desc(), Celebration.id.desc())
        )
    )
    return result


def review_progress(session: Session, review: Review, plan: Plan) -> Progress:
    before = previous_review(session, review)
    if before is not None:
        since = before.held_on
    else:
        start = plan.agreed_on or local_date(plan.created_at)
        since = start - timedelta(days=1)
    return progress_between(session, plan, since, review.held_on)


def team_celebrations(session: Session, team_id: int) -> list[Celebration]:
    return list(
        session.exec(
            select(Celebration)
            .where(Celebration.team_id == team_id)
            .order_by(Celebration.on.desc(), Celebration.id.desc())
        )
    )


FRESH_REVIEW_DAYS = 30


def reviewed_lately(session: Session, plan: Plan, today: date) -> bool:
    """The "review before you benchmark again" prompt is answered: the plan's latest review
    was held in the last 30 days, or on or after its last action change."""
    latest = session.exec(select(func.max(Review.held_on)).where(Review.plan_id == plan.id)).one()
    if latest is None:
        return False
    if latest >= today - timedelta(days=FRESH_REVIEW_DAYS):
        return True
    changed = session.exec(
        select(func.max(ActionUpdate.at))
        .join(Action, Action.id == ActionUpdate.action_id)
        .join(Priority, Priority.id == Action.priority_id)
        .where(Priority.plan_id == plan.id)
    ).one()
    return changed is None or latest >= local_date(changed)
