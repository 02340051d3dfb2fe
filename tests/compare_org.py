"""A small invented organisation for the compare and API tests, built by direct inserts.

Hand-computed figures (today = 1 Oct 2025):

Team 1 "Alder Team" (North, community, alpha): rounds 5 Jan (C1 4.0), 10 Jan 2025
(C1.1=1, C1.2=2, C1.3=don't know, C2.1=2, C2.2=2 → C1 1.5 n2, C2 2.0 n2) and 15 Jul 2025
(C1.1=3, C1.2=2, C1.3=2, C2.1=1, C2.2 unrated → C1 2.333 n3 ▲0.8, C2 1.0 n1 ▼1.0); an open
round after that is ignored. People in the latest round: 4 staff, 1 peer, 2 service users,
1 carer → 3 of 8. Plan (agreed, review due 1 Sep 2025 → overdue): 2 priorities (1 with both
co-leads), actions: done (service user), in progress due 1 Aug (overdue, staff), not started
due 1 Dec (service user), dropped (left out) → 1 of 3 done, 1 overdue, 2 of 3 owned by
service users. Reviews 1 Apr and 15 Jun 2025 (and 1 Dec 2024 of an old closed plan).
Team 2 "Birch Team" (North, inpatient, beta): one round 1 Mar 2024 (C1 3.5 n2, C3 2.0 n1) →
no round for 12 months; 3 staff and 3 service users → 3 of 6; no plan, no review.
Team 3 "Cedar Team" (South, community, alpha): 1 Feb 2025 (v1: C1 2.0, C2 3.0) and 20 Aug
2025 (v2: C1.1=2, C1.2=3, C1.3=3 → C1 2.667 ▲0.7; C2 none agreed) ; 5 staff → 0 of 5. Plan
(agreed, review due 1 Jan 2026): 1 co-led priority, 1 action done (owned by a carer) → 1 of
1; review 10 Sep 2025; a newer draft plan is ignored.

Each summary has its ratings behind it, and every closed round is published as closing it
would (app.rounds.service.publish_close): compare and the API read the published cells. Published
head counts: Team 1 8 (staff side 5, other 3: the 2 service users and the carer are too few
on their own, so "people who use the service or family" is not shown); Team 2 6 (staff
side 3, service users 3 → 3 of 6); Team 3 5 (staff side 5 → 0 of 5).
"""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlmodel import Session

from app.models import (
    Action,
    ActionUpdate,
    AgreedRating,
    Framework,
    Participant,
    Plan,
    Priority,
    PriorityStatement,
    Rating,
    Review,
    Round,
    Section,
    Statement,
    StatementSummary,
    Team,
    TeamMember,
)
from app.rounds import service as rounds_service
from tests.factories import make_service, make_user

TODAY = datetime(2025, 10, 1, 12, 0, tzinfo=UTC)
SCALE = [
    {"level": 1, "label": "Not yet", "description": "Not yet."},
    {"level": 2, "label": "Starting", "description": "Starting."},
    {"level": 3, "label": "Developing", "description": "Developing."},
    {"level": 4, "label": "Established", "description": "Established."},
]
PEOPLE_NAMES = (
    "Priya Staffmember",
    "Sam Userperson",
    "Casey Carerperson",
    "Morgan Otherstaff",
    "Jo Wardstaff",
    "Rene Cedarstaff",
    "Kit Cedarcarer",
    "Lee Memberaccount",
    "Ash Cedaruser",
)
_codes = itertools.count(100000)


@dataclass
class Org:
    teams: dict[str, Team] = field(default_factory=dict)
    statements: dict[tuple[str, str], Statement] = field(default_factory=dict)  # (fw, code)
    rounds: dict[str, Round] = field(default_factory=dict)
    plans: dict[str, Plan] = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)  # (round id, perspective) → [Participant]


def _framework(session, org, name, key, version, sections):
    fw = Framework(
        key=key,
        version=version,
        title=f"{key.title()} benchmarks",
        setting="community",
        scale=SCALE,
        checksum=secrets.token_hex(8),
    )
    session.add(fw)
    session.flush()
    for position, (code, statement_codes) in enumerate(sections.items()):
        section = Section(framework_id=fw.id, code=code, title=f"Section {code}", position=position)
        session.add(section)
        session.flush()
        for n, s_code in enumerate(statement_codes):
            st = Statement(
                framework_id=fw.id,
                section_id=section.id,
                code=s_code,
                text=f"Statement {s_code} of {key}",
                position=n,
            )
            session.add(st)
            session.flush()
            org.statements[(name, s_code)] = st
    return fw


def _round(session, org, name, team, fw, held_on, agreed, fw_name, status="closed"):
    rnd = Round(
        team_id=team.id,
        framework_id=fw.id,
        title=name,
        held_on=held_on,
        status=status,
        join_code=str(next(_codes)),
        closed_at=TODAY if status == "closed" else None,
    )
    session.add(rnd)
    session.flush()
    for code, level in agreed.items():
        st = org.statements[(fw_name, code)]
        session.add(AgreedRating(round_id=rnd.id, statement_id=st.id, level=level))
    org.rounds[name] = rnd
    return rnd


