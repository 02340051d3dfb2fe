"""The `trip` command: frameworks check|import|list, demo, and --help of each."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import func, select
from typer.testing import CliRunner

from app.cli import app as trip
from app.config import get_settings
from app.models import Framework, Round, Service, Statement, Team, User
from tests.factories import make_service
from tests.reminders_world import world as reminders_world
from tests.test_framework_files import BROKEN

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "frameworks"
SHIPPED = sorted((ROOT / "benchmarks").glob("*.yaml"))


@pytest.fixture
def run(monkeypatch, database_url, clock):
    """Run `trip ...` against the test database; returns the click Result."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TRIP_ENV", "development")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    get_settings.cache_clear()
    runner = CliRunner()

    def invoke(*args: str | Path):
        get_settings.cache_clear()
        return runner.invoke(trip, [str(a) for a in args], obj={"clock": clock})

    yield invoke
    get_settings.cache_clear()


def count(session, model) -> int:
    n = session.exec(select(func.count()).select_from(model)).one()
    session.commit()
    return n


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["serve"],
        ["migrate"],
        ["demo"],
        ["frameworks"],
        ["frameworks", "check"],
        ["frameworks", "import"],
        ["frameworks", "list"],
    ],
)
def test_every_command_has_help(command):
    result = CliRunner().invoke(trip, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: " in result.output
    assert "--help" in result.output


def test_check_accepts_the_shipped_frameworks(run, session):
    result = run("frameworks", "check", *SHIPPED)
    assert result.exit_code == 0, result.output
    assert f"{len(SHIPPED)} file(s) checked: no problems." in result.stdout
    assert count(session, Framework) == 0  # checking never imports


def test_check_prints_every_broken_fixture_with_its_own_message(run):
    paths = [FIXTURES / name for name in sorted(BROKEN)]
    result = run("frameworks", "check", FIXTURES / "valid_small.yaml", *paths)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(BROKEN)
    for name, (line, fragment) in BROKEN.items():
        prefix = f"{FIXTURES / name}:{line}: "
        (found,) = [text for text in lines if text.startswith(prefix)]
        assert fragment in found, found
    messages = [text.split(": ", 1)[1] for text in lines]
    assert len(set(messages)) == len(messages), "two fixtures share a message"
    assert f"{len(BROKEN)} problem(s) found; nothing was imported." in result.stderr


def test_import_refuses_each_broken_fixture_and_imports_nothing(run, session):
    for name, (line, fragment) in BROKEN.items():
        result = run("frameworks", "import", FIXTURES / "valid_small.yaml", FIXTURES / name)
        assert result.exit_code == 1, name
        problems = [text for text in result.stderr.splitlines() if ".yaml:" in text]
        assert len(problems) == 1, problems
        assert problems[0].startswith(f"{FIXTURES / name}:{line}: "), problems[0]
        assert fragment in problems[0]
        assert "nothing was imported" in result.stderr
        assert count(session, Framework) == 0 and count(session, Statement) == 0


def test_import_then_list_then_import_again(run, session):
    result = run("frameworks", "import", *SHIPPED)
    assert result.exit_code == 0, result.output
    for path in SHIPPED:
        assert f"({path})" in result.stdout and ": imported" in result.stdout
    created = count(session, Framework)
    assert created == len(SHIPPED)

    result = run("frameworks", "list")
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert sorted(row[0] for row in rows) == sorted(p.stem for p in SHIPPED)

    result = run("frameworks", "import", *SHIPPED)
    assert result.exit_code == 0
    assert result.stdout.count(": unchanged") == len(SHIPPED)
    assert count(session, Framework) == created


def test_list_on_an_empty_database(run):
    result = run("frameworks", "list")
    assert result.exit_code == 0
    assert "No frameworks imported yet." in result.stdout


def test_import_refuses_a_changed_file_under_an_old_label(run, session, tmp_path):
    small = FIXTURES / "valid_small.yaml"
    assert run("frameworks", "import", small).exit_code == 0
    changed = tmp_path / "valid_small.yaml"
    changed.write_text(small.read_text().replace("Small test", "Tiny test"), encoding="utf-8")
    result = run("frameworks", "import", changed)
    assert result.exit_code == 1
    assert f"{changed}:3: the content changed" in result.stderr
    assert count(session, Framework) == 1


def test_demo_loads_on_an_empty_database_and_prints_sign_ins(run, session):
    result = run("demo")
    assert result.exit_code == 0, result.output
    assert "DEMO sign-ins" in result.stdout
    assert "username: admin" in result.stdout
    assert count(session, Service) == 3
    assert count(session, Team) == 12
    assert count(session, User) >= 1
    settings = {t.setting for t in session.exec(select(Team)).all()}
    session.commit()
    assert len(settings) >= 4


def test_the_demo_is_dated_by_the_commands_clock(run, session, clock):
    """`trip demo` reads "today" from the command's clock (ctx.obj["clock"], the real time
    outside tests), as pages read the app's: in London, so after 23:00 UTC in summer."""
    clock.now = datetime(2031, 6, 30, 23, 30, tzinfo=UTC)  # 1 July in London (summer time)
    result = run("demo")
    assert result.exit_code == 0, result.output
    held = set(session.exec(select(Round.held_on).where(Round.status == "open")).all())
    session.commit()
    assert held == {date(2031, 7, 1)}


def test_reminders_send_finds_what_is_due_by_the_commands_clock(run, session, clock):
    clock.now = datetime(2031, 6, 30, 23, 30, tzinfo=UTC)
    reminders_world(session, date(2031, 7, 1))
    result = run("reminders", "send", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("--- to ") >= 1, result.stdout
    clock.now = datetime(2030, 1, 1, 12, tzinfo=UTC)  # long before: nothing due yet
    result = run("reminders", "send", "--dry-run")
    assert "0 email(s) would go" in result.stdout, result.stdout


def test_demo_if_empty_does_nothing_when_there_are_services(run, session):
    make_service(session, "Already Here")
    result = run("demo", "--if-empty")
    assert result.exit_code == 0, result.output
    assert "not loaded" in result.stdout
    assert count(session, Service) == 1
    assert count(session, Team) == 0


def test_demo_refuses_in_production(run, session, monkeypatch):
    monkeypatch.setenv("TRIP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-production-secret-0123456789-ABCDEFGHIJ-klmnop")
    monkeypatch.setenv("PUBLIC_URL", "https://trip.example.org")
    result = run("demo")
    assert result.exit_code == 1
    assert "never loaded in production" in result.stderr
    assert count(session, Service) == 0
