"""Free text that names people (issue 10, point 7): forms ask before saving a text seen
outside the team that names someone on the team; the outside view drops the perspective
label of any item whose words name someone (app.core.naming)."""

from __future__ import annotations

import csv
import io
import unicodedata

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import event
from sqlmodel import select

from app.core import naming
from app.models import Action, AgreedRating, Plan, Priority, User
from app.org import queries as org_queries
from app.rounds import queries as rounds_queries
from tests.conftest import soup
from tests.factories import (
    make_api_token,
    make_member,
    make_person,
    make_round,
    make_team,
    make_user,
    small_framework,
)
from tests.plans_world import add_action, add_priority, draft_plan, make_world, statement

ASK = "This can be seen outside the team and names Jo — keep it?"
BOX = "Yes, this can be seen outside the team"
HIDDEN = "Not shown outside the team"
HX = {"HX-Request": "true"}


def read(session, query) -> list:
    """Rows now, then end the read (on SQLite an open transaction holds the write lock)."""
    found = list(session.exec(query).all())
    session.commit()
    return found


def error(page: BeautifulSoup, field: str) -> str:
    found = page.select_one(f"#{field}-error")
    return found.get_text(" ", strip=True).removeprefix("Error:").strip() if found else ""


def box(page: BeautifulSoup):
    return page.select_one('input[type=checkbox][name=confirm_names][value="yes"]')


# --- the words ---------------------------------------------------------------------------


def test_whole_words_ignoring_case_of_two_or_more_letters():
    names = ["Jo Bloggs", "J Smith"]
    assert naming.names_in("Jo's walking group", names) == ["Jo"]
    assert naming.names_in("ask JO and jo again", names) == ["Jo"]
    assert naming.names_in("Joining the group", names) == []
    assert naming.names_in("Bloggs-style notes with Smith", names) == ["Bloggs", "Smith"]
    # a one-letter word of a name is not a name word
    assert naming.names_in("Plan J", names) == []
    assert naming.names_in("", names) == [] and naming.names_in("Jo", []) == []
    # the order is the text's; each once; spelled as in the name
    assert naming.names_in("bloggs then jo then BLOGGS", names) == ["Bloggs", "Jo"]


def test_unicode_letters():
    names = ["Dŵr Jones", "Zoë Smith", "Ólafur"]
    assert naming.names_in("Thanks to zoë and DŴR", names) == ["Zoë", "Dŵr"]
    # decomposed letters (w + combining circumflex) are the same word
    assert naming.names_in(unicodedata.normalize("NFD", "dŵr's idea"), names) == ["Dŵr"]
    assert naming.names_in("ÓLAFUR", names) == ["Ólafur"]
    # "Zoë" is not "Zoe", and ŵ is a letter inside the word, not a break
    assert naming.names_in("Zoe Dwr Dŵrs", names) == []


def test_message_and_the_one_outside_rule():
    assert naming.message(["Jo"]) == ASK
    assert naming.message(["Jo", "Sam", "Ali"]).endswith("names Jo, Sam and Ali — keep it?")
    assert naming.outside_label("staff", ["Jo's group", ""], ["Jo Bloggs"]) is None
    assert naming.outside_label("staff", ["Joining", None], ["Jo Bloggs"]) == "staff"
    assert naming.naming_errors({"title": "Jo's"}, ["Jo"], {"confirm_names": "yes"}) == {}
    assert naming.naming_errors({"title": "Jo's", "why": "fine"}, ["Jo"], {}) == {"title": ASK}


def test_current_and_former_members_in_one_query(session, engine, clock):
    team = make_team(session, "Team A")
    other = make_team(session, "Team B")
    make_member(session, team, "Jo Bloggs")
    former = make_member(session, team, "Kit Left")
    former.left_at = clock.now
    session.add(former)
    make_member(session, other, "Ali Other")
    session.commit()
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        names = org_queries.team_display_names(session, [team.id, other.id])
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
    assert sorted(names[team.id]) == ["Jo Bloggs", "Kit Left"]
    assert names[other.id] == ["Ali Other"]


# --- the forms ---------------------------------------------------------------------------


