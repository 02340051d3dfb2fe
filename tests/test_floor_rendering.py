"""Issue 10, the rendering test: for a small world, every rating-derived number on each
results page, projector fragment, statement view, CSV, XLSX and API answer is one that the
floor module published.

One world through the real services: two teams in different settings and services; a
round with groups of 1–4 per perspective (some on paper), reopened with one late carer and
closed again; a round whose small groups hide its breakdown, with a projector snapshot
while it is open. Then each reader — a member, a facilitator after close, a recovery lead
and an API token — reads everything it may, and:

- every marked figure (`data.app-fig`) is a sum of published cells (tests/floor_marks.py);
- every number in a "how people rated it" table cell or a divergence line is inside a
  marked figure (so a template printing a raw count fails here);
- every row of a download or API answer is a published cell, or a sum of published cells.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from sqlmodel import select

from app.models import Publication, Round, User
from app.rounds import queries as rounds_queries
from app.rounds import service as rounds_service
from app.rounds.forms import PaperSheet
from app.rounds.service import record_paper_sheet
from app.workshop.service import join_round, save_rating
from tests.conftest import soup
from tests.factories import (
    make_api_token,
    make_member,
    make_person,
    make_round,
    make_service,
    make_team,
    make_user,
    small_framework,
)
from tests.floor_marks import (
    check_api_round,
    check_compare_table,
    check_figures,
    check_page,
    check_ratings_csv,
    check_statement_export,
    current_publications,
    published_rows,
    round_publications,
    unmarked_numbers,
)

HX = {"HX-Request": "true"}


@pytest.fixture
def client(client, session):
    original = client.request

    def request(*args, **kwargs):
        session.commit()
        response = original(*args, **kwargs)
        session.expire_all()
        return response

    client.request = request
    return client


def answer(session, round_, perspective: str, levels: list, paper=False, matters=()):
    """One person answers the round's statements in order (None: don't know; "-": skip)."""
    ids = [s.id for s in rounds_queries.round_statements(session, round_)]
    answers = {s: level for s, level in zip(ids, levels, strict=False) if level != "-"}
    chosen = {ids[i] for i in matters}
    if paper:
        return record_paper_sheet(session, round_, PaperSheet(perspective, None, answers, chosen))
    person, _ = join_round(session, round_, perspective, None)
    for s, level in answers.items():
        save_rating(
            session,
            participant=person,
            round=round_,
            statement_id=s,
            level=level,
            matters_most=s in chosen,
        )
    return person


@pytest.fixture
def world(session, client):
    framework = small_framework(session)
    north, south = make_service(session, "North"), make_service(session, "South")
    alder = make_team(session, "Alder", service=north, setting="community")
    birch = make_team(session, "Birch", service=south, setting="inpatient")
    make_person(session, alder, "mo")
    fiona, _ = make_person(session, alder, "fiona", role="facilitator")
    make_member(session, birch, "Fiona", role="facilitator", user=fiona)
    make_user(session, "lena", role="recovery_lead")

    # Alder: groups of 1–4 per perspective; staff side 5, service users 3, other 3
    baseline = make_round(session, alder, framework, held_on=date(2026, 1, 10), status="open")
    for levels, paper in (([4, 3, 2, 1], False), ([3, 3, None, 2], True), ([4, 2, 2, "-"], False)):
        answer(session, baseline, "staff", levels, paper, matters=(0,))
    answer(session, baseline, "staff", [2, 4, 1, 1])
    answer(session, baseline, "peer_worker", [3, 4, 4, None])
    for levels in ([1, 2, 3, 3], [2, None, 3, 4], [1, 1, "-", 4]):
        answer(session, baseline, "service_user", levels, matters=(1,))
    answer(session, baseline, "carer", [2, 3, 1, "-"], paper=True)
    answer(session, baseline, "carer", [4, 4, 4, 4])
    answer(session, baseline, "community", [3, "-", 2, 2])
    rounds_service.close_round(session, baseline)
    session.commit()
    # reopened for one late carer, and closed again
    rounds_service.reopen_round(session, baseline)
    session.commit()
    answer(session, baseline, "carer", [1, 1, 1, 1], matters=(2,))
    rounds_service.close_round(session, session.get(Round, baseline.id))
    session.commit()

    # Birch: one carer hides the breakdown; a snapshot while the round is open
    spring = make_round(session, birch, framework, held_on=date(2026, 2, 1), status="open")
    for levels in ([2, 2, 3, "-"], [3, 2, 4, "-"], [2, 1, 4, 1]):
        answer(session, spring, "staff", levels)
    for levels in ([1, 1, 4, "-"], [2, 1, None, "-"], [1, 2, 3, "-"], [4, 1, 2, "-"]):
        answer(session, spring, "service_user", levels)
    answer(session, spring, "carer", [4, 4, 1, "-"])
    statements = rounds_queries.round_statements(session, spring)
    rounds_service.set_current_statement(session, spring, statements[0])
    session.commit()
    rounds_service.show_spread(session, spring)
    session.commit()
    return SimpleNamespace(
        framework=framework,
        alder=alder,
        birch=birch,
        north=north,
        baseline=baseline,
        spring=spring,
        statements=statements,
    )


# --- what each reader reads -----------------------------------------------------------------


# --- the test -------------------------------------------------------------------------------


def test_every_rating_derived_number_is_one_the_floor_published(world, client, session):
    spring = world.spring
    # the projector, while the round is open: its snapshot (any of the round's publications)
    client.login("fiona")
    panel = soup(client.get(f"/rounds/{spring.id}/live", headers=HX), status=200)
    snapshot = session.get(Round, spring.id).snapshot_id
    assert snapshot is not None and panel.select_one("#spread")
    assert check_figures(session, panel, round_publications(session, spring.id)) >= 6
    assert all(f["data-form"].startswith(f"{snapshot}.") for f in panel.select("data.app-fig"))
    for shown in panel.select("#spread h3, #spread .app-spread__count"):
        assert not unmarked_numbers(shown), shown
    for meter in panel.select("#spread meter"):
        assert meter["value"] == meter.find_next("data", class_="app-fig")["value"]
    # outside the room, the snapshot is not a current publication
    with pytest.raises(AssertionError, match="may not be read here"):
        check_figures(session, panel)
    rounds_service.close_round(session, session.get(Round, spring.id))
    session.commit()

    # the world: the late carer's re-close kept earlier figures; Alder shows "other",
    # Birch's one carer hides its breakdown
    assert session.get(Publication, session.get(Round, world.baseline.id).publication_id).kept
    groups = {g for (_, g) in published_rows(session, current_publications(session))}
    assert {"all", "staff_side", "service_user", "other"} <= groups
    spring_pub = {session.get(Round, spring.id).publication_id}
    assert {g for (_, g) in published_rows(session, spring_pub)} == {"all"}

    codes = {s.code: s.id for s in world.statements}
    rounds = {"mo": [world.baseline], "fiona": [world.baseline, spring]}
    rounds["lena"] = rounds["fiona"]
    figures = rows = 0
    for who, readable in rounds.items():
        client.login(who)
        for round_ in readable:
            page = soup(client.get(f"/rounds/{round_.id}/results"), status=200)
            figures += check_page(session, page, round_.id)
            text = client.get(f"/rounds/{round_.id}/ratings.csv").text
            rows += check_ratings_csv(session, text, round_.id, codes)

    # the recovery lead: the statement view under every filter, its downloads, compare
    filters = (
        "",
        "?setting=community",
        "?setting=inpatient",
        f"?service={world.north.id}",
        f"?framework={world.framework.key}",
        f"?service={world.north.id}&setting=inpatient",
    )
    for sid in codes.values():
        for where in filters:
            url = f"/compare/statements/{sid}"
            figures += check_page(session, soup(client.get(url + where), status=200))
            for suffix in (".csv", ".xlsx"):
                rows += check_statement_export(session, client.get(url + suffix + where), sid)
    for url in ("/compare.csv", "/compare.xlsx"):
        check_compare_table(session, client.get(url))

    plain = _token(session)
    for round_ in (world.baseline, spring):
        session.rollback()
        answer_ = client.get(
            f"/api/v1/rounds/{round_.id}", headers={"Authorization": f"Bearer {plain}"}
        )
        assert answer_.status_code == 200, answer_.text
        rows += check_api_round(session, answer_.json())
    # the world had something to check, on every kind of reader
    assert figures >= 200 and rows >= 60, (figures, rows)


def _token(session) -> str:
    lead = session.exec(select(User).where(User.username == "lena")).one()
    _, plain = make_api_token(session, lead)
    session.commit()
    return plain
