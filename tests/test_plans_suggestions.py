"""Suggested priorities on a fixture with known answers; reviews and celebrations."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bs4 import BeautifulSoup

from app.models import Plan
from app.plans.forms import ActionForm
from app.plans.queries import suggestions
from app.plans.service import actions as actions_service
from tests.plans_world import add_action, agreed_plan, closed_round, make_world

STAFF = {"C1.1": (2, False), "C2.1": (4, False), "C2.2": (4, False)}


def follow_up(session, w):
    """Agreed C1.1=2, C1.2=1, C2.1=3, C2.2=3 (Baseline had 1, 2, 3, 4)."""
    people = [
        ("staff", {**STAFF, "C1.2": (1, True)}),
        ("staff", STAFF),
        ("staff", STAFF),
        ("peer_worker", {"C2.1": (4, False)}),
        ("service_user", {"C1.1": (2, False), "C2.1": (1, True), "C2.2": (1, False)}),
        ("service_user", {"C1.1": (2, False), "C2.1": (1, False), "C2.2": (1, False),
                          "C1.2": (1, True)}),
        ("service_user", {"C1.1": (2, False), "C2.1": (1, False), "C2.2": (None, False),
                          "C1.2": (2, True)}),
    ]  # fmt: skip
    return closed_round(
        session,
        w.team,
        w.framework,
        title="Follow-up",
        held_on=date(2026, 9, 1),
        agreed={"C1.1": 2, "C1.2": 1, "C2.1": 3, "C2.2": 3},
        people=people,
    )


def test_suggestion_reasons_on_known_answers(session):
    w = make_world(session)
    round_ = follow_up(session, w)
    groups = {g.key: g for g in suggestions.suggest(session, round_)}
    lowest = [(s.statement.code, s.reason) for s in groups["lowest"].items]
    assert lowest == [
        ("C1.2", "The team agreed level 1 (Not yet)."),
        ("C1.1", "The team agreed level 2 (Starting)."),
        ("C2.1", "The team agreed level 3 (Developing)."),
        ("C2.2", "The team agreed level 3 (Developing)."),
    ]
    # C1.1 has no gap; C2.2 has only 2 people using the service who gave a level
    assert [(s.statement.code, s.reason) for s in groups["gaps"].items] == [
        (
            "C2.1",
            "Staff and peer workers gave 4.0 on average; people using the service gave 1.0. "
            "Staff rated it 3.0 levels higher.",
        )
    ]
    assert [(s.statement.code, s.reason) for s in groups["matters"].items] == [
        ("C1.2", "3 people said this matters most to them."),
        ("C2.1", "1 person said this matters most to them."),
    ]
    assert [(s.statement.code, s.reason) for s in groups["fell"].items] == [
        ("C1.2", "Fell from level 2 (Starting) in 'Baseline' to level 1 (Not yet)."),
        ("C2.2", "Fell from level 4 (Established) in 'Baseline' to level 3 (Developing)."),
    ]


def test_suggestions_page_shows_each_reason(client, session):
    w = make_world(session)
    round_ = follow_up(session, w)
    client.login("staffer")  # a member: sees the suggestions, no buttons
    page = BeautifulSoup(client.get(f"/rounds/{round_.id}/suggestions").text, "html.parser")
    gap = page.select_one("#suggest-gaps .app-suggestion")
    assert gap["data-code"] == "C2.1"
    assert "3.0 levels higher" in gap.select_one(".app-suggestion__reason").text
    assert not page.select(".app-suggestion__start")
    # an open round has no suggestions yet; the first round has nothing that "fell"
    page = BeautifulSoup(client.get(f"/rounds/{w.round.id}/suggestions").text, "html.parser")
    assert not page.select("#suggest-fell .app-suggestion")


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _move(session, w, action, status, day):
    plan = session.get(Plan, w.plan_id)
    session.refresh(action)
    form = ActionForm(
        what=action.what,
        owner_member_id=action.owner_member_id,
        due_on=action.due_on,
        status=status,
        version=action.version,
    )
    actions_service.update_action(session, action, plan, form, actor=w.fac_user, at=_at(day))
    session.commit()


def test_reviews_show_progress_since_the_last_review(client, session):
    w = make_world(session)
    plan, (p1, p2, p3), _ = agreed_plan(session, w)
    w.plan_id = plan.id
    created = _at(date(2026, 3, 10))
    a1 = add_action(session, w, p1, "Speakers", owner=w.owner, due_on=date(2026, 4, 1), at=created)
    a2 = add_action(session, w, p2, "Trainer", owner=w.owner, due_on=date(2026, 5, 1), at=created)
    a3 = add_action(session, w, p3, "Notes", owner=w.owner, at=created)
    _move(session, w, a1, "in_progress", date(2026, 3, 20))
    _move(session, w, a2, "stuck", date(2026, 4, 10))
    _move(session, w, a1, "done", date(2026, 5, 10))
    _move(session, w, a3, "in_progress", date(2026, 5, 20))
    client.login("fac")
    for text, on in (("Poetry group started", "2026-04-01"), ("Speaker came", "2026-05-05")):
        assert (
            client.form(f"/teams/{w.team.id}/celebrations", {"text": text, "on": on}).status_code
            == 303
        )
    first = client.form(
        f"/plans/{plan.id}/reviews",
        {"held_on": "2026-04-15", "notes": "Good start", "learnt": "Ask early"},
    )
    second = client.form(f"/plans/{plan.id}/reviews", {"held_on": "2026-06-01"})
    assert first.status_code == second.status_code == 303

    def lists(url):
        page = BeautifulSoup(client.get(url).text, "html.parser")
        got = {
            key: [li.get_text(" ", strip=True).split(" (")[0] for li in page.select(
                f".app-progress-{key} li")]
            for key in ("done", "started", "stuck", "overdue")
        }  # fmt: skip
        got["celebrations"] = [
            li.get_text(" ", strip=True) for li in page.select(".app-celebration-list li")
        ]
        return got, page

    got, page = lists(first.headers["location"])
    assert got["done"] == [] and got["started"] == ["Speakers"] and got["stuck"] == ["Trainer"]
    assert got["overdue"] == ["Speakers"]
    assert got["celebrations"] == ["1 Apr 2026 : Poetry group started"]
    got, page = lists(second.headers["location"])
    assert got["done"] == ["Speakers"] and got["started"] == ["Notes"] and got["stuck"] == []
    assert got["overdue"] == ["Trainer"]
    assert got["celebrations"] == ["5 May 2026 : Speaker came"]
    open_actions = [li.get_text(" ", strip=True) for li in page.select(".app-open-actions li")]
    assert any(t.startswith("Trainer") for t in open_actions)
    assert not any(t.startswith("Speakers") for t in open_actions)
    bad = client.form(f"/plans/{plan.id}/reviews", {"held_on": ""})
    assert bad.status_code == 422
    assert BeautifulSoup(bad.text, "html.parser").select_one("#held_on-error")


def test_members_may_add_celebrations_outsiders_may_not(client, session):
    w = make_world(session)
    client.login("sue")
    page = client.get(f"/teams/{w.team.id}/celebrations")
    assert page.status_code == 200
    response = client.form(f"/teams/{w.team.id}/celebrations", {"text": "", "on": "2026-01-01"})
    assert response.status_code == 422
    ok = client.form(f"/teams/{w.team.id}/celebrations", {"text": "We did it", "on": "2026-01-02"})
    assert ok.status_code == 303
