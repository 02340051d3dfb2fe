"""Helpers for the workshop tests (no tests here): a round, joining, rating, counting."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, func, select

from app.models import Participant, Rating, Round, Statement
from app.security.csrf import token_for
from tests.conftest import SECRET
from tests.factories import make_team, small_framework

CODE = "KX7P2M"


def make_round(session: Session, *, status: str = "open", code: str = CODE, framework=None):
    team = make_team(session, f"Team {code}")
    framework = framework or small_framework(session)
    found = Round(
        team_id=team.id,
        framework_id=framework.id,
        title="Baseline, November",
        held_on=date(2026, 11, 23),
        status=status,
        join_code=code,
    )
    session.add(found)
    session.commit()
    return found


def statement_ids(engine, framework_id: int) -> list[int]:
    with Session(engine) as s:
        return list(
            s.exec(
                select(Statement.id)
                .where(Statement.framework_id == framework_id)
                .order_by(Statement.position, Statement.id)
            ).all()
        )


def count(engine, model=Rating) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(model)).one()


def ratings(engine) -> list[Rating]:
    with Session(engine) as s:
        return list(s.exec(select(Rating).order_by(Rating.id)).all())


def participants(engine) -> list[Participant]:
    with Session(engine) as s:
        return list(s.exec(select(Participant).order_by(Participant.id)).all())


def join(client, code: str = CODE, perspective: str = "staff", alias: str = "") -> str:
    """Choose a perspective; return the participant cookie's value."""
    assert client.get(f"/r/{code}").status_code == 200
    response = client.form(f"/r/{code}", {"perspective": perspective, "alias": alias})
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/r/{code}/sections/1"
    return client.cookies.get(f"trip_p_{code}")


def participant_csrf(client, code: str = CODE) -> str:
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
