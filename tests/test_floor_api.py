"""The anonymity floor in the API, plans' suggestion reasons and the purge (issue 10).

Each attack of issue 10 in this area is a test: the API's totals before and after a
reopen (one carer joined in between) must not give that carer's answers; no head count
under 3 in any API answer; suggestion reasons never quote a side's mean when the breakdown
is hidden; a purge keeps every published figure. The readers below accept the API's old
shape too, so each test fails on the old code for the leak itself, not for the shape.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from app.models import (
    Participant,
    Publication,
    PublicationMember,
    PublishedCell,
    Rating,
    Round,
    Statement,
)
from app.ops.service.retention import purge_individual_ratings
from app.plans.queries import suggestions
from app.rounds import service as rounds_service
from tests.factories import (
    make_api_token,
    make_person,
    make_round,
    make_team,
    make_user,
    small_framework,
)

# --- a small world, closed through the rounds service --------------------------------------


def statements(session, framework_id: int) -> dict[str, Statement]:
    rows = session.exec(select(Statement).where(Statement.framework_id == framework_id))
    return {s.code: s for s in rows.scalars()}


def join(session, round_, perspective: str, answers: dict[str, int | None], matters=()):
    """One person joins and answers (code → level, None = don't know)."""
    codes = statements(session, round_.framework_id)
    person = Participant(round_id=round_.id, token_hash=uuid.uuid4().hex, perspective=perspective)
    session.add(person)
    session.flush()
    for code, level in answers.items():
        session.add(
            Rating(
                round_id=round_.id,
                participant_id=person.id,
                statement_id=codes[code].id,
                level=level,
                matters_most=code in matters,
            )
        )
    session.commit()
    return person


def everyone(level: int) -> dict[str, int]:
    return {code: level for code in ("C1.1", "C1.2", "C2.1", "C2.2")}


def open_round(session, team, framework, people, title="Baseline"):
    round_ = make_round(session, team, framework, title=title, status="open")
    for perspective, answers, *matters in people:
        join(session, round_, perspective, answers, *matters)
    return round_


@pytest.fixture
def framework(session):
    return small_framework(session)


@pytest.fixture
def api(client, session):
    lead = make_user(session, "lena", role="recovery_lead")
    _token, plain = make_api_token(session, lead)
    session.commit()

    def get(url: str):
        session.rollback()  # SQLite: an open transaction would hold the write lock
        response = client.get(url, headers={"Authorization": f"Bearer {plain}"})
        assert response.status_code == 200, response.text
        return response.json()

    return get


# readers that accept the old shape (top-level "total"/"groups", "people" by perspective)


def totals(detail: dict) -> dict[str, dict | None]:
    """{statement code: the total's counts, or None when not shown}."""
    found = {}
    for s in detail["summaries"]:
        figures = s["figures"] if "figures" in s else s
        found[s["statement_code"]] = figures["total"] if figures else None
    return found


def head_total(people: dict) -> int | None:
    return people["total"] if "total" in people else sum(people.values())


# --- the attacks ---------------------------------------------------------------------------


def test_reopen_and_close_again_does_not_give_away_who_joined(session, framework, api):
    team = make_team(session, "Alder")
    people = [("staff", everyone(3))] * 4 + [("service_user", everyone(2))] * 3
    round_ = open_round(session, team, framework, people)
    rounds_service.close_round(session, round_)
    session.commit()
    before = api(f"/api/v1/rounds/{round_.id}")

    rounds_service.reopen_round(session, round_)
    session.commit()
    join(session, round_, "carer", {"C1.1": 4, "C1.2": 1, "C2.1": None, "C2.2": 4}, ("C1.1",))
    rounds_service.close_round(session, session.get(Round, round_.id))
    session.commit()
    after = api(f"/api/v1/rounds/{round_.id}")

    for code, was in totals(before).items():
        now = totals(after)[code]
        assert was is not None  # 7 answered each statement
        if now is None:
            continue
        moved = {
            "people": now["people"] - was["people"],
            **{k: now["levels"][k] - was["levels"][k] for k in was["levels"]},
            "dont_know": now["dont_know"] - was["dont_know"],
            "matters_most": now["matters_most"] - was["matters_most"],
        }
        assert moved["people"] not in (1, 2), (code, moved)  # the carer's answer, exactly
    assert head_total(after["people"]) - head_total(before["people"]) not in (1, 2)
    assert after["summaries"] == before["summaries"]  # the first close's figures are kept


def _head_counts_in(value, key=None):
    """Every head count in an API answer: ints under "people" (or the co-production count),
    at any depth."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k in ("people", "people_who_use_the_service_or_family"):
                yield from _numbers(v, k)
            else:
                yield from _head_counts_in(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _head_counts_in(v, key)


def _numbers(value, where):
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _numbers(v, f"{where}.{k}")


def test_no_head_count_under_3_in_any_api_answer(session, framework, api):
    small_groups = make_team(session, "Alder")
    people = [("staff", everyone(3))] * 4 + [("service_user", everyone(1))] * 2
    rounds_service.close_round(session, open_round(session, small_groups, framework, people))
    session.commit()
    tiny = make_team(session, "Birch")  # only 2 took part
    people = [("staff", everyone(2)), ("service_user", everyone(4))]
    rounds_service.close_round(session, open_round(session, tiny, framework, people))
    session.commit()

    answers = [api("/api/v1/compare"), api("/api/v1/teams")]
    for team in (small_groups, tiny):
        answers.append(api(f"/api/v1/teams/{team.id}"))
        for r in api(f"/api/v1/teams/{team.id}/rounds"):
            answers.append(api(f"/api/v1/rounds/{r['id']}"))
    found = [hc for answer in answers for hc in _head_counts_in(answer)]
    assert found  # the rounds and the compare rows do give head counts
    assert [hc for hc in found if hc[1] in (1, 2)] == []

    detail = answers[3]  # small_groups' round: 4 staff, 2 service users → only the total
    assert detail["people"] == {
        "total": 6,
        "groups": None,
        "hidden": "no breakdown: a group would be under 3",
    }
    tiny_detail = answers[-1]
    assert tiny_detail["people"]["total"] is None
    assert tiny_detail["people"]["hidden"] == "fewer than 3 people"
    assert all(s["figures"] is None for s in tiny_detail["summaries"])
    assert {s["hidden"] for s in tiny_detail["summaries"]} == {"fewer than 3 answers"}


def test_suggestion_reasons_never_quote_a_hidden_sides_mean(client, session, framework):
    team = make_team(session, "Alder")
    make_person(session, team, "sue")
    # staff 3 and service users 3 gave a level, but the one carer leaves "other" under 3:
    # no breakdown is published, so no side's mean may be quoted
    hidden = [("staff", everyone(4))] * 3 + [("service_user", everyone(1))] * 3
    hidden.append(("carer", everyone(2)))
    round_ = open_round(session, team, framework, hidden)
    rounds_service.close_round(session, round_)
    session.commit()
    groups = {g.key: g for g in suggestions.suggest(session, round_)}
    assert groups["gaps"].items == []
    url = f"/rounds/{round_.id}/suggestions"
    session.rollback()
    client.login("sue")
    page = BeautifulSoup(client.get(url).text, "html.parser")
    reasons = " ".join(p.get_text(" ") for p in page.select(".app-suggestion__reason"))
    assert "on average" not in reasons and "4.0" not in reasons and "1.0" not in reasons

    # with both sides published, the means are quoted and marked as published figures
    shown = [("staff", everyone(4))] * 3 + [("service_user", everyone(1))] * 3
    shown += [("carer", everyone(2))] * 3
    round_ = open_round(session, team, framework, shown, title="Follow-up")
    rounds_service.close_round(session, round_)
    session.commit()
    url = f"/rounds/{round_.id}/suggestions"
    session.rollback()
    page = BeautifulSoup(client.get(url).text, "html.parser")
    gap = page.select_one("#suggest-gaps .app-suggestion__reason")
    assert "gave 4.0 on average" in gap.get_text() and "gave 1.0" in gap.get_text()
    means = gap.select("data.app-fig")
    assert [m["value"] for m in means] == ["4.0", "1.0"]
    assert all(m["data-num"] and m["data-den"] for m in means)


def _published(session, round_id):
    rows = session.exec(
        select(PublishedCell).where(PublishedCell.round_id == round_id).order_by(PublishedCell.id)
    ).scalars()
    return [row.model_dump() for row in rows]


def test_purge_keeps_every_published_figure(session, framework, api, clock):
    team = make_team(session, "Alder")
    people = [("staff", everyone(3), ("C1.1",))] * 4 + [("service_user", everyone(2))] * 3
    round_ = open_round(session, team, framework, people)
    rounds_service.close_round(session, round_, now=clock.now)
    session.commit()
    before, cells = api(f"/api/v1/rounds/{round_.id}"), _published(session, round_.id)
    publications_before = session.execute(
        select(func.count()).select_from(Publication).where(Publication.round_id == round_.id)
    ).scalar_one()
    assert cells and publications_before
    session.rollback()

    report = purge_individual_ratings(session, older_than_days=0, now=clock.now + timedelta(1))
    assert [r.round_id for r in report.rounds] == [round_.id]

    session.expire_all()
    assert api(f"/api/v1/rounds/{round_.id}") == before
    assert _published(session, round_.id) == cells
    assert (
        session.execute(
            select(func.count()).select_from(Publication).where(Publication.round_id == round_.id)
        ).scalar_one()
        == publications_before
    )
    members = session.execute(
        select(func.count())
        .select_from(PublicationMember)
        .join(Publication, Publication.id == PublicationMember.publication_id)
        .where(Publication.round_id == round_.id)
    ).scalar_one()
    assert members == 0  # only needed to reopen, which a purged round cannot
    counts = totals(before)
    assert counts["C1.1"]["matters_most"] == 4 and counts["C1.1"]["people"] == 7
