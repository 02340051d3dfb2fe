"""Demo plans: agreed, co-led priorities with actions, months of updates, reviews and
celebrations (all invented). Runs after the rounds step."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, select

from app.core import dates
from app.models import Round, Statement, TeamMember, User
from app.plans.service import ActionForm, CelebrationForm, PriorityForm, ReviewForm
from app.plans.service import actions as actions_service
from app.plans.service import plans as plans_service
from app.plans.service import priorities as priorities_service
from app.plans.service import reviews as reviews_service
from app.rounds import queries as rounds_queries

# (title, why, impact, effort, staff co-lead, co-lead who uses the service, actions)
# actions: (what, owner, due in days after agreeing, [(days after agreeing, status, note)])
PRIORITIES = [
    (
        "Recovery stories",
        "People told us they rarely hear how others got better.",
        "high", "low", "Tom", "Morgan",
        [
            ("Invite two people to share their story at a team meeting", "Morgan", 40,
             [(10, "in_progress", "Two people said yes."), (38, "done", "Lovely meeting.")]),
            ("Put a 'stories' board in the waiting room", "Tom", 60,
             [(20, "in_progress", "Board ordered."), (70, "stuck", "Waiting for estates.")]),
        ],
    ),
    (
        "Plans in your own words",
        "Care plans still read like forms, not like the person.",
        "high", "high", "Priya", "Dee",
        [
            ("Try a one-page plan written with the person", "Priya", 75,
             [(15, "in_progress", "Three people trying it.")]),
            ("Ask people using the service what a good plan looks like", "Dee", 30,
             [(28, "done", "Twelve answers so far.")]),
        ],
    ),
    (
        "Peer support in every first meeting",
        "Meeting a peer worker early gives hope.",
        "high", "high", "Gareth", "Sam",
        [
            ("Map which first meetings a peer worker could join", "Gareth", 45, []),
            ("Write a short welcome note with people who use the service", "Sam", 120,
             [(50, "in_progress", "First draft shared.")]),
        ],
    ),
    (
        "Team learning lunch",
        "A small, regular time to learn together.",
        "low", "low", "Aisha", "Dee",
        [("Book a room for the first lunch", "Aisha", 20, [(12, "done", "Booked.")])],
    ),
]  # fmt: skip

CELEBRATIONS = [
    (25, "Morgan led the team meeting for the first time."),
    (55, "A man who had not left home for a year came to the walking group."),
    (80, "Our first learning lunch: fourteen people came."),
]


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 11, tzinfo=UTC)


def _user(session: Session, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username)).first()


def _lowest_statements(session: Session, round_: Round, count: int) -> list[Statement]:
    levels = rounds_queries.statement_levels(session, round_.id)
    statements = session.exec(
        select(Statement).where(Statement.framework_id == round_.framework_id)
    ).all()
    by_code = {s.code: s for s in statements}
    ranked = sorted(
        (code for code, level in levels.items() if level is not None),
        key=lambda code: (levels[code], code),
    )
    return [by_code[c] for c in ranked[:count]] or list(statements[:count])


def _plan_for(
    session: Session,
    team,
    people: dict[str, TeamMember],
    round_: Round,
    actor: User,
    today: date,
    priorities_count: int,
) -> None:
    agreed_on = max(round_.held_on + timedelta(days=7), today - timedelta(days=120))
    plan = plans_service.create_plan(
        session,
        team=team,
        title=f"Our plan after {round_.title}",
        source_round=round_,
        carry_action_ids=[],
        actor=actor,
    )
    statements = _lowest_statements(session, round_, priorities_count * 2)
    for index, spec in enumerate(PRIORITIES[:priorities_count]):
        title, why, impact, effort, staff, user, actions = spec
        form = PriorityForm(
            title=title,
            why=why,
            impact=impact,
            effort=effort,
            staff_colead_id=people[staff].id,
            service_user_colead_id=people[user].id,
            statement_ids=[s.id for s in statements[index * 2 : index * 2 + 2]],
            helper_ids=[people["Lin"].id] if index == 0 else [],
        )
        priority = priorities_service.add_priority(session, plan, form, actor=actor)
        session.flush()
        for what, owner, due_in, steps in actions:
            action = actions_service.add_action(
                session,
                priority,
                plan,
                ActionForm(
                    what=what,
                    owner_member_id=people[owner].id,
                    due_on=agreed_on + timedelta(days=due_in),
                ),
                actor=actor,
                at=_at(agreed_on),
            )
            for days, status, note in steps:
                when = agreed_on + timedelta(days=days)
                if when > today:
                    continue
                session.flush()
                actions_service.update_action(
                    session,
                    action,
                    plan,
                    ActionForm(
                        what=action.what,
                        owner_member_id=action.owner_member_id,
                        due_on=action.due_on,
                        status=status,
                        note=note,
                        version=action.version,
                    ),
                    actor=actor,
                    at=_at(when),
                )
    problems = plans_service.agree_plan(session, plan, actor=actor, today=agreed_on)
    assert not problems, problems
    plan.review_due = today + timedelta(days=21)
    for days, text in CELEBRATIONS:
        if agreed_on + timedelta(days=days) <= today:
            reviews_service.add_celebration(
                session,
                team,
                CelebrationForm(text=text, on=agreed_on + timedelta(days=days)),
                actor=actor,
            )
    for days, notes, learnt in (
        (45, "Most actions are moving. The stories board is stuck.", "Ask estates early."),
        (90, "Two actions done. Peer worker mapping needs time.", "Smaller steps work better."),
    ):
        if agreed_on + timedelta(days=days) <= today:
            reviews_service.record_review(
                session,
                plan,
                ReviewForm(held_on=agreed_on + timedelta(days=days), notes=notes, learnt=learnt),
                actor=actor,
            )


def load(session: Session, context: dict) -> None:
    today = dates.today(context["clock"])
    rounds: dict[int, list[Round]] = context.get("rounds") or {}
    actor = _user(session, "facilitator") or _user(session, "admin")
    for index, team in enumerate(context["teams"]):
        closed = [r for r in rounds.get(team.id, []) if r.status == "closed"]
        if not closed:
            continue
        latest = max(closed, key=lambda r: (r.held_on, r.id))
        team_actor = actor if index == 0 else (_user(session, "admin") or actor)
        _plan_for(
            session,
            team,
            context["members"][team.id],
            latest,
            team_actor,
            today,
            priorities_count=4 if index % 2 == 0 else 3,
        )
        session.flush()
