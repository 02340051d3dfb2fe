"""Reminders' read models: who has chosen which notices, and what is due for each of them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, select

from app.models import (
    Action,
    Plan,
    Priority,
    ReminderChoice,
    Review,
    SentNotice,
    Team,
    TeamMember,
    User,
)
from app.models.plans import OPEN_ACTION_STATUSES

DUE_SOON_DAYS = 7  # an action due within a week is "due soon"; so is a review
DIGEST_AHEAD_DAYS = 28  # the weekly digest looks four weeks ahead


@dataclass(frozen=True)
class Item:
    """One thing a notice is about: an action or a plan's review."""

    kind: str  # due_soon | overdue | review_due | digest_action | digest_review
    subject: str  # action:12 | plan:3
    due: date
    what: str  # the action's words or the plan's title
    team: str
    path: str  # /actions/12, /plans/3


@dataclass
class Person:
    user_id: int
    username: str
    email: str
    weekly_digest: bool
    action_notices: bool
    review_notices: bool
    items: list[Item] = field(default_factory=list)
    language: str = "en"  # User.language: their mail is written in it


def choice_of(session: Session, user_id: int) -> ReminderChoice | None:
    return session.get(ReminderChoice, user_id)


def asks_for_email(session: Session, user: User) -> bool:
    """Staff are offered reminders; people who use the service are never asked for an email
    address (a service-user-only account sees nothing about it, unless it already gave one)."""
    if user.role in ("admin", "recovery_lead"):
        return True
    rows = session.exec(
        select(TeamMember.perspective, TeamMember.role).where(
            TeamMember.user_id == user.id, TeamMember.left_at.is_(None)
        )
    ).all()
    if any(perspective != "service_user" or role == "facilitator" for perspective, role in rows):
        return True
    return choice_of(session, user.id) is not None


def subscribers(session: Session) -> list[Person]:
    """Active accounts with an address and at least one notice chosen, by username."""
    rows = session.exec(
        select(User, ReminderChoice)
        .join(ReminderChoice, ReminderChoice.user_id == User.id)
        .where(User.active, ReminderChoice.email.is_not(None))
        .order_by(User.username)
    ).all()
    return [
        Person(
            u.id,
            u.username,
            c.email,
            c.weekly_digest,
            c.action_notices,
            c.review_notices,
            language=u.language or "en",
        )
        for u, c in rows
        if c.email and (c.weekly_digest or c.action_notices or c.review_notices)
    ]


def _action_rows(session: Session, user_ids: set[int]):
    """(user_id, action, plan, team) for open, dated actions a person owns or co-leads, in
    plans not closed and priorities not removed."""
    rows = session.exec(
        select(Action, Priority, Plan, Team)
        .join(Priority, Priority.id == Action.priority_id)
        .join(Plan, Plan.id == Priority.plan_id)
        .join(Team, Team.id == Plan.team_id)
        .where(
            Action.status.in_(OPEN_ACTION_STATUSES),
            Action.due_on.is_not(None),
            Priority.removed_at.is_(None),  # a removed priority's actions wait for a restore
            Plan.status != "closed",
        )
    ).all()
    member_ids = {
        m
        for a, p, _plan, _team in rows
        for m in (a.owner_member_id, p.staff_colead_id, p.service_user_colead_id)
        if m is not None
    }
    members = {
        m.id: m.user_id
        for m in session.exec(
            select(TeamMember).where(
                TeamMember.id.in_(member_ids or {0}), TeamMember.left_at.is_(None)
            )
        ).all()
    }
    for a, p, plan, team in rows:
        people = {
            members.get(m) for m in (a.owner_member_id, p.staff_colead_id, p.service_user_colead_id)
        }
        for user_id in sorted(u for u in people if u in user_ids):
            yield user_id, a, plan, team


def _review_rows(session: Session, user_ids: set[int], until: date):
    """(user_id, plan, team) for agreed plans whose review falls by `until`, to the team's
    facilitators, unless a review was held in the week before the date or since."""
    plans = session.exec(
        select(Plan, Team)
        .join(Team, Team.id == Plan.team_id)
        .where(Plan.status == "agreed", Plan.review_due.is_not(None), Plan.review_due <= until)
    ).all()
    if not plans:
        return
    held = defaultdict(list)
    for review in session.exec(
        select(Review).where(Review.plan_id.in_([p.id for p, _ in plans]))
    ).all():
        held[review.plan_id].append(review.held_on)
    facilitators = defaultdict(set)
    for m in session.exec(
        select(TeamMember).where(
            TeamMember.team_id.in_({p.team_id for p, _ in plans}),
            TeamMember.role == "facilitator",
            TeamMember.left_at.is_(None),
            TeamMember.user_id.is_not(None),
        )
    ).all():
        facilitators[m.team_id].add(m.user_id)
    for plan, team in plans:
        if any(d >= plan.review_due - timedelta(days=DUE_SOON_DAYS) for d in held[plan.id]):
            continue
        for user_id in sorted(facilitators[plan.team_id] & user_ids):
            yield user_id, plan, team


def due_for(session: Session, people: list[Person], today: date) -> list[Person]:
    """Fill each person's items for today: notices they chose, and the digest's lines."""
    by_id = {p.user_id: p for p in people}
    soon = today + timedelta(days=DUE_SOON_DAYS)
    ahead = today + timedelta(days=DIGEST_AHEAD_DAYS)
    for user_id, a, _plan, team in _action_rows(session, set(by_id)):
        person = by_id[user_id]
        subject, path = f"action:{a.id}", f"/actions/{a.id}"
        if person.action_notices and a.due_on < today:
            person.items.append(Item("overdue", subject, a.due_on, a.what, team.name, path))
        elif person.action_notices and a.due_on <= soon:
            person.items.append(Item("due_soon", subject, a.due_on, a.what, team.name, path))
        if person.weekly_digest and a.due_on <= ahead:
            person.items.append(Item("digest_action", subject, a.due_on, a.what, team.name, path))
    for user_id, plan, team in _review_rows(session, set(by_id), ahead):
        person = by_id[user_id]
        subject, path = f"plan:{plan.id}", f"/plans/{plan.id}"
        if person.review_notices and plan.review_due <= soon:
            item = Item("review_due", subject, plan.review_due, plan.title, team.name, path)
            person.items.append(item)
        if person.weekly_digest:
            item = Item("digest_review", subject, plan.review_due, plan.title, team.name, path)
            person.items.append(item)
    for person in people:
        person.items.sort(key=lambda i: (i.due, i.kind, i.subject))
    return people


def sent_keys(session: Session, user_ids: list[int]) -> set[tuple[int, str, str, str]]:
    rows = session.exec(
        select(SentNotice.user_id, SentNotice.kind, SentNotice.subject, SentNotice.due_key).where(
            SentNotice.user_id.in_(user_ids or [0])
        )
    ).all()
    return {tuple(r) for r in rows}