@pytest.fixture
def w(session):
    w = make_world(session)
    make_member(session, w.team, "Jo Bloggs", perspective="service_user")
    make_user(session, "lead", role="recovery_lead")
    return w


def test_plan_title_asks_then_saves_with_the_box(client, session, w):
    client.login("fac")
    url = f"/teams/{w.team.id}/plans"
    data = {"title": "Jo's plan", "source_round_id": str(w.round.id)}
    response = client.form(url, data)
    assert response.status_code == 422
    page = soup(response)
    assert error(page, "title") == ASK
    assert page.select_one("input#title")["value"] == "Jo's plan"
    assert box(page) is not None and not box(page).has_attr("checked")
    assert page.select_one('label[for="confirm_names"]').get_text(strip=True) == BOX
    assert read(session, select(Plan)) == []
    assert client.form(url, {**data, "confirm_names": "yes"}).status_code == 303
    assert read(session, select(Plan.title)) == ["Jo's plan"]


def test_a_text_without_names_saves_at_once_and_joining_is_not_jo(client, session, w):
    client.login("fac")
    response = client.form(f"/teams/{w.team.id}/plans", {"title": "Joining up our plan"})
    assert response.status_code == 303
    plan = read(session, select(Plan))[0]
    response = client.form(
        f"/plans/{plan.id}/priorities",
        {"title": "Recovery stories", "why": "Joined-up care", "impact": "high", "effort": "low"},
    )
    assert response.status_code == 303
    assert read(session, select(Priority.title)) == ["Recovery stories"]


def test_priority_title_and_why_ask_then_save(client, session, w):
    plan = draft_plan(session, w)
    client.login("fac")
    url = f"/plans/{plan.id}/priorities"
    data = {
        "title": "Walking group",
        "why": "Jo asked for it",
        "impact": "high",
        "effort": "low",
        "statement_ids": str(statement(session, w.framework, "C1.1").id),
    }
    session.commit()
    response = client.form(url, data)
    assert response.status_code == 422
    page = soup(response)
    assert error(page, "why") == ASK and error(page, "title") == ""
    assert page.select_one("textarea#why").get_text() == "Jo asked for it"
    assert page.select_one("input[name=statement_ids][checked]") is not None
    assert box(page) is not None
    assert read(session, select(Priority)) == []
    assert client.form(url, {**data, "confirm_names": "yes"}).status_code == 303
    priority = read(session, select(Priority))[0]
    # changing something else keeps the confirmed words without asking again
    edit = {**data, "effort": "high", "version": str(priority.version)}
    assert client.form(f"/priorities/{priority.id}", edit).status_code == 303
    # a new title naming someone asks again
    edit = {**data, "title": "Jo's walk", "version": str(priority.version + 1)}
    response = client.form(f"/priorities/{priority.id}", edit)
    assert response.status_code == 422 and error(soup(response), "title") == ASK


def test_action_text_asks_then_saves_without_and_with_htmx(client, session, w):
    plan = draft_plan(session, w)
    priority = add_priority(session, w, plan, "Walks", staff=w.staff, service_user=w.su)
    client.login("fac")
    url = f"/priorities/{priority.id}/actions"
    data = {"what": "Ring jo about the route", "status": "not_started"}
    response = client.form(url, data)
    assert response.status_code == 422
    page = soup(response)
    assert error(page, "what") == ASK and box(page) is not None
    assert page.select_one("input#what")["value"] == "Ring jo about the route"
    assert read(session, select(Action)) == []
    assert client.form(url, {**data, "confirm_names": "yes"}).status_code == 303
    action = read(session, select(Action))[0]
    # the inline (htmx) update: the fragment comes back asking, in place
    update = {"what": "Ask Jo again", "status": "in_progress", "version": str(action.version)}
    response = client.form(f"/actions/{action.id}/update", update, headers=HX)
    assert response.status_code == 422
    fragment = soup(response)
    assert fragment.select_one("html") is None  # a block, not a whole page
    assert error(fragment, f"what-{action.id}") == ASK
    assert fragment.select_one(f"#confirm_names-{action.id}") is not None
    session.refresh(action)
    session.commit()
    assert (action.what, action.status) == ("Ring jo about the route", "not_started")
    update["confirm_names"] = "yes"
    response = client.form(f"/actions/{action.id}/update", update, headers=HX)
    assert response.status_code == 200
    session.refresh(action)
    session.commit()
    assert (action.what, action.status) == ("Ask Jo again", "in_progress")
    # a status change that keeps the words does not ask again
    update = {"what": "Ask Jo again", "status": "done", "version": str(action.version)}
    assert client.form(f"/actions/{action.id}/update", update).status_code == 303


