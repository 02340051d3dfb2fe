"""The demo shows what issue 13 promises a recovery lead: at least 12 teams on /compare,
at least 15 quarters of organisation history with an XmR chart, and "who to learn from"
naming teams (each once) on several statements."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.compare.queries import TeamFilter, build_view, trend
from app.demo.service import load_demo
from app.models import PriorityStatement, Team
from tests.conftest import soup


@pytest.fixture
def demo(session, client, clock):
    load_demo(session, clock=clock)
    session.commit()
    client.login("lead", "lead-demo-2026")
    return client


def test_the_demo_has_12_teams_15_quarters_and_teams_to_learn_from(demo, session):
    teams = session.exec(select(Team)).all()
    assert len(teams) >= 12
    assert len(trend(session, TeamFilter(), "C1")) >= 15
    statement_ids = set(session.exec(select(PriorityStatement.statement_id)).all())
    with_learn = []
    for statement_id in statement_ids:
        view = build_view(session, statement_id, TeamFilter())
        names = [s.team_id for s in view.learn_from]
        assert len(names) == len(set(names))  # never the same team twice
        if names:
            with_learn.append(statement_id)
    assert len(with_learn) >= 3
    session.commit()  # SQLite: every transaction holds the write lock
    page = soup(demo.get(f"/compare/statements/{with_learn[0]}"), status=200)
    assert page.select(".app-learn-from li")
    page = soup(demo.get("/compare/trend?section=C1"), status=200)
    assert page.select_one("svg.app-chart .app-chart__limit") is not None
    assert len(page.select("table.app-trend tbody tr")) >= 15
    page = soup(demo.get("/compare"), status=200)
    assert len(page.select("table.app-heat-table tbody tr")) >= 12
