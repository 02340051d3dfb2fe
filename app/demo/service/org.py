"""Demo services, teams, people and one account of each kind (all invented)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from app.accounts.service import create_user
from app.config import ROOT
from app.frameworks.service import import_frameworks
from app.models import Service, Team, TeamMember

DEMO_PASSWORD_SUFFIX = "-demo-2026"

SERVICES = {
    "Riverside Adult Mental Health": [
        ("Riverside North Community Team", "community", "community"),
        ("Riverside South Community Team", "community", "community"),
        ("Willow Ward", "inpatient", "inpatient"),
        ("Harbour Crisis Team", "crisis", "community"),
    ],
    "Hillcrest Recovery Services": [
        ("Oak House Rehabilitation", "rehabilitation", "community"),
        ("Hillcrest Peer Support Network", "voluntary-sector", "community"),
    ],
    "Coastway Mental Health Services": [
        ("Coastway East Community Team", "community", "community"),
        ("Coastway West Community Team", "community", "community"),
        ("Bramble Ward", "inpatient", "inpatient"),
        ("Lighthouse Crisis Team", "crisis", "community"),
        ("Meadow Lodge Rehabilitation", "rehabilitation", "community"),
        ("Early Intervention Team", "community", "community"),
    ],
}

# invented first names with a perspective, used for every team's list
PEOPLE = [
    ("Priya", "staff"),
    ("Tom", "staff"),
    ("Aisha", "staff"),
    ("Gareth", "peer_worker"),
    ("Morgan", "service_user"),
    ("Dee", "service_user"),
    ("Sam", "service_user"),
    ("Lin", "carer"),
    ("Chris", "community"),
]

ACCOUNTS = [
    ("admin", "admin", "Administrator", None, None),
    ("lead", "recovery_lead", "Recovery lead", None, None),
    ("facilitator", "user", "Facilitator (Riverside North)", "Priya", "facilitator"),
    ("member", "user", "Team member, staff (Riverside North)", "Tom", "member"),
    ("morgan", "user", "Team member who uses the service", "Morgan", "member"),
]


def load(session: Session, context: dict) -> None:
    benchmarks = sorted(Path(ROOT, "benchmarks").glob("*.yaml"))
    import_frameworks(session, benchmarks)
    teams: list[Team] = []
    members: dict[int, dict[str, TeamMember]] = {}
    for service_name, team_specs in SERVICES.items():
        service = Service(name=service_name)
        session.add(service)
        session.flush()
        for team_name, setting, framework_key in team_specs:
            team = Team(
                service_id=service.id,
                name=team_name,
                setting=setting,
                default_framework_key=framework_key,
            )
            session.add(team)
            session.flush()
            teams.append(team)
            members[team.id] = {}
            for index, (first, perspective) in enumerate(PEOPLE):
                initial = chr(ord("A") + (team.id * 3 + index) % 26)
                member = TeamMember(
                    team_id=team.id,
                    display_name=f"{first} {initial}.",
                    perspective=perspective,
                    role="facilitator" if index == 0 else "member",
                )
                session.add(member)
                members[team.id][first] = member
    session.flush()
    home = teams[0]
    accounts = []
    for username, role, what, first, team_role in ACCOUNTS:
        password = username + DEMO_PASSWORD_SUFFIX
        user = create_user(
            session, username=username, password=password, role=role, check_password=False
        )
        if first:
            member = members[home.id][first]
            member.user_id = user.id
            member.role = team_role
            session.add(member)
        accounts.append((username, password, what))
    session.flush()
    context["teams"] = teams
    context["members"] = members
    context["accounts"] = accounts
