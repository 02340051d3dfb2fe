"""The plan pages in Welsh (issue 15, point 1): a co-lead or facilitator who chooses Cymraeg
sees My part, the plan and the priority and action pages with no English sentence from the
catalogue, and the plan's own words (titles the team typed) unchanged."""

from __future__ import annotations

import re

from sqlmodel import select

from app.core import i18n
from app.models import Statement
from tests.conftest import soup
from tests.plans_world import agreed_plan, draft_plan, make_world
from tests.test_welsh import _english_only_sentences, _text


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return soup(response)


def _english_left(page, sentences, data=()):
    text = _text(page)
    for typed in data:  # the team's own words ("Omar Owner") are data, not interface
        text = text.replace(typed, "")
    return [s for s in sentences if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)]


def test_a_co_lead_who_chooses_welsh_sees_the_plan_pages_in_welsh(client, session):
    w = make_world(session)
    plan, (p1, _p2, _p3), actions = agreed_plan(session, w)
    a1 = actions[0]
    client.cookies.set(i18n.COOKIE, "cy")
    sentences = _english_only_sentences()
    names = [m.display_name for m in (w.fac, w.staff, w.su, w.owner, w.member, w.peer, w.su2)]
    names.append(w.team.name)  # "Team A": the team's own name is data
    names += session.exec(select(Statement.text)).all()  # the framework's words are data too
    session.commit()  # end the read, so the app can write
    pages = {}
    client.login("sue")
    pages["my part (co-lead)"] = _page(client, "/my-part")
    pages["own priority"] = _page(client, f"/priorities/{p1.id}/own")
    client.form("/logout")
    client.login("fac")
    client.get("/my-part")  # shows (and so clears) the accounts area's "signed out" message
    pages["plan"] = _page(client, f"/plans/{plan.id}")
    pages["priority"] = _page(client, f"/priorities/{p1.id}")
    pages["priority form"] = _page(client, f"/priorities/{p1.id}/edit")
    pages["new action"] = _page(client, f"/priorities/{p1.id}/actions/new")
    pages["action"] = _page(client, f"/actions/{a1.id}")
    pages["action edit"] = _page(client, f"/actions/{a1.id}/edit")
    pages["action history"] = _page(client, f"/actions/{a1.id}/history")
    pages["printable plan"] = _page(client, f"/plans/{plan.id}/print")
    pages["plans"] = _page(client, f"/teams/{w.team.id}/plans")
    pages["celebrations"] = _page(client, f"/teams/{w.team.id}/celebrations")
    pages["record a review"] = _page(client, f"/plans/{plan.id}/reviews/new")
    pages["new plan"] = _page(client, f"/teams/{w.team.id}/plans/new")
    draft = draft_plan(session, w, title="Next plan")  # the agreed plan closes
    pages["draft plan"] = _page(client, f"/plans/{draft.id}")
    pages["closed plan"] = _page(client, f"/plans/{plan.id}")
    for name, page in pages.items():
        assert page.html["lang"] == "cy", name
        assert _english_left(page, sentences, names) == [], f"{name}: English on a Welsh page"
    part = pages["my part (co-lead)"]
    assert part.select_one("h1").get_text(strip=True) == "Fy rhan i"
    card = part.select_one(".app-my-priority")
    assert "Chi yw'r cyd-arweinydd sy'n defnyddio'r gwasanaeth." in _text(card)
    assert card.select_one("h2").get_text(strip=True) == "Recovery stories"  # the team's words
    quick = [b.get_text(" ", strip=True) for b in part.select(".app-quick-button")]
    assert any(b.startswith("Wedi'i wneud") for b in quick)
    draft_page = pages["draft plan"]
    assert draft_page.select_one(".app-agree h2").get_text(strip=True) == "Cytuno ar y cynllun"
    assert pages["plan"].select_one("#grid").get_text(strip=True) == (
        "Faint o wahaniaeth, faint o waith"
    )


def test_the_plan_pages_stay_in_english_by_default(client, session):
    w = make_world(session)
    agreed_plan(session, w)
    client.login("sue")
    page = _page(client, "/my-part")
    assert page.html["lang"] == "en-GB"
    assert "You are the co-lead who uses the service." in _text(page.select_one(".app-my-priority"))