def _people(session, org, rnd, **counts):
    for perspective, n in counts.items():
        found = org.people.setdefault((rnd.id, perspective), [])
        for _ in range(n):
            person = Participant(
                round_id=rnd.id, token_hash=secrets.token_hex(16), perspective=perspective
            )
            session.add(person)
            found.append(person)
    session.flush()


def _summary(session, org, rnd, st, perspective, levels=(0, 0, 0, 0), dont_know=0):
    """The summary of one perspective's answers, and the ratings behind it."""
    answers = [level for level in (1, 2, 3, 4) for _ in range(levels[level - 1])]
    answers += [None] * dont_know
    for person, level in zip(org.people[(rnd.id, perspective)], answers, strict=False):
        session.add(
            Rating(round_id=rnd.id, participant_id=person.id, statement_id=st.id, level=level)
        )
    session.add(
        StatementSummary(
            round_id=rnd.id,
            statement_id=st.id,
            perspective=perspective,
            level_1=levels[0],
            level_2=levels[1],
            level_3=levels[2],
            level_4=levels[3],
            dont_know=dont_know,
            n=sum(levels) + dont_know,
        )
    )


def _member(session, team, name, perspective, user=None):
    m = TeamMember(
        team_id=team.id,
        display_name=name,
        perspective=perspective,
        user_id=user.id if user else None,
    )
    session.add(m)
    session.flush()
    return m


