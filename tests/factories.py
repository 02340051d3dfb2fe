"""Small plain functions that make rows for tests. Each commits what it makes."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlmodel import Session, select

from app.frameworks.service import import_frameworks
from app.models import Framework, Service, Team, TeamMember, User
from app.security.passwords import hash_password

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "frameworks"
PASSWORD = "correct horse battery staple"


@lru_cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


def make_service(session: Session, name: str = "Test Service") -> Service:
    service = Service(name=name)
    session.add(service)
    session.commit()
    return service


def make_team(
    session: Session,
    name: str = "Team A",
    *,
    service: Service | None = None,
    setting: str = "community",
    framework_key: str | None = None,
) -> Team:
    if service is None:
        service = session.exec(select(Service)).first() or make_service(session)
    team = Team(
        service_id=service.id, name=name, setting=setting, default_framework_key=framework_key
    )
    session.add(team)
    session.commit()
    return team


def make_user(session: Session, username: str, role: str = "user", active: bool = True) -> User:
    user = User(username=username, password_hash=_password_hash(), role=role, active=active)
    session.add(user)
    session.commit()
    return user


def make_member(
    session: Session,
    team: Team,
    name: str = "Alex Example",
    *,
    perspective: str = "staff",
    role: str = "member",
    user: User | None = None,
) -> TeamMember:
    member = TeamMember(
        team_id=team.id,
        display_name=name,
        perspective=perspective,
        role=role,
        user_id=user.id if user else None,
    )
    session.add(member)
    session.commit()
    return member


def make_person(
    session: Session,
    team: Team,
    username: str,
    *,
    perspective: str = "staff",
    role: str = "member",
    name: str | None = None,
) -> tuple[User, TeamMember]:
    """An account on a team's list."""
    user = make_user(session, username)
    member = make_member(
        session, team, name or username.title(), perspective=perspective, role=role, user=user
    )
    return user, member


def small_framework(session: Session, version: str = "") -> Framework:
    """tests/fixtures/frameworks/valid_small.yaml (2 sections, 4 statements)."""
    path = FIXTURES / ("valid_small_v2.yaml" if version == "v2" else "valid_small.yaml")
    import_frameworks(session, [path])
    framework = session.exec(select(Framework).order_by(Framework.id.desc())).first()
    session.commit()  # end the read: on SQLite an open transaction holds the write lock
    return framework


def shipped_framework(session: Session, key: str = "community") -> Framework:
    import_frameworks(session, [ROOT / "benchmarks" / f"{key}.yaml"])
    framework = session.exec(select(Framework).where(Framework.key == key)).first()
    session.commit()  # end the read: on SQLite an open transaction holds the write lock
    return framework


def make_round(
    session: Session,
    team: Team,
    framework: Framework,
    *,
    title: str = "Baseline",
    held_on=None,
    status: str = "draft",
    mode: str = "phones",
):
    """A round through the rounds service; status "open" or "closed" goes through the verbs
    (closing writes the summaries)."""
    from datetime import date

    from app.rounds import service as rounds_service

    round_ = rounds_service.create_round(
        session,
        team=team,
        framework=framework,
        title=title,
        held_on=held_on or date(2026, 11, 23),
        mode=mode,
    )
    if status in ("open", "closed"):
        rounds_service.open_round(session, round_)
    if status == "closed":
        rounds_service.close_round(session, round_)
    return round_


def make_api_token(session: Session, user: User, name: str = "report"):
    """An API token for `user` through the api service: (its row, the plain value)."""
    from app.api import service as api_service

    token, plain = api_service.create_token(session, user=user, name=name)
    session.commit()
    return token, plain