def test_a_former_members_name_is_caught(client, session, w, clock):
    kit = make_member(session, w.team, "Kit Marlowe")
    kit.left_at = clock.now
    session.add(kit)
    session.commit()
    client.login("fac")
    response = client.form(f"/teams/{w.team.id}/plans", {"title": "Marlowe's plan"})
    assert response.status_code == 422
    assert error(soup(response), "title").endswith("names Marlowe — keep it?")


def test_agreed_rating_notes_ask_then_save_without_and_with_htmx(client, session):
    framework = small_framework(session)
    team = make_team(session, "Team A", framework_key="small")
    make_person(session, team, "fiona", role="facilitator", name="Fiona Fac")
    make_member(session, team, "Jo Bloggs", perspective="carer")
    round_ = make_round(session, team, framework, status="open")
    st = rounds_queries.round_statements(session, round_)[0]
    session.commit()
    client.login("fiona")
    url = f"/rounds/{round_.id}/statements/{st.id}/agree"
    data = {"level": "3", "well_notes": "We listen", "could_notes": "Jo's idea", "version": "0"}
    response = client.form(url, data)
    assert response.status_code == 422
    page = soup(response)
    assert error(page, "could_notes") == ASK and error(page, "well_notes") == ""
    assert page.select_one("#agree textarea#could_notes").get_text() == "Jo's idea"
    assert box(page) is not None
    assert read(session, select(AgreedRating)) == []
    response = client.form(url, data, headers=HX)
    assert response.status_code == 422
    fragment = soup(response)
    assert fragment.select_one("html") is None and fragment.select_one("section#agree")
    assert error(fragment, "could_notes") == ASK and box(fragment) is not None
    response = client.form(url, {**data, "confirm_names": "yes"}, headers=HX)
    assert response.status_code == 200
    row = read(session, select(AgreedRating))[0]
    assert (row.level, row.could_notes) == (3, "Jo's idea")
    # a new level with the same notes saves at once; plain words save at once
    assert client.form(url, {**data, "level": "4", "version": "1"}).status_code == 303
    plain = {**data, "could_notes": "Joint work", "version": "2"}
    assert client.form(url, plain).status_code == 303


# --- the outside view --------------------------------------------------------------------


def _named_plan(session, w):
    """An agreed plan: "Jo's walking group" (with an action) among plain priorities."""
    plan = draft_plan(session, w)
    named = add_priority(session, w, plan, "Jo's walking group", staff=w.staff, service_user=w.su)
    add_priority(session, w, plan, "Recovery stories", staff=w.staff, service_user=w.su)
    add_priority(session, w, plan, "Shared notes", staff=w.fac, service_user=w.su2)
    add_action(session, w, named, "Book the hall", owner=w.su)
    plain = read(session, select(Priority).where(Priority.title == "Recovery stories"))[0]
    add_action(session, w, plain, "Invite speakers", owner=w.su)
    add_action(session, w, plain, "Thank jo", owner=w.owner)
    from datetime import date

    from app.plans.service import plans as plans_service

    assert plans_service.agree_plan(session, plan, actor=w.fac_user, today=date(2026, 3, 10)) == []
    session.commit()
    return plan


