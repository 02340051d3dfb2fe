"""`trip purge --individual-ratings-older-than DAYS`: individual ratings of closed rounds past
retention go; every figure stays the same; purged rounds cannot be reopened."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from app.cli import app as cli
from app.config import get_settings
from app.core.refused import Refused
from app.models import AgreedRating, AuditEvent, Participant, Rating, Round
from app.ops.service.retention import purge_individual_ratings
from app.rounds import queries as rounds_queries
from app.rounds import service as rounds_service
from tests.ops_data import aged_round, populate_team

runner = CliRunner()


def count(session, model, round_id: int) -> int:
    query = select(func.count()).select_from(model).where(model.round_id == round_id)
    return session.execute(query).scalar_one()


def figures(session, round_id: int):
    """The stored summaries and the published figures (what every reader shows)."""
    return rounds_queries.stored_counts(session, round_id), rounds_queries.published_spreads(
        session, round_id
    )


@pytest.fixture
def rounds(session, clock):
    """Old closed (purge), recent closed and open (keep), old closed without summaries."""
    now = clock.now
    populated = populate_team(session, "Riverside CMHT", closed_days_ago=400, now=now)
    team, framework = populated.team, populated.framework
    old = populated.rounds[0]
    recent = aged_round(session, team, framework, closed_days_ago=30, now=now)
    open_ = aged_round(session, team, framework, status="open", closed_days_ago=500, now=now)
    other = populate_team(session, "Oak Ward", closed_days_ago=10, now=now).team
    bare = aged_round(session, other, framework, closed_days_ago=800, summaries=False, now=now)
    return {"old": old, "recent": recent, "open": open_, "bare": bare}


def test_purge_keeps_every_figure_and_removes_individual_ratings(session, rounds, clock):
    old, recent, open_, bare = rounds["old"], rounds["recent"], rounds["open"], rounds["bare"]
    before = {name: figures(session, r.id) for name, r in rounds.items()}
    bare_live = rounds_queries.live_counts(session, bare.id)
    assert all(before["old"]) and all(before["recent"]) and not any(before["bare"])
    kept = {
        r.id: (count(session, Rating, r.id), count(session, Participant, r.id))
        for r in (recent, open_)
    }
    agreed_before = session.execute(select(func.count()).select_from(AgreedRating)).scalar_one()

    report = purge_individual_ratings(session, older_than_days=365, now=clock.now)

    session.expire_all()
    assert sorted(r.round_id for r in report.rounds) == sorted([old.id, bare.id])
    for r in (old, bare):
        assert count(session, Rating, r.id) == 0
        assert count(session, Participant, r.id) == 0
        assert session.get(Round, r.id).purged_at is not None
    assert figures(session, old.id) == before["old"]
    assert figures(session, bare.id) == (bare_live, {}), "summaries written before the purge"
    assert figures(session, recent.id) == before["recent"]
    for r in (recent, open_):
        assert (count(session, Rating, r.id), count(session, Participant, r.id)) == kept[r.id]
        assert session.get(Round, r.id).purged_at is None
    agreed_after = session.execute(select(func.count()).select_from(AgreedRating)).scalar_one()
    assert agreed_after == agreed_before
    events = session.exec(select(AuditEvent).where(AuditEvent.verb == "purge")).scalars().all()
    assert sorted(int(e.entity_id) for e in events) == sorted([old.id, bare.id])
    bare_event = next(e for e in events if int(e.entity_id) == bare.id)
    assert bare_event.detail["summaries_written"] is True
    assert (
        bare_event.detail["ratings"]
        == report.rounds[[r.round_id for r in report.rounds].index(bare.id)].ratings
    )

    # purged rounds cannot be reopened (the rounds service refuses)
    with pytest.raises(Refused):
        rounds_service.reopen_round(session, session.get(Round, old.id))
    assert figures(session, old.id) == before["old"]

    # a second purge finds nothing more to do
    assert purge_individual_ratings(session, older_than_days=365, now=clock.now).rounds == []


def test_dry_run_changes_nothing(session, rounds, clock):
    old = rounds["old"]
    ratings = count(session, Rating, old.id)
    report = purge_individual_ratings(session, older_than_days=365, now=clock.now, dry_run=True)
    session.expire_all()
    assert {r.round_id for r in report.rounds} == {old.id, rounds["bare"].id}
    assert report.ratings > 0
    assert count(session, Rating, old.id) == ratings
    assert session.get(Round, old.id).purged_at is None
    assert not any(figures(session, rounds["bare"].id)), "a dry run writes no summaries"


def test_purge_command(session, rounds, database_url, monkeypatch, clock):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    get_settings.cache_clear()
    try:
        result = runner.invoke(
            cli,
            ["purge", "--individual-ratings-older-than", "365", "--dry-run"],
            obj={"clock": clock},
        )
        assert result.exit_code == 0, result.output
        assert "Would remove" in result.output and "Nothing was changed" in result.output
        assert count(session, Rating, rounds["old"].id) > 0
        session.rollback()  # SQLite: every transaction holds the write lock (BEGIN IMMEDIATE)
        result = runner.invoke(
            cli, ["purge", "--individual-ratings-older-than", "365"], obj={"clock": clock}
        )
        assert result.exit_code == 0, result.output
        assert f"round {rounds['old'].id} " in result.output
        assert "Every figure stays the same" in result.output
        assert count(session, Rating, rounds["old"].id) == 0
        assert count(session, Rating, rounds["recent"].id) > 0
        result = runner.invoke(cli, ["purge", "--individual-ratings-older-than", "-1"])
        assert result.exit_code == 2
    finally:
        get_settings.cache_clear()
