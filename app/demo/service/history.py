"""Demo history (all invented): four years of rounds for every demo team, so compare's
trend shows at least 15 quarters of organisation history, and "who to learn from" works.

Each team benchmarks about every six months, half the teams a quarter later than the
others, so every quarter has rounds. Levels drift upwards a little from round to round.
At its third round each team agrees a plan on its lowest statements and closes it at the
next round; those statements rise at the rounds after, so the statement view names the
teams that rose after acting. The demo teams' recent rounds (the rounds step) stay the
newest: history ends before them. Small rooms (9 people, 3 of each of three perspectives)
keep the demo quick to load and above the anonymity floor."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlmodel import Session, select

from app.core import dates
from app.demo.service.rounds import _past_round
from app.models import Round, Statement, User
from app.plans.service import PriorityForm
from app.plans.service import plans as plans_service
from app.plans.service import priorities as priorities_service
from app.rounds import queries as rounds_queries

ROUNDS = 8  # one every 26 weeks, from four years ago
ROOM = ["staff"] * 3 + ["service_user"] * 3 + ["carer"] * 3
PLAN_AT = 2  # the round a team makes its old plan from
# (title, why, staff co-lead, co-lead who uses the service)
OLD_PRIORITIES = [
    ("Start with what matters to the person", "People said forms came first.", "Priya", "Morgan"),
    ("Hope in every first meeting", "New people rarely met anyone further on.", "Gareth", "Sam"),
    ("Family in the conversation", "Families felt left outside the door.", "Aisha", "Dee"),
]


def _days(team_index: int, k: int) -> int:
    """How many days ago the team's k-th history round was held."""
    return 1460 - k * 182 - (team_index % 2) * 91 - team_index * 4


def _lowest(levels: dict[int, float], count: int) -> list[int]:
    return sorted(levels, key=lambda sid: (levels[sid], sid))[:count]


def _old_plan(session, team, people, round_: Round, statement_ids, actor, agreed_on: date):
    plan = plans_service.create_plan(
        session,
        team=team,
        title=f"Our plan after {round_.title}",
        source_round=round_,
        carry_action_ids=[],
        actor=actor,
    )
    for index, (title, why, staff, user) in enumerate(OLD_PRIORITIES):
        priorities_service.add_priority(
            session,
            plan,
            PriorityForm(
                title=title,
                why=why,
                impact="high",
                effort="low" if index else "high",
                staff_colead_id=people[staff].id,
                service_user_colead_id=people[user].id,
                statement_ids=statement_ids[index * 2 : index * 2 + 2],
            ),
            actor=actor,
        )
    session.flush()
    problems = plans_service.agree_plan(session, plan, actor=actor, today=agreed_on)
    assert not problems, problems
    return plan


def load(session: Session, context: dict) -> None:
    rng = random.Random(4242)
    today = dates.today(context["clock"])
    actor = session.exec(select(User).where(User.role == "admin")).first()
    recent: dict[int, list[Round]] = context.get("rounds") or {}
    for index, team in enumerate(context["teams"]):
        framework = rounds_queries.default_framework(session, team)
        if framework is None:
            continue
        statements = session.exec(
            select(Statement).where(Statement.framework_id == framework.id)
        ).all()
        truth = {s.id: rng.uniform(1.2, 2.6) for s in statements}
        first_recent = min((r.held_on for r in recent.get(team.id, [])), default=today)
        plan = None
        for k in range(ROUNDS):
            held_on = today - timedelta(days=_days(index, k))
            if held_on >= first_recent - timedelta(days=60):
                break
            round_ = _past_round(
                session, rng, team, framework, held_on, f"Benchmarking, {held_on:%b %Y}",
                truth, ROOM,
            )  # fmt: skip
            if plan is not None:
                plans_service.close_plan(session, plan, actor=actor)
                plan = None
            if k == PLAN_AT:
                chosen = _lowest(truth, 6)
                people = context["members"][team.id]
                plan = _old_plan(
                    session, team, people, round_, chosen, actor, held_on + timedelta(days=14)
                )
                for sid in chosen:  # acting on it: these statements rise
                    truth[sid] = min(4.0, truth[sid] + rng.uniform(1.0, 1.6))
            truth = {sid: min(4.0, level + rng.uniform(-0.1, 0.25)) for sid, level in truth.items()}
        if plan is not None:
            plans_service.close_plan(session, plan, actor=actor)
        session.flush()