def test_outside_view_drops_the_perspective_of_items_that_name_someone(
    client, make_client, session, w
):
    plan = _named_plan(session, w)
    lead = make_client()
    lead.login("lead")
    page = soup(lead.get(f"/plans/{plan.id}"))
    cards = {c.select_one("h3").get_text(strip=True): c for c in page.select(".app-priority")}
    named, plain = cards["Jo's walking group"], cards["Recovery stories"]
    assert named.select_one(".app-coleads").get_text(" ", strip=True) == HIDDEN
    assert "person using the service" not in named.get_text()
    assert [o.get_text(strip=True) for o in named.select(".app-action__owner")] == [HIDDEN]
    assert plain.select_one(".app-coleads").get_text(" ", strip=True) == (
        "Co-led by staff and a person using the service"
    )
    owners = [o.get_text(strip=True) for o in plain.select(".app-action__owner")]
    assert owners == ["Person using the service", HIDDEN]  # "Thank jo" names Jo
    # inside the team, names as before
    client.login("member")
    inside = soup(client.get(f"/plans/{plan.id}"))
    assert "Sue User" in inside.select_one(".app-priority .app-coleads").get_text()
    # the team home, the print view and the CSV for the recovery lead
    home = soup(lead.get(f"/teams/{w.team.id}"))
    glance = {
        li.select_one("a").get_text(strip=True): li.get_text(" ", strip=True)
        for li in home.select(".app-glance__item")
    }
    assert "Co-leads not shown outside the team" in glance["Jo's walking group"]
    assert "person using the service" not in glance["Jo's walking group"]
    assert "Co-led by staff and a person using the service" in glance["Recovery stories"]
    printed = soup(lead.get(f"/plans/{plan.id}/print")).select_one(".app-print-priority")
    assert "Co-leads not shown outside the team" in printed.get_text()
    rows = list(csv.reader(io.StringIO(lead.get(f"/teams/{w.team.id}/plan.csv").text)))
    by_action = {r[4]: r for r in rows[1:]}
    assert by_action["Book the hall"][2:4] == [HIDDEN, HIDDEN]
    assert by_action["Book the hall"][5] == HIDDEN
    assert by_action["Invite speakers"][5] == "Person using the service"


def test_api_and_compare_drop_the_perspective_of_items_that_name_someone(
    client, make_client, session, w
):
    plan = _named_plan(session, w)
    lead_user = read(session, select(User).where(User.username == "lead"))[0]
    _token, plain = make_api_token(session, lead_user)
    session.commit()
    got = client.get(f"/api/v1/plans/{plan.id}", headers={"Authorization": f"Bearer {plain}"})
    assert got.status_code == 200
    priorities = {p["title"]: p for p in got.json()["priorities"]}
    named = priorities["Jo's walking group"]
    assert (named["staff_co_lead"], named["service_user_co_lead"]) == (None, None)
    assert [a["owner_perspective"] for a in named["actions"]] == [None]
    kept = priorities["Recovery stories"]
    assert (kept["staff_co_lead"], kept["service_user_co_lead"]) == ("staff", "service_user")
    owners = {a["what"]: a["owner_perspective"] for a in kept["actions"]}
    assert owners == {"Invite speakers": "service_user", "Thank jo": None}
    # the statement view across teams (both priorities are on C1.1)
    c11 = statement(session, w.framework, "C1.1")
    session.commit()
    lead = make_client()
    lead.login("lead")
    page = soup(lead.get(f"/compare/statements/{c11.id}"))
    stories = {
        card.select_one("h3").get_text(strip=True).split(": ", 1)[1]: card
        for card in page.select(".app-story")
    }
    named, kept = stories["Jo's walking group"], stories["Recovery stories"]
    assert "person using the service" not in named.get_text(" ")
    assert "Co-leads not shown outside the team." in named.get_text(" ")
    assert "owner not shown outside the team" in named.select_one("li").get_text(" ")
    assert "Co-led by staff and person using the service" in kept.get_text(" ")
    owners = [" ".join(li.get_text(" ").split()) for li in kept.select("li")]
    assert owners[0].startswith("Invite speakers – owned by person using the service")
    assert "owned by" not in owners[1]  # "Thank jo"
    assert "owner not shown outside the team" in owners[1]
    exported = lead.get(f"/compare/statements/{c11.id}.csv").text
    row = next(r for r in csv.reader(io.StringIO(exported)) if "Jo's walking group" in r)
    assert HIDDEN in row and "Book the hall (Not shown outside the team, not started)" in row
    assert not any("Person using the service" in cell for cell in row)
