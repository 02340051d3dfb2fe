"""Plain words on every plan page (issue 13 point 3; ../shared/design.md "Words"): how much
difference it makes and how much work it takes, the four quadrants in plain words, people
helping, stopped, kept from the last plan, a statement's text before its code. A planners'
word appears only in brackets after the plain words, never alone."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlmodel import select

from app.models import Statement
from app.plans.forms import ActionForm, PriorityForm
from app.plans.service import actions as actions_service
from app.plans.service import priorities as priorities_service
from tests.conftest import soup
from tests.plans_world import add_action, agreed_plan, make_world, statement

TODAY = datetime(2026, 6, 15, 9, tzinfo=UTC)
QUADRANTS = (
    "quick win: big difference, little work",
    "big project: big difference, lots of work",
    "small job: small difference, little work",
    "think again: small difference, lots of work",
)
# a planners' word may follow the plain words in brackets: "(fill-in)", "(impact)"
BRACKETED = re.compile(r"\((?:fill-in|major project|impact|effort)\)", re.IGNORECASE)
PLANNERS = re.compile(
    r"\bfill-in\b|\bmajor project\b|\bimpact\b|\beffort\b|\bhelpers\b|\bdropped\b"
    r"|carr(?:y|ied) forward|think again(?!:)",
    re.IGNORECASE,
)


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    page = soup(response)
    main = page.select_one("main") or page.body
    return " ".join(main.get_text(" ").split())


def _planners_words_alone(text: str) -> list[str]:
    return PLANNERS.findall(BRACKETED.sub("", text))


def _codes_alone(text: str, statements) -> list[str]:
    """Statement codes not shown as "text (code)" (section codes like "C1" do not count)."""
    shown = text
    for s in statements:
        shown = shown.replace(f"{s.text} ({s.code})", "")
    return re.findall(r"\bC\d+\.\d+\b", shown)


def _world(session, clock):
    clock.now = TODAY
    w = make_world(session)
    plan, (p1, p2, p3), actions = agreed_plan(session, w)
    c11 = statement(session, w.framework, "C1.1")
    form = PriorityForm(
        title="Weekly walks",
        impact="low",
        effort="high",
        staff_colead_id=w.staff.id,
        service_user_colead_id=w.su.id,
        statement_ids=[c11.id],
        helper_ids=[w.member.id],
    )
    p4 = priorities_service.add_priority(session, plan, form, actor=w.fac_user)
    session.commit()
    helped = ActionForm(
        what="Plan the route", owner_member_id=w.su.id, helper_ids=[w.owner.id], due_on=None
    )
    a4 = actions_service.add_action(session, p4, plan, helped, actor=w.fac_user, at=TODAY)
    stopped = add_action(session, w, p4, "Hire a minibus", owner=w.su, status="dropped", at=TODAY)
    session.commit()
    every = session.exec(select(Statement).where(Statement.framework_id == w.framework.id)).all()
    session.commit()
    return w, plan, (p1, p2, p3, p4), (*actions, a4, stopped), list(every)


def test_plan_pages_speak_plain_words(client, session, clock):
    w, plan, (p1, p2, p3, p4), actions, statements = _world(session, clock)
    a4 = actions[3]
    client.login("fac")
    review = client.form(f"/plans/{plan.id}/reviews", {"held_on": "2026-06-01", "notes": "Good"})
    review_url = review.headers["location"]

    plan_page = _text(client.get(f"/plans/{plan.id}"))
    for label in QUADRANTS:
        assert label in plan_page.lower(), label
    for words in ("how much difference it makes", "how much work it takes", "People helping"):
        assert words in plan_page, words
    assert "Stopped" in plan_page
    assert "Recovery stories" in plan_page and "(C1.1)" in plan_page

    pages = {
        "plan": plan_page,
        "priority form": _text(client.get(f"/priorities/{p4.id}/edit")),
        "new priority": _text(client.get(f"/plans/{plan.id}/priorities/new")),
        "action": _text(client.get(f"/actions/{a4.id}")),
        "action form": _text(client.get(f"/actions/{a4.id}/edit")),
        "new action": _text(client.get(f"/priorities/{p4.id}/actions/new")),
        "print": _text(client.get(f"/plans/{plan.id}/print")),
        "review": _text(client.get(review_url)),
        "new plan": _text(client.get(f"/teams/{w.team.id}/plans/new")),
    }
    client.form("/logout")
    client.login("sue")
    pages["my part"] = _text(client.get("/my-part"))
    for name, text in pages.items():
        assert _planners_words_alone(text) == [], name
        assert _codes_alone(text, statements) == [], name
    assert "how much difference it makes" in pages["print"]
    assert "how much work it takes" in pages["print"]
    assert "how much difference" in pages["priority form"].lower()
    assert "how much work" in pages["priority form"].lower()
    assert "People helping: Mo Member" in pages["my part"]  # the priority's
    assert "People helping: Omar Owner" in pages["my part"]  # the action's
    assert "Open actions to keep from the last plan" in pages["new plan"]
    assert "Open actions to keep in the next plan" in pages["review"]


def test_an_action_kept_from_the_last_plan_says_so(client, session, clock):
    w, plan, _p, actions, _s = _world(session, clock)
    a1 = actions[0]
    client.login("fac")
    made = client.form(
        f"/teams/{w.team.id}/plans",
        {"title": "Next plan", "source_round_id": w.round.id, "carry_action_ids": [a1.id]},
    )
    assert made.status_code == 303
    page = soup(client.get(made.headers["location"]))
    text = " ".join(page.select_one("main").get_text(" ").split())
    assert "Invite speakers (kept from the last plan)" in text or (
        "Invite speakers" in text and "(kept from the last plan)" in text
    )
    assert _planners_words_alone(text) == []
    history = " ".join(soup(client.get(f"/actions/{a1.id}/history")).get_text(" ").split())
    assert "Kept in the next plan, 'Next plan'." in history
    assert "carried" not in history.lower()


def test_form_messages_use_plain_words(client, session, clock):
    w, plan, _p, _a, statements = _world(session, clock)
    client.login("fac")
    c11 = next(s for s in statements if s.code == "C1.1")
    data = {"title": "Unsure", "statement_ids": [c11.id], "helper_ids": ["x"]}
    response = client.form(f"/plans/{plan.id}/priorities", data)
    assert response.status_code == 422
    page = soup(response)
    assert (
        page.select_one("#impact-error")
        .get_text(" ", strip=True)
        .endswith("Choose big difference or small difference")
    )
    assert (
        page.select_one("#effort-error")
        .get_text(" ", strip=True)
        .endswith("Choose little work or lots of work")
    )
    helpers = page.select_one("#helper_ids-error").get_text(" ", strip=True)
    assert helpers.endswith("Choose people helping from the list")
    summary = page.select_one(".nhsuk-error-summary").get_text(" ")
    assert _planners_words_alone(summary) == []
