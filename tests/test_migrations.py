"""Models and migrations agree, and the migrations go up, down and up again.

On SQLite in a temporary file; on PostgreSQL (TRIP_TEST_DB=postgres) in a throwaway schema,
so the shared test database's tables are left alone.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine

from app.db import alembic_config, make_engine, normalise_url
from app.main import create_app
from app.models import metadata
from tests.conftest import PG_URL, POSTGRES, _settings


@dataclass
class Target:
    url: str
    engine: Engine
    schema: str | None = None

    def config(self):
        config = alembic_config()
        config.attributes["url"] = self.url
        config.attributes["configure_logger"] = False
        if self.schema:
            config.attributes["schema"] = self.schema
        return config

    def upgrade(self, revision: str = "head") -> None:
        command.upgrade(self.config(), revision)

    def downgrade(self, revision: str = "base") -> None:
        command.downgrade(self.config(), revision)

    def tables(self) -> set[str]:
        with self.engine.connect() as connection:
            return set(inspect(connection).get_table_names(schema=self.schema))

    def differences(self) -> list:
        with self.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            return compare_metadata(context, metadata)


@pytest.fixture
def target(tmp_path) -> Iterator[Target]:
    if not POSTGRES:
        url = f"sqlite:///{tmp_path / 'migrations.db'}"
        engine = make_engine(url, pool_size=1)
        yield Target(url, engine)
        engine.dispose()
        return
    schema = f"trip_migrations_{secrets.token_hex(4)}"
    admin = make_engine(PG_URL, pool_size=1)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    # every connection of this engine looks in the throwaway schema first
    engine = create_engine(
        normalise_url(PG_URL), connect_args={"options": f"-csearch_path={schema}"}
    )
    try:
        yield Target(PG_URL, engine, schema)
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_models_and_migrations_agree(target):
    target.upgrade()
    differences = target.differences()
    assert differences == [], (
        "the models and the migrations differ; write a migration for:\n"
        + "\n".join(map(str, differences))
    )
    assert target.tables() >= {t.name for t in metadata.sorted_tables}


def test_upgrade_downgrade_upgrade(target):
    target.upgrade()
    tables = target.tables()
    assert "alembic_version" in tables and "team" in tables
    target.downgrade("base")
    assert target.tables() <= {"alembic_version"}
    target.upgrade()
    assert target.tables() == tables
    assert target.differences() == []


def test_migrations_stay_in_the_throwaway_schema(target):
    if not POSTGRES:
        pytest.skip("PostgreSQL only: SQLite uses its own temporary file")
    target.upgrade()
    with target.engine.connect() as connection:
        found = connection.execute(
            text("SELECT table_schema FROM information_schema.tables WHERE table_name = 'team'")
        ).scalars()
        assert target.schema in set(found)
        version = connection.execute(
            text(f'SELECT version_num FROM "{target.schema}".alembic_version')
        ).scalar_one()
    assert version


def test_readyz_says_behind_then_at_head(target):
    application = create_app(_settings(target.url), target.engine)
    with TestClient(application) as client:
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["migrations"] == "behind"
        assert response.json()["current"] == "none"
        target.upgrade()
        response = client.get("/readyz")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok" and body["migrations"] == "at head"
        assert body["current"] == body["head"]


def test_no_migration_is_left_out_of_the_chain():
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    assert len(scripts.get_heads()) == 1, "more than one head: merge the migrations"
    names = os.listdir(scripts.versions)
    assert all(n[:4].isdigit() for n in names if n.endswith(".py")), names


def test_rounds_closed_before_publications_are_published_by_the_migration(target):
    """A round closed before publications existed keeps readable figures: the migration
    publishes its stored summaries once, with the same floor as a first close."""
    from sqlmodel import Session, select

    from app.models import PublishedCell, Round
    from app.rounds import queries as rounds_queries
    from app.rounds import service as rounds_service
    from app.workshop.service import join_round, save_rating
    from tests.factories import make_round, make_team, small_framework

    target.upgrade()
    with Session(target.engine) as session:
        framework = small_framework(session)
        round_ = make_round(session, make_team(session), framework, status="open")
        statement = rounds_queries.framework_statements(session, framework.id)[0]
        for perspective in ["staff"] * 3 + ["service_user"] * 3 + ["carer"] * 3:
            participant, _ = join_round(session, round_, perspective, None)
            save_rating(
                session, participant=participant, round=round_, statement_id=statement.id, level=2
            )
        rounds_service.close_round(session, round_)
        session.commit()  # services flush; the caller commits
        before = sorted(
            (c.group, c.n, c.level_2)
            for c in session.exec(select(PublishedCell).where(PublishedCell.round_id == round_.id))
        )
    assert ("all", 9, 9) in before and ("staff_side", 3, 3) in before
    target.downgrade("71eb4bdb3f87")  # as the database was before publications
    target.upgrade()
    with Session(target.engine) as session:
        round_ = session.get(Round, round_.id)
        assert round_.publication_id is not None
        after = sorted(
            (c.group, c.n, c.level_2)
            for c in session.exec(
                select(PublishedCell).where(PublishedCell.publication_id == round_.publication_id)
            )
        )
    assert after == before


def test_phone_rounds_become_self_paced_rounds(target):
    """Before room modes a round was rated on `phones` or as a `group`; the migration makes
    every phones round `self_paced` (led rounds are new) and leaves group rounds alone."""
    from sqlmodel import Session

    from tests.factories import make_round, make_team, small_framework

    target.upgrade()
    with Session(target.engine) as session:
        framework = small_framework(session)
        team = make_team(session)
        ids = [
            make_round(session, team, framework, title=title, status=status, mode=mode).id
            for title, status, mode in (
                ("Open on phones", "open", "self_paced"),
                ("Draft on phones", "draft", "led"),
                ("Together", "open", "group"),
            )
        ]
        session.commit()
    target.downgrade("c4e8a1f2d7b9")  # as the database was before room modes
    with target.engine.begin() as connection:
        modes = connection.execute(text('SELECT id, mode FROM "round" ORDER BY id')).all()
    assert [mode for _id, mode in modes] == ["phones", "phones", "group"]
    target.upgrade()
    with target.engine.connect() as connection:
        modes = dict(connection.execute(text('SELECT id, mode FROM "round"')).all())
    assert [modes[i] for i in ids] == ["self_paced", "self_paced", "group"]
