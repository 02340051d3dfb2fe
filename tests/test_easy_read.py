"""Easy Read mode (issue 15, point 3): chosen at join, the phone shows the framework's Easy
Read words with a picture per scale level and per section, a short glossary is one link
away, paper sheets print in Easy Read, and the ratings count with everyone else's."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import Participant, Rating, Statement
from app.rounds import queries as round_queries
from tests.conftest import soup
from tests.factories import (
    CODE,
    join,
    make_person,
    make_round,
    make_team,
    participants,
    rate,
    shipped_framework,
    workshop_round,
)

C11_EASY = "We ask about your hopes and what matters to you."


def _statement(engine, framework_id: int, code: str) -> Statement:
    with Session(engine) as s:
        return s.exec(
            select(Statement).where(Statement.framework_id == framework_id, Statement.code == code)
        ).one()


def test_the_welcome_page_offers_easy_read_without_javascript(client, session):
    workshop_round(session, framework=shipped_framework(session))
    page = soup(client.get(f"/r/{CODE}"))
    box = page.select_one("form input[type=checkbox][name=easy_read]")
    label = page.select_one(f"label[for={box['id']}]").get_text(strip=True)
    assert label == "Easy Read: shorter words and pictures"


def test_joining_in_easy_read_shows_easy_read_words_and_pictures(client, session, engine):
    found = workshop_round(session, framework=shipped_framework(session))
    join(client, easy_read="1")
    assert participants(engine)[0].easy_read is True
    english = _statement(engine, found.framework_id, "C1.1")
    page = soup(client.get(f"/r/{CODE}/statements/1"))
    assert "app-easy-read" in page.body["class"]
    assert page.select_one("h1").get_text(strip=True) == C11_EASY != english.text
    labels = [n.get_text(strip=True) for n in page.select(".app-scale__name")]
    assert labels == ["Not yet", "Starting", "Often", "Every day", "I don't know"]
    pictures = page.select(".app-scale__label img")
    assert [img["src"] for img in pictures] == [
        f"/static/easy-read/level-{n}.svg" for n in (1, 2, 3, 4)
    ]
    # the words beside each picture carry the meaning: the pictures are decorative
    assert all(img["alt"] == "" for img in page.select("img"))
    assert page.select_one(".app-easy-read__section-picture")["src"].endswith("section-C1.svg")
    hint = page.select_one(".nhsuk-hint[id^=hint-]").get_text(strip=True)
    assert "first meeting" in hint
    # every picture the page names is shipped
    for img in page.select("img"):
        assert client.get(img["src"]).status_code == 200
    part = soup(client.get(f"/r/{CODE}/sections/1"))
    assert part.select_one("h1").get_text(strip=True) == "Everyday talk"
    assert C11_EASY in part.select_one(".app-overview").get_text()


def test_english_participants_see_the_framework_text_without_pictures(client, session, engine):
    found = workshop_round(session, framework=shipped_framework(session))
    join(client)
    english = _statement(engine, found.framework_id, "C1.1")
    page = soup(client.get(f"/r/{CODE}/statements/1"))
    assert "app-easy-read" not in page.body["class"]
    assert page.select_one("h1").get_text(strip=True) == english.text
    assert not page.select(".app-scale__label img")
    assert not page.select("a[href*='/words']")


def test_the_glossary_is_one_link_from_the_statement_and_links_back(client, session):
    workshop_round(session, framework=shipped_framework(session))
    join(client, easy_read="1")
    page = soup(client.get(f"/r/{CODE}/statements/3"))
    link = page.select_one("a[href*='/words']")
    assert link.get_text(strip=True) == "What some words mean"
    glossary = soup(client.get(link["href"]))
    words = [dt.get_text(strip=True) for dt in glossary.select(".app-glossary__word")]
    assert {"Recovery", "Medication", "Service"} <= set(words)
    assert glossary.select_one("a.app-easy-read__back")["href"] == f"/r/{CODE}/statements/3"


def test_easy_read_falls_back_to_english_where_a_framework_has_none(client, session, engine):
    workshop_round(session)  # the small test framework has no Easy Read text
    join(client, easy_read="1")
    page = soup(client.get(f"/r/{CODE}/statements/1"))
    heading = page.select_one("h1").get_text(strip=True)
    with Session(engine) as s:
        first = s.exec(select(Statement).order_by(Statement.position, Statement.id)).first()
    assert heading == first.text
    assert len(page.select(".app-scale__label img")) == 4  # the pictures still help


def test_easy_read_and_english_ratings_count_together(client, make_client, session, engine):
    found = workshop_round(session, framework=shipped_framework(session))
    join(client, easy_read="1")
    other = make_client()
    join(other, perspective="service_user")
    sid = _statement(engine, found.framework_id, "C1.1").id
    assert rate(client, sid, 3).status_code == 200
    assert rate(other, sid, 1).status_code == 200
    with Session(engine) as s:
        rows = s.exec(select(Rating).where(Rating.statement_id == sid)).all()
        easy = {p.id: p.easy_read for p in s.exec(select(Participant)).all()}
    assert sorted((easy[r.participant_id], r.level) for r in rows) == [(False, 1), (True, 3)]


def test_paper_sheets_print_in_easy_read_and_are_typed_in_the_same(client, session):
    framework = shipped_framework(session)
    team = make_team(session, "Team A")
    make_person(session, team, "fiona", role="facilitator")
    round_ = make_round(session, team, framework, status="open", mode="group")
    statements = round_queries.round_statements(session, round_)
    session.commit()
    client.login("fiona")
    standard = soup(client.get(f"/rounds/{round_.id}/paper"))
    assert standard.select_one("input[name=text][value=standard]").has_attr("checked")
    assert not standard.select(".app-paper-sheet img")
    easy = soup(client.get(f"/rounds/{round_.id}/paper?text=easy_read"))
    assert easy.select_one("input[name=text][value=easy_read]").has_attr("checked")
    sheet = easy.select_one("#sheet-1")
    assert C11_EASY in sheet.select_one(".app-paper-table__statement").get_text()
    assert sheet.select_one("h2").get_text(" ", strip=True) == "C1 Everyday talk"
    assert [img["alt"] for img in sheet.select("img")][:1] == [""]
    # the typing-in form is the same whichever words were printed: the same statements
    boxes = {f["name"] for f in easy.select("#entry input[type=radio][name^=level_]")}
    assert boxes == {f"level_{st.id}" for st in statements}


def test_easy_read_on_a_welsh_page_says_its_words_are_english(client, session):
    """There is no Welsh Easy Read text yet: the English Easy Read words carry lang="en-GB"
    so a screen reader reads them as English on a Welsh page."""
    workshop_round(session, framework=shipped_framework(session))
    client.get("/language/cy")
    join(client, easy_read="1")
    page = soup(client.get(f"/r/{CODE}/statements/1"))
    assert page.html["lang"] == "cy"
    heading = page.select_one("h1")
    assert heading.get_text(strip=True) == C11_EASY and heading["lang"] == "en-GB"
    assert page.select_one(".app-scale")["lang"] == "en-GB"
