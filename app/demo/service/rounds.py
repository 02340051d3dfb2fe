"""Demo benchmarking rounds (all invented): for several teams a baseline about ten months
ago and a second round about three months ago, each with 20–30 participants, a few
comments, agreed ratings with notes for every statement and summaries written; for the
demo facilitator's team, an open round too.

The groups are big enough for the anonymity floor (docs/privacy.md): 3 or more in each
perspective, so results, compare and the co-production column show real breakdowns. One
round has only 2 carers and 2 community partners: they are shown together as "other
perspectives", so the demo shows the floor at work too."""

from __future__ import annotations

import random
import secrets
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert
from sqlmodel import Session

from app.core import dates
from app.models import AgreedRating, Participant, Rating, Round, Statement, Team, utcnow
from app.rounds import queries as rounds_queries
from app.rounds import service

TEAMS_WITH_ROUNDS = 4
# Invented participants of a round: mixed perspectives, each group of 3 or more (peer
# support workers count with staff) even when a few skip a statement
PERSPECTIVES = ["staff"] * 8 + ["peer_worker"] * 2 + ["service_user"] * 7
PERSPECTIVES += ["carer"] * 5 + ["community"] * 5
# One round's small groups: 2 carers and 2 community partners, shown only together
SMALL_GROUPS = ["staff"] * 8 + ["peer_worker"] * 2 + ["service_user"] * 7
SMALL_GROUPS += ["carer"] * 2 + ["community"] * 2
SKIP = 0.03  # chance that someone leaves a statement unanswered
BIAS = {"staff": 0.4, "peer_worker": 0.1, "service_user": -0.4, "carer": -0.2, "community": 0}

COMMENTS = [
    "Staff always ask what I want to talk about first.",
    "It depends a lot on who you see.",
    "I didn't know this was something we could ask for.",
    "The peer group on Tuesdays made a real difference to me.",
    "Sometimes the forms come before the conversation.",
    "My family felt listened to at the last review.",
    "We could do much more with the library and the college.",
    "Letters still use words that are hard to understand.",
]
WELL = {
    1: "A few of us have started talking about this.",
    2: "Some staff do this well and people notice.",
    3: "Most people told us they see this most of the time.",
    4: "Everyone agreed this is how we work, every day.",
}
COULD = {
    1: "Make a start: pick one small change and try it for a month.",
    2: "Share what works between the duty team and the clinics.",
    3: "Ask the people who said 'not always' what would make it every time.",
    4: "Keep it going and show other teams how we do it.",
}


def _when(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def _rate(rng: random.Random, true_level: float, perspective: str) -> int | None:
    if rng.random() < 0.07:
        return None
    value = rng.gauss(true_level + BIAS[perspective], 0.7)
    return max(1, min(4, round(value)))


def _participants(session: Session, round_: Round, perspectives: list[str]) -> list[Participant]:
    people = [
        Participant(round_id=round_.id, token_hash=secrets.token_hex(32), perspective=p)
        for p in perspectives
    ]
    session.add_all(people)
    session.flush()
    return people


def _rate_statements(
    session: Session,
    rng: random.Random,
    round_: Round,
    people: list[Participant],
    statements: list[Statement],
    truth: dict[int, float],
    comments: int,
) -> dict[int, list[int]]:
    given: dict[int, list[int]] = {s.id: [] for s in statements}
    rows = []
    for person in people:
        for statement in statements:
            if rng.random() < SKIP:
                continue
            level = _rate(rng, truth[statement.id], person.perspective)
            if level is not None:
                given[statement.id].append(level)
            rows.append(
                {
                    "round_id": round_.id,
                    "participant_id": person.id,
                    "statement_id": statement.id,
                    "level": level,
                    "matters_most": rng.random() < 0.12,
                    "comment": None,
                    "comment_hidden": False,
                    "updated_at": utcnow(),
                }
            )
    for row, text in zip(rng.sample(rows, comments), rng.sample(COMMENTS, comments), strict=True):
        row["comment"] = text
    # plain rows in one executemany: thousands of ORM objects would be slow
    session.execute(insert(Rating), rows)
    return given


def _past_round(
    session: Session,
    rng: random.Random,
    team: Team,
    framework,
    held_on: date,
    title: str,
    truth: dict[int, float],
    perspectives: list[str] = PERSPECTIVES,
) -> Round:
    round_ = service.create_round(
        session, team=team, framework=framework, title=title, held_on=held_on
    )
    service.open_round(session, round_, now=_when(held_on, 10))
    statements = rounds_queries.round_statements(session, round_)
    people = _participants(session, round_, perspectives)
    given = _rate_statements(session, rng, round_, people, statements, truth, comments=5)
    for statement in statements:
        levels = given[statement.id]
        level = max(1, min(4, round(sum(levels) / len(levels)))) if levels else None
        if rng.random() < 0.03:
            level = None  # the room could not say
        session.add(
            AgreedRating(
                round_id=round_.id,
                statement_id=statement.id,
                level=level,
                well_notes=WELL[level or 2],
                could_notes=COULD[level or 2],
                updated_at=_when(held_on, 12),
            )
        )
    session.flush()
    service.close_round(session, round_, now=_when(held_on, 13))
    return round_


def _open_round(session: Session, rng: random.Random, team: Team, framework, truth, today) -> Round:
    round_ = service.create_round(
        session,
        team=team,
        framework=framework,
        title=f"Review, {today:%b %Y}",
        held_on=today,
    )
    service.open_round(session, round_)
    statements = rounds_queries.round_statements(session, round_)[:3]
    people = _participants(session, round_, PERSPECTIVES[::3])
    _rate_statements(session, rng, round_, people, statements, truth, comments=2)
    session.commit()
    return round_


def load(session: Session, context: dict) -> None:
    rng = random.Random(2026)
    today = dates.today(context["clock"])
    created: dict[int, list[Round]] = {}
    for index, team in enumerate(context["teams"][:TEAMS_WITH_ROUNDS]):
        framework = rounds_queries.default_framework(session, team)
        if framework is None:
            continue
        statements = rounds_queries.framework_statements(session, framework.id)
        truth = {s.id: rng.uniform(1.3, 3.4) for s in statements}
        first_day = today - timedelta(days=300 + index * 7)
        second_day = today - timedelta(days=95 - index * 5)
        first = _past_round(
            session, rng, team, framework, first_day, f"Baseline, {first_day:%b %Y}", truth
        )
        better = {sid: min(4.0, level + rng.uniform(-0.2, 0.9)) for sid, level in truth.items()}
        second = _past_round(
            session,
            rng,
            team,
            framework,
            second_day,
            f"Six-month review, {second_day:%b %Y}",
            better,
            SMALL_GROUPS if index == 2 else PERSPECTIVES,
        )
        created[team.id] = [first, second]
        if index == 0:
            created[team.id].append(_open_round(session, rng, team, framework, better, today))
    context["rounds"] = created
