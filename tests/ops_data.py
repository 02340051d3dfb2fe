"""Shared by the ops tests: a team with something in every table, and rounds closed a
given number of days ago (`aged_round`; tests.factories.make_round is the round of the
other tests)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from app import audit
from app.models import (
    Action,
    ActionHelper,
    ActionUpdate,
    AgreedRating,
    Asset,
    Celebration,
    Framework,
    Invitation,
    Participant,
    Plan,
    Priority,
    PriorityHelper,
    PriorityStatement,
    Rating,
    Review,
    Round,
    Statement,
    Team,
)
from app.rounds import service as rounds_service
from tests.conftest import START
from tests.factories import make_member, make_person, make_team, small_framework

PERSPECTIVES = ("staff", "staff", "peer_worker", "service_user", "service_user", "carer")


@dataclass
class Populated:
    team: Team
    rounds: list[Round]
    framework: Framework


def _framework(session: Session) -> Framework:
    found = session.exec(select(Framework).where(Framework.key == "small")).scalars().first()
    return found or small_framework(session)


def _code() -> str:
    return secrets.token_hex(3).upper()


def aged_round(
    session: Session,
    team: Team,
    framework: Framework,
    *,
    status: str = "closed",
    closed_days_ago: int = 400,
    people: int = 6,
    summaries: bool = True,
    now: datetime = START,
) -> Round:
    """A round with `people` participants rating every statement (closed: summaries and its
        close publication too; `summaries=False`: a round closed before either existed), dated
    back from `now` (the test's clock). Built directly, not by make_round: it closed in the past,
    perhaps before summaries existed."""
    round_ = Round(
        team_id=team.id,
        framework_id=framework.id,
        title=f"Round {_code()}",
        held_on=(now - timedelta(days=closed_days_ago)).date(),
        status=status,
        join_code=_code(),
        opened_at=now - timedelta(days=closed_days_ago + 1),
        closed_at=now - timedelta(days=closed_days_ago) if status == "closed" else None,
    )
    session.add(round_)
    session.flush()
    statements = session.exec(
        select(Statement).where(Statement.framework_id == framework.id).order_by(Statement.id)
    ).scalars()
    statements = list(statements)
    for i in range(people):
        participant = Participant(
            round_id=round_.id,
            token_hash=secrets.token_hex(32),
            perspective=PERSPECTIVES[i % len(PERSPECTIVES)],
            alias=f"Guest {i}" if i % 2 else None,
        )
        session.add(participant)
        session.flush()
        for j, statement in enumerate(statements):
            session.add(
                Rating(
                    round_id=round_.id,
                    participant_id=participant.id,
                    statement_id=statement.id,
                    level=None if (i + j) % 5 == 4 else 1 + (i + j) % 4,
                    matters_most=(i + j) % 3 == 0,
                    comment=f"Comment {i}.{j}" if j == 0 else None,
                )
            )
    for j, statement in enumerate(statements):
        session.add(
            AgreedRating(
                round_id=round_.id,
                statement_id=statement.id,
                level=1 + j % 4,
                well_notes="We listen.",
            )
        )
    session.flush()
    if status == "closed" and summaries:
        rounds_service.write_summaries(session, round_.id)
        rounds_service.publish_close(session, round_, [st.id for st in statements])
    session.commit()
    return round_


def populate_team(
    session: Session, name: str, *, closed_days_ago: int = 400, now: datetime = START
) -> Populated:
    """A team with a row in every table that belongs to a team."""
    framework = _framework(session)
    team = make_team(session, name)
    lead_user, lead = make_person(
        session, team, f"lead{team.id}", role="facilitator", name=f"Lead of {name}"
    )
    peer = make_member(session, team, f"Peer of {name}", perspective="service_user")
    round_ = aged_round(session, team, framework, closed_days_ago=closed_days_ago, now=now)
    statement = (
        session.exec(select(Statement).where(Statement.framework_id == framework.id))
        .scalars()
        .first()
    )
    session.add(
        Invitation(
            token_hash=secrets.token_hex(32),
            team_id=team.id,
            team_member_id=peer.id,
            expires_at=now + timedelta(days=7),
        )
    )
    session.add(
        Asset(
            team_id=team.id,
            holder_member_id=peer.id,
            perspective="service_user",
            kind="talent",
            description="Plays the guitar",
            round_id=round_.id,
        )
    )
    plan = Plan(team_id=team.id, source_round_id=round_.id, title="Our plan", status="agreed")
    session.add(plan)
    session.flush()
    priority = Priority(
        plan_id=plan.id,
        title="Ask what matters",
        staff_colead_id=lead.id,
        service_user_colead_id=peer.id,
    )
    session.add(priority)
    session.flush()
    session.add(PriorityStatement(priority_id=priority.id, statement_id=statement.id))
    session.add(PriorityHelper(priority_id=priority.id, member_id=lead.id))
    action = Action(
        priority_id=priority.id, what="Start each meeting with hopes", owner_member_id=peer.id
    )
    session.add(action)
    session.flush()
    carried = Action(priority_id=priority.id, what="Carried on", carried_from_action_id=action.id)
    session.add(carried)
    session.add(ActionHelper(action_id=action.id, member_id=lead.id))
    session.add(
        ActionUpdate(
            action_id=action.id,
            author_user_id=lead_user.id,
            author_member_id=lead.id,
            note="Going well",
            status_from="not_started",
            status_to="in_progress",
        )
    )
    session.add(Review(plan_id=plan.id, held_on=date(2026, 11, 20), notes="Good progress"))
    session.add(Celebration(team_id=team.id, text="A little miracle", on=date(2026, 11, 20)))
    audit.record(session, verb="plan.agreed", entity="plan", entity_id=plan.id, team_id=team.id)
    session.commit()
    return Populated(team=team, rounds=[round_], framework=framework)
