"""A small world for the plans tests: one team, people of each kind, a closed round.

(Helpers only; pytest collects no tests here.)
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session, select

from app.models import (
    AgreedRating,
    Framework,
    Participant,
    Plan,
    Priority,
    Rating,
    Round,
    Statement,
    Team,
    TeamMember,
    User,
)
from app.plans.forms import ActionForm, PriorityForm
from app.plans.service import actions as actions_service
from app.plans.service import plans as plans_service
from app.plans.service import priorities as priorities_service
from app.rounds import service as rounds_service
from tests.factories import make_member, make_person, make_round, make_team, small_framework


def statement(session: Session, framework: Framework, code: str) -> Statement:
    return session.exec(
        select(Statement).where(Statement.framework_id == framework.id, Statement.code == code)
    ).one()


def closed_round(
    session: Session,
    team: Team,
    framework: Framework,
    *,
    title: str = "Baseline",
    held_on: date = date(2026, 3, 2),
    agreed: dict[str, int | None] | None = None,
    people: list[tuple[str, dict[str, tuple[int | None, bool]]]] | None = None,
) -> Round:
    """A round closed through the rounds service, with ratings and agreed levels."""
    round_ = make_round(session, team, framework, title=title, held_on=held_on, status="open")
    for perspective, answers in people or []:
        participant = Participant(
            round_id=round_.id, token_hash=uuid.uuid4().hex, perspective=perspective
        )
        session.add(participant)
        session.flush()
        for code, (level, matters) in answers.items():
            session.add(
                Rating(
                    round_id=round_.id,
                    participant_id=participant.id,
                    statement_id=statement(session, framework, code).id,
                    level=level,
                    matters_most=matters,
                )
            )
    for code, level in (agreed or {}).items():
        session.add(
            AgreedRating(
                round_id=round_.id,
                statement_id=statement(session, framework, code).id,
                level=level,
            )
        )
    session.commit()
    rounds_service.close_round(session, round_)
    session.commit()  # services flush; the caller commits
    return round_


@dataclass
class World:
    team: Team
    framework: Framework
    round: Round
    fac_user: User
    fac: TeamMember
    staff_user: User
    staff: TeamMember
    su_user: User
    su: TeamMember
    owner_user: User
    owner: TeamMember
    member_user: User
    member: TeamMember
    peer: TeamMember  # no account
    su2: TeamMember  # no account


def make_world(session: Session, team_name: str = "Team A", prefix: str = "") -> World:
    team = make_team(session, team_name)
    team.created_at = datetime(2025, 1, 6, 9, tzinfo=UTC)  # reviews and celebrations date from it
    session.add(team)
    framework = session.exec(select(Framework).where(Framework.key == "small")).first()
    framework = framework or small_framework(session)
    fac_user, fac = make_person(
        session, team, prefix + "fac", role="facilitator", name="Fran Facilitator"
    )
    staff_user, staff = make_person(session, team, prefix + "staffer", name="Sam Staff")
    su_user, su = make_person(
        session, team, prefix + "sue", perspective="service_user", name="Sue User"
    )
    owner_user, owner = make_person(session, team, prefix + "owner", name="Omar Owner")
    member_user, member = make_person(
        session, team, prefix + "member", perspective="carer", name="Mo Member"
    )
    peer = make_member(session, team, "Pat Peer", perspective="peer_worker")
    su2 = make_member(session, team, "Uma User", perspective="service_user")
    round_ = closed_round(
        session, team, framework, agreed={"C1.1": 1, "C1.2": 2, "C2.1": 3, "C2.2": 4}
    )
    session.commit()  # the app's requests write (sign-in, audit): no lock held here
    return World(
        team, framework, round_, fac_user, fac, staff_user, staff, su_user, su,
        owner_user, owner, member_user, member, peer, su2,
    )  # fmt: skip


def add_priority(
    session: Session,
    w: World,
    plan: Plan,
    title: str,
    *,
    staff: TeamMember | None = None,
    service_user: TeamMember | None = None,
    impact: str = "high",
    effort: str = "low",
    codes: tuple[str, ...] = ("C1.1",),
) -> Priority:
    form = PriorityForm(
        title=title,
        impact=impact,
        effort=effort,
        staff_colead_id=staff.id if staff else None,
        service_user_colead_id=service_user.id if service_user else None,
        statement_ids=[statement(session, w.framework, c).id for c in codes],
    )
    priority = priorities_service.add_priority(session, plan, form, actor=w.fac_user)
    session.commit()
    return priority


def add_action(
    session: Session,
    w: World,
    priority: Priority,
    what: str,
    *,
    owner: TeamMember | None = None,
    due_on: date | None = None,
    status: str = "not_started",
    at=None,
):
    plan = session.get(Plan, priority.plan_id)
    form = ActionForm(
        what=what, owner_member_id=owner.id if owner else None, due_on=due_on, status=status
    )
    from tests.conftest import START

    action = actions_service.add_action(
        session, priority, plan, form, actor=w.fac_user, at=at or START
    )
    session.commit()
    return action


def draft_plan(session: Session, w: World, title: str = "Our plan") -> Plan:
    plan = plans_service.create_plan(
        session,
        team=w.team,
        title=title,
        source_round=w.round,
        carry_action_ids=[],
        actor=w.fac_user,
    )
    session.commit()
    return plan


def agreed_plan(session: Session, w: World):
    """A plan with 3 co-led priorities (Sue co-leads the first), agreed on 2026-03-10.

    Actions: Omar owns one on priority 1; Sam co-leads priority 2 with its own action.
    """
    plan = draft_plan(session, w)
    p1 = add_priority(session, w, plan, "Recovery stories", staff=w.staff, service_user=w.su)
    p2 = add_priority(
        session, w, plan, "Peer training", staff=w.peer, service_user=w.su2, effort="high"
    )
    p3 = add_priority(
        session, w, plan, "Shared notes", staff=w.fac, service_user=w.su2, impact="low"
    )
    a1 = add_action(session, w, p1, "Invite speakers", owner=w.owner, due_on=date(2026, 4, 1))
    a2 = add_action(session, w, p2, "Book a trainer", owner=w.member, due_on=date(2026, 5, 1))
    a3 = add_action(session, w, p3, "Try a shared note", owner=w.fac)
    problems = plans_service.agree_plan(session, plan, actor=w.fac_user, today=date(2026, 3, 10))
    assert problems == []
    session.commit()
    return plan, (p1, p2, p3), (a1, a2, a3)
