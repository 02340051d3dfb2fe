"""The disclosure property (docs/privacy.md): from every figure anyone can read, at every
moment, no one can work out how any 1 or 2 people answered a statement.

Random small worlds — teams in several settings and services, rounds with groups of 1–4
people per perspective, phones and paper sheets, answers changed, projector snapshots, a
reopen and a re-close — are played through the real services on the real database. The
test keeps its own books (tests/disclosure_books.py) of who answered what, in which
version (a participant whose answer changes gets new unknowns), and at every step
collects every published figure as a linear equation over those unknowns:

- every cell of every publication (what results, compare under any filter, exports and the
  API are built from: they only add published cells up — tests/test_floor_* check that each
  shown number is such a sum), expanded through the test's own books, not the app's;
- what the readers build, read after each close and at the end: the compare statement
  view under every filter (each service × setting × framework key, and none) and the API's
  round figures — counts, means and divergence — each form checked to name published cells;
- the room's exact counts, read at every step: how many have answered each statement.

Then, with exact integer arithmetic (app.core.disclosure, checking every set of 1 or 2
participants, no symmetry shortcut), no combination of one or two people's unknowns other
than how many of them answered lies in the row space.
"""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlmodel import Session, select

from app.core.disclosure import find_disclosures
from app.db import make_engine
from app.models import Participant, Publication, metadata
from app.rounds import queries as rounds_queries
from app.rounds import service as rounds_service
from app.rounds.forms import PaperSheet
from app.rounds.service import record_paper_sheet
from app.workshop.service import join_round, save_rating
from tests.conftest import PG_URL, POSTGRES
from tests.disclosure_books import PERSPECTIVES, SETTINGS, Books, World
from tests.factories import make_round, make_service, make_team, small_framework

ANSWERS = (1, 2, 3, 4, None)  # None: don't know
EXAMPLES = 20  # ≤ 60 s per database, readers included

pytestmark = pytest.mark.xdist_group("disclosure")


@pytest.fixture
def fresh_engine(_template_db, tmp_path):
    """A function that gives a clean real database for each Hypothesis example."""
    made = []

    def make():
        if POSTGRES:
            engine = make_engine(PG_URL, pool_size=1)
            names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
            with engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            path = tmp_path / f"world{len(made)}.db"
            shutil.copy(_template_db, path)
            engine = make_engine(f"sqlite:///{path}", pool_size=1)
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.dispose()


def _world(data):
    teams = data.draw(st.integers(1, 3), label="teams")
    shape = []
    for _ in range(teams):
        setting = data.draw(st.sampled_from(SETTINGS))
        service = data.draw(st.integers(0, 1))
        rounds = data.draw(st.integers(1, 2))
        shape.append((setting, service, rounds))
    return shape


def _people(data) -> list[tuple[str, str]]:
    """(perspective, source) of each person of a round: groups of 0–4 per perspective."""
    people = []
    for perspective in PERSPECTIVES:
        for _ in range(data.draw(st.integers(0, 4), label=perspective)):
            people.append((perspective, data.draw(st.sampled_from(("phone", "paper")))))
    return people


def _play_round(data, session, round_, world: World, books: Books) -> None:
    statements = world.statements
    rounds_service.open_round(session, round_)
    people: list[int] = []

    def arrive(perspective: str, source: str) -> None:
        answers = {
            s.id: data.draw(st.sampled_from(ANSWERS))
            for s in statements
            if data.draw(st.booleans(), label="answers")
        }
        matters = {s for s in answers if data.draw(st.booleans(), label="matters")}
        if source == "paper" and answers:
            sheet = PaperSheet(perspective, None, answers, matters)
            participant = record_paper_sheet(session, round_, sheet)
            pid = participant.id
            books.perspective[pid] = perspective
            for s, level in answers.items():
                books.answered(pid, s, level, s in matters)
        else:
            participant, _ = join_round(session, round_, perspective, None)
            pid = participant.id
            books.perspective[pid] = perspective
            for s, level in answers.items():
                save_rating(
                    session,
                    participant=participant,
                    round=round_,
                    statement_id=s,
                    level=level,
                    matters_most=s in matters,
                )
                books.answered(pid, s, level, s in matters)
        people.append(pid)

    def change_some() -> None:
        for pid in people:
            participant = session.get(Participant, pid)
            if participant.source != "phone" or not data.draw(st.booleans(), label="change"):
                continue
            s = data.draw(st.sampled_from([s.id for s in statements]))
            level = data.draw(st.sampled_from(ANSWERS))
            save_rating(session, participant=participant, round=round_, statement_id=s, level=level)
            books.answered(pid, s, level, False)

    def snapshot() -> None:
        s = data.draw(st.sampled_from(statements))
        rounds_service.set_current_statement(session, round_, s)
        rounds_service.show_spread(session, round_)
        session.refresh(round_)
        if round_.snapshot_id is not None:
            books.record_publication(session, round_.snapshot_id)

    def close() -> None:
        rounds_service.close_round(session, round_)
        session.refresh(round_)
        books.record_publication(session, round_.publication_id)
        books.record_readers(session, world)

    ids = [s.id for s in statements]
    for perspective, source in _people(data):
        arrive(perspective, source)
        books.record_room_counts(people, ids)
        if data.draw(st.integers(0, 4), label="snapshot?") == 0:
            snapshot()
    change_some()
    books.record_room_counts(people, ids)
    if data.draw(st.booleans(), label="snapshot before close"):
        snapshot()
    close()
    for _ in range(data.draw(st.integers(0, 2), label="reopens")):
        rounds_service.reopen_round(session, round_)
        for _ in range(data.draw(st.integers(0, 4), label="late arrivals")):
            arrive(data.draw(st.sampled_from(PERSPECTIVES)), "phone")
            books.record_room_counts(people, ids)
        change_some()
        if data.draw(st.booleans(), label="snapshot after reopen"):
            snapshot()
        close()


@seed(20261201)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a world is printed as drawn
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_one_or_two_people_can_be_worked_out(data, fresh_engine, request):
    engine = fresh_engine()
    books = Books()
    with Session(engine) as session:
        framework = small_framework(session)
        statements = rounds_queries.framework_statements(session, framework.id)[:3]
        services = [make_service(session, f"Service {i}") for i in range(2)]
        world = World(statements, services, framework.key)
        for t, (setting, service, rounds) in enumerate(_world(data)):
            team = make_team(session, f"Team {t}", service=services[service], setting=setting)
            for r in range(rounds):
                round_ = make_round(
                    session, team, framework, title=f"Round {r}", held_on=date(2026, 1 + r, 1)
                )
                _play_round(data, session, round_, world, books)
        books.record_readers(session, world)
        publications = session.exec(select(Publication)).all()
    found = find_disclosures(books.forms, books.members, exhaustive=True)
    assert not found, f"given away: {found[:5]}"
    STATS["worlds"] += 1
    STATS["equations"] += len(books.forms)
    STATS["publications"] += len(publications)


STATS = {"worlds": 0, "equations": 0, "publications": 0}


@pytest.fixture(scope="module", autouse=True)
def _report(request):
    """Print how much the property test checked (quoted in the issue notes)."""
    yield
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(
            f"\ndisclosure property: {STATS['worlds']} worlds, {STATS['publications']} "
            f"publications, {STATS['equations']} published equations checked"
        )
