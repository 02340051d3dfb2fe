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
    team: Team | None = None,
    framework: Framework | None = None,
    *,
    title: str = "Baseline",
    held_on=None,
    status: str = "draft",
    mode: str = "self_paced",
    code: str | None = None,
):
    """A round through the rounds service; status "open" or "closed" goes through the verbs
    (closing writes the summaries and publishes). Without a team, one named after the code;
    without a framework, the small one; `code` sets its join code."""
    from datetime import date

    from app.rounds import service as rounds_service

    team = team or make_team(session, f"Team {code or 'R'}")
    framework = framework or small_framework(session)
    round_ = rounds_service.create_round(
        session,
        team=team,
        framework=framework,
        title=title,
        held_on=held_on or date(2026, 11, 23),
        mode=mode,
    )
    if code:
        round_.join_code = code
        session.add(round_)
    if status in ("open", "closed"):
        rounds_service.open_round(session, round_)
    if status == "closed":
        rounds_service.close_round(session, round_)
    session.commit()
    return round_


def add_participant(session: Session, round_, perspective, answers=None, alias=None):
    """A participant with ratings written directly. answers: {statement_id: (level,
    matters_most, comment)}"""
    import random

    from app.models import Participant, Rating

    participant = Participant(
        round_id=round_.id,
        token_hash=f"{round_.id}-{random.random()}",
        perspective=perspective,
        alias=alias,
    )
    session.add(participant)
    session.flush()
    for statement_id, (level, matters, comment) in (answers or {}).items():
        session.add(
            Rating(
                round_id=round_.id,
                participant_id=participant.id,
                statement_id=statement_id,
                level=level,
                matters_most=matters,
                comment=comment,
            )
        )
    session.commit()
    return participant


# --- a participant's phone (the workshop) -------------------------------------------------

CODE = "KX7P2M"


def workshop_round(session: Session, *, status: str = "open", code: str = CODE, framework=None):
    """An open round with a known join code, for a participant's phone."""
    return make_round(
        session, framework=framework, title="Baseline, November", status=status, code=code
    )


def statement_ids(engine, framework_id: int) -> list[int]:
    from app.models import Statement

    with Session(engine) as s:
        return list(
            s.exec(
                select(Statement.id)
                .where(Statement.framework_id == framework_id)
                .order_by(Statement.position, Statement.id)
            ).all()
        )


def count(engine, model=None) -> int:
    from sqlmodel import func

    from app.models import Rating

    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(model or Rating)).one()


def ratings(engine) -> list:
    from app.models import Rating

    with Session(engine) as s:
        return list(s.exec(select(Rating).order_by(Rating.id)).all())


def participants(engine) -> list:
    from app.models import Participant

    with Session(engine) as s:
        return list(s.exec(select(Participant).order_by(Participant.id)).all())


def join(
    client, code: str = CODE, perspective: str = "staff", alias: str = "", **extra: str
) -> str:
    """Choose a perspective (extra: easy_read="1"…); return the participant cookie's value."""
    assert client.get(f"/r/{code}").status_code == 200
    response = client.form(f"/r/{code}", {"perspective": perspective, "alias": alias, **extra})
    assert response.status_code == 303, response.text
    assert response.headers["location"] in (f"/r/{code}/statements/1", f"/r/{code}/room")
    return client.cookies.get(f"trip_p_{code}")


def participant_csrf(client, code: str = CODE) -> str:
    from app.security.csrf import token_for
    from tests.conftest import SECRET

    return token_for(SECRET, client.cookies.get(f"trip_p_{code}"))


def rate(client, statement_id: int, level, *, code: str = CODE, htmx: bool = True, **extra):
    """Post one statement as the page's htmx does (CSRF from the participant cookie)."""
    data = {f"level-{statement_id}": str(level), **extra}
    headers = {"X-CSRF-Token": participant_csrf(client, code)}
    if htmx:
        headers["HX-Request"] = "true"
    return client.post(
        f"/r/{code}/ratings/{statement_id}", data=data, headers=headers, follow_redirects=False
    )


def make_api_token(session: Session, user: User, name: str = "report"):
    """An API token for `user` through the api service: (its row, the plain value)."""
    from app.api import service as api_service

    token, plain = api_service.create_token(session, user=user, name=name)
    session.commit()
    return token, plain
