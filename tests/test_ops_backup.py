"""`trip backup` and `trip restore`: an online SQLite backup restores every row; PostgreSQL
gets the pg_dump recipe (or pg_dump itself with --run-pg-dump)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app as cli
from app.config import get_settings
from app.db import alembic_config
from app.ops.service import backup as ops
from tests.conftest import POSTGRES
from tests.ops_data import populate_team

runner = CliRunner()
sqlite_only = pytest.mark.skipif(POSTGRES, reason="SQLite backup API (PostgreSQL: pg_dump)")
postgres_only = pytest.mark.skipif(not POSTGRES, reason="the pg_dump path needs PostgreSQL")


@pytest.fixture
def use_database(monkeypatch):
    """Point the `trip` command at a database URL."""

    def point(url: str) -> None:
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("SECRET_KEY", "x" * 40)
        get_settings.cache_clear()

    yield point
    get_settings.cache_clear()


def stamp_head(url: str) -> None:
    from alembic import command

    config = alembic_config()
    config.attributes["url"] = url
    config.attributes["configure_logger"] = False
    command.stamp(config, "head")


def all_rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}
    finally:
        conn.close()


@sqlite_only
def test_online_backup_during_a_write_then_restore_keeps_every_row(
    session, database_url, tmp_path, use_database
):
    populate_team(session, "Riverside CMHT")
    populate_team(session, "Oak Ward")
    live = ops.sqlite_path(database_url)
    stamp_head(database_url)
    before = all_rows(live)
    assert before["rating"] and before["statement_summary"] and before["action_update"]

    # another connection is part-way through a write and holds the write lock
    writer = sqlite3.connect(live, isolation_level=None, timeout=5)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        'INSERT INTO celebration (team_id, text, "on", created_at) '
        "VALUES (1, 'not yet committed', '2026-01-01', '2026-01-01 00:00:00')"
    )
    use_database(database_url)
    backup_file = tmp_path / "backups" / "trip-backup.db"
    started = time.perf_counter()
    result = runner.invoke(cli, ["backup", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert time.perf_counter() - started < 3, "the backup waited for the writer"
    assert "Backup written to" in result.output
    writer.execute("COMMIT")
    writer.close()
    assert not backup_file.with_name(backup_file.name + ".partial").exists()

    fresh = tmp_path / "restored" / "trip.db"
    use_database(f"sqlite:///{fresh}")
    result = runner.invoke(cli, ["restore", str(backup_file), "--yes"])
    assert result.exit_code == 0, result.output
    assert "2 team(s)" in result.output
    restored = all_rows(fresh)
    assert restored == before
    assert not [r for r in restored["celebration"] if "not yet committed" in r]


@sqlite_only
def test_backup_refuses_to_overwrite_without_force(session, database_url, tmp_path, use_database):
    populate_team(session, "Riverside CMHT")
    use_database(database_url)
    target = tmp_path / "exists.db"
    target.write_text("keep me")
    result = runner.invoke(cli, ["backup", str(target)])
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert target.read_text() == "keep me"
    result = runner.invoke(cli, ["backup", str(target), "--force"])
    assert result.exit_code == 0, result.output
    assert all_rows(target)["team"]


@sqlite_only
def test_restore_refuses_what_is_not_a_trip_database(tmp_path, database_url, use_database):
    use_database(f"sqlite:///{tmp_path / 'target.db'}")
    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello " * 200)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE things (id INTEGER)").connection.commit()
    future = tmp_path / "future.db"
    shutil.copy(ops.sqlite_path(database_url), future)
    stamp_head(f"sqlite:///{future}")
    conn = sqlite3.connect(future)
    conn.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    conn.commit()
    conn.close()
    for path, words in (
        (tmp_path / "missing.db", "There is no file"),
        (text_file, "not an SQLite database"),
        (other, "not a TRIP database"),
        (future, "does not know"),
    ):
        result = runner.invoke(cli, ["restore", str(path), "--yes"])
        assert result.exit_code == 1, (path, result.output)
        assert words in result.output
    assert not (tmp_path / "target.db").exists()


@sqlite_only
def test_restore_asks_first_and_stops_on_no(session, database_url, tmp_path, use_database):
    populate_team(session, "Riverside CMHT")
    stamp_head(database_url)
    backup_file = tmp_path / "b.db"
    ops.backup_sqlite(database_url, backup_file)
    use_database(f"sqlite:///{tmp_path / 'target.db'}")
    result = runner.invoke(cli, ["restore", str(backup_file)], input="n\n")
    assert result.exit_code == 1
    assert "Is the app stopped" in result.output
    assert not (tmp_path / "target.db").exists()


@postgres_only
def test_postgres_backup_prints_the_pg_dump_recipe(database_url, tmp_path, use_database):
    use_database(database_url)
    result = runner.invoke(cli, ["backup", str(tmp_path / "trip.dump")])
    assert result.exit_code == 2
    assert "pg_dump --format=custom" in result.output
    assert "postgres@" in result.output and "+psycopg" not in result.output
    result = runner.invoke(cli, ["restore", str(tmp_path / "trip.dump")])
    assert result.exit_code == 2
    assert "pg_restore --clean --if-exists" in result.output


@postgres_only
@pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump is not installed")
def test_postgres_backup_runs_pg_dump(session, database_url, tmp_path, use_database):
    populate_team(session, "Riverside CMHT")
    use_database(database_url)
    target = tmp_path / "trip.dump"
    result = runner.invoke(cli, ["backup", "--run-pg-dump", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes()[:5] == b"PGDMP"
    listing = subprocess.run(
        ["pg_restore", "--list", str(target)], capture_output=True, text=True, check=True
    ).stdout
    assert "TABLE DATA public rating" in listing
    assert "TABLE DATA public statement_summary" in listing


def test_pg_dump_command_keeps_the_password_off_the_command_line():
    command = ops.pg_dump_command(
        "postgresql+psycopg://trip:s3cret@db.example:5432/trip", Path("/b/trip.dump")
    )
    assert "--format=custom" in command
    assert "--dbname=postgresql://trip@db.example:5432/trip" in command
    assert not any("s3cret" in part for part in command)