def build_org(session: Session) -> Org:
    org = Org()
    north, south = make_service(session, "North"), make_service(session, "South")
    alpha1 = _framework(
        session,
        org,
        "alpha1",
        "alpha",
        "1",
        {"C1": ["C1.1", "C1.2", "C1.3"], "C2": ["C2.1", "C2.2"]},
    )
    alpha2 = _framework(
        session,
        org,
        "alpha2",
        "alpha",
        "2",
        {"C1": ["C1.1", "C1.2", "C1.3"], "C2": ["C2.1", "C2.2"]},
    )
    beta = _framework(session, org, "beta", "beta", "1", {"C1": ["C1.1", "C1.2"], "C3": ["C3.1"]})
    for key, service, setting, fw in (
        ("alder", north, "community", "alpha"),
        ("birch", north, "inpatient", "beta"),
        ("cedar", south, "community", "alpha"),
    ):
        team = Team(
            service_id=service.id,
            name=f"{key.title()} Team",
            setting=setting,
            default_framework_key=fw,
        )
        session.add(team)
        session.flush()
        org.teams[key] = team
    alder, birch, cedar = org.teams["alder"], org.teams["birch"], org.teams["cedar"]

    # Team 1
    _round(
        session,
        org,
        "a0",
        alder,
        alpha1,
        date(2025, 1, 5),
        {"C1.1": 4, "C1.2": 4, "C1.3": 4},
        "alpha1",
    )
    a1 = _round(
        session,
        org,
        "a1",
        alder,
        alpha1,
        date(2025, 1, 10),
        {"C1.1": 1, "C1.2": 2, "C1.3": None, "C2.1": 2, "C2.2": 2},
        "alpha1",
    )
    a2 = _round(
        session,
        org,
        "a2",
        alder,
        alpha1,
        date(2025, 7, 15),
        {"C1.1": 3, "C1.2": 2, "C1.3": 2, "C2.1": 1},
        "alpha1",
    )
    _round(
        session, org, "a3", alder, alpha1, date(2025, 9, 1), {"C1.1": 4}, "alpha1", status="open"
    )
    _people(session, org, a2, staff=4, peer_worker=1, service_user=2, carer=1)
    c11, c12 = org.statements[("alpha1", "C1.1")], org.statements[("alpha1", "C1.2")]
    _summary(session, org, a2, c11, "staff", (0, 0, 3, 1))
    _summary(session, org, a2, c11, "peer_worker", (0, 1, 0, 0))
    _summary(session, org, a2, c11, "service_user", (0, 0, 1, 0), dont_know=1)
    _summary(session, org, a2, c11, "carer", (1, 0, 0, 0))
    _summary(session, org, a2, c12, "staff", (0, 4, 0, 0))
    _summary(session, org, a2, c12, "carer", (1, 0, 0, 0))

    # Team 2
    b1 = _round(
        session, org, "b1", birch, beta, date(2024, 3, 1), {"C1.1": 4, "C1.2": 3, "C3.1": 2}, "beta"
    )
    _people(session, org, b1, staff=3, service_user=3)

    # Team 3
    c1 = _round(
        session,
        org,
        "c1",
        cedar,
        alpha1,
        date(2025, 2, 1),
        {"C1.1": 2, "C1.2": 2, "C1.3": 2, "C2.1": 3, "C2.2": 3},
        "alpha1",
    )
    c2 = _round(
        session,
        org,
        "c2",
        cedar,
        alpha2,
        date(2025, 8, 20),
        {"C1.1": 2, "C1.2": 3, "C1.3": 3, "C2.1": None},
        "alpha2",
    )
    _people(session, org, c2, staff=5)
    _summary(
        session, org, c2, org.statements[("alpha2", "C1.1")], "staff", (0, 0, 4, 0), dont_know=1
    )
    _summary(session, org, c2, org.statements[("alpha2", "C1.2")], "staff", (0, 0, 5, 0))

    # People on the teams' lists (named only inside their team)
    member_user = make_user(session, "lee")
    priya = _member(session, alder, "Priya Staffmember", "staff")
    sam = _member(session, alder, "Sam Userperson", "service_user")
    _member(session, alder, "Casey Carerperson", "carer")
    morgan = _member(session, alder, "Morgan Otherstaff", "staff")
    _member(session, alder, "Lee Memberaccount", "staff", user=member_user)
    _member(session, birch, "Jo Wardstaff", "staff")
    rene = _member(session, cedar, "Rene Cedarstaff", "staff")
    kit = _member(session, cedar, "Kit Cedarcarer", "carer")
    cedar_su = _member(session, cedar, "Ash Cedaruser", "service_user")

    # Plans
    old = Plan(team_id=alder.id, title="Old plan", status="closed", source_round_id=None)
    p1 = Plan(
        team_id=alder.id,
        title="Alder plan",
        status="agreed",
        source_round_id=a1.id,
        agreed_on=date(2025, 2, 1),
        review_due=date(2025, 9, 1),
    )
    p3 = Plan(
        team_id=cedar.id,
        title="Cedar plan",
        status="agreed",
        source_round_id=c1.id,
        agreed_on=date(2025, 3, 1),
        review_due=date(2026, 1, 1),
    )
    p4 = Plan(team_id=cedar.id, title="Cedar draft", status="draft", source_round_id=c2.id)
    session.add_all([old, p1, p3, p4])
    session.flush()
    org.plans.update(old=old, p1=p1, p3=p3, p4=p4)
    pr1 = Priority(
        plan_id=p1.id,
        title="Ask what matters",
        staff_colead_id=priya.id,
        service_user_colead_id=sam.id,
    )
    pr2 = Priority(plan_id=p1.id, title="Peer training", staff_colead_id=morgan.id)
    pr3 = Priority(
        plan_id=p3.id,
        title="Hopes first",
        staff_colead_id=rene.id,
        service_user_colead_id=cedar_su.id,
    )
    pr4 = Priority(plan_id=p4.id, title="Draft idea", staff_colead_id=rene.id)
    session.add_all([pr1, pr2, pr3, pr4])
    session.flush()
    session.add_all(
        [
            PriorityStatement(priority_id=pr1.id, statement_id=c11.id),
            PriorityStatement(
                priority_id=pr2.id, statement_id=org.statements[("alpha1", "C2.1")].id
            ),
            PriorityStatement(priority_id=pr3.id, statement_id=c11.id),
            PriorityStatement(priority_id=pr4.id, statement_id=c12.id),
        ]
    )
    done = Action(
        priority_id=pr1.id,
        what="Start meetings with hopes",
        owner_member_id=sam.id,
        due_on=date(2025, 5, 1),
        status="done",
    )
    session.add_all(
        [
            done,
            Action(
                priority_id=pr1.id,
                what="Change the first letter",
                owner_member_id=priya.id,
                due_on=date(2025, 8, 1),
                status="in_progress",
            ),
            Action(
                priority_id=pr2.id,
                what="Book a peer trainer",
                owner_member_id=sam.id,
                due_on=date(2025, 12, 1),
                status="not_started",
            ),
            Action(
                priority_id=pr2.id,
                what="Old idea",
                owner_member_id=morgan.id,
                due_on=date(2025, 1, 1),
                status="dropped",
            ),
            Action(
                priority_id=pr3.id,
                what="Ask about hopes",
                owner_member_id=kit.id,
                due_on=date(2025, 6, 1),
                status="done",
            ),
        ]
    )
    session.flush()
    session.add(
        ActionUpdate(
            action_id=done.id,
            author_member_id=sam.id,
            note="Sam Userperson says it went well",
            status_from="in_progress",
            status_to="done",
            at=datetime(2025, 5, 2, tzinfo=UTC),
        )
    )
    session.add_all(
        [
            Review(plan_id=p1.id, held_on=date(2025, 4, 1), notes="Priya Staffmember led"),
            Review(plan_id=p1.id, held_on=date(2025, 6, 15)),
            Review(plan_id=old.id, held_on=date(2024, 12, 1)),
            Review(plan_id=p3.id, held_on=date(2025, 9, 10)),
        ]
    )
    session.flush()
    publish_closed_rounds(session, org)
    session.commit()
    org.users["lead"] = make_user(session, "lena", role="recovery_lead")
    org.users["admin"] = make_user(session, "ada", role="admin")
    org.users["member"] = member_user
    return org


def publish_closed_rounds(session: Session, org: Org) -> None:
    """Publish every closed round's figures, as closing it would."""
    for rnd in org.rounds.values():
        if rnd.status == "closed":
            ids = [st.id for st in org.statements.values() if st.framework_id == rnd.framework_id]
            rounds_service.publish_close(session, rnd, ids)
