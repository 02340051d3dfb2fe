"""The rounds pages in Welsh (issue 15, point 1): a facilitator who chooses Cymraeg sees the
rounds list, the set-up page and the projector in Welsh; the projector follows the
facilitator's language, or shows each sentence in Welsh then English when they choose "both
languages" on their page (the statement too, from the framework's Welsh text)."""

from __future__ import annotations

import re

from sqlmodel import Session

from app.frameworks.queries import statement_texts
from app.models import Team
from tests.conftest import soup
from tests.factories import (
    join,
    make_person,
    rate,
    shipped_framework,
    statement_ids,
    workshop_round,
)
from tests.test_welsh import _english_only_sentences, _text


def _facilitated(client, session, engine):
    found = workshop_round(session, framework=shipped_framework(session))
    make_person(session, session.get(Team, found.team_id), "fiona", role="facilitator")
    session.commit()
    client.login("fiona")
    with Session(engine) as s:
        welsh = statement_texts(s, found.framework_id, "cy")
        english = statement_texts(s, found.framework_id, "en")
    return found, welsh, english


def test_a_welsh_facilitator_sees_the_rounds_pages_and_projector_in_welsh(client, session, engine):
    found, welsh, english = _facilitated(client, session, engine)
    client.get("/language/cy")
    sentences = _english_only_sentences()
    # the framework's own English is data (a framework without Welsh text shows it): taken
    # out before looking for interface English
    framework_words = sorted(
        {
            piece
            for pairs in (english.statements, english.sections, english.scale)
            for pair in pairs.values()
            for piece in pair
            if piece
        },
        key=len,
        reverse=True,
    )
    pages = {
        "rounds": soup(client.get(f"/teams/{found.team_id}/rounds")),
        "new": soup(client.get(f"/teams/{found.team_id}/rounds/new")),
        "present": soup(client.get(f"/rounds/{found.id}/present")),
        "facilitator": soup(client.get(f"/rounds/{found.id}")),
        "paper": soup(client.get(f"/rounds/{found.id}/paper?text=cy")),
        "results": soup(client.get(f"/rounds/{found.id}/results")),
    }
    vocabulary = set(re.findall(r"\w+", " ".join(framework_words)))
    team_name = session.get(Team, found.team_id).name  # data, not the interface
    for name, page in pages.items():
        assert page.html["lang"] == "cy", name
        text = _text(page).replace(team_name, "")
        for piece in framework_words:
            text = text.replace(piece, "")
        english_left = [
            s
            for s in sentences
            if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)
            and s not in vocabulary  # a one-word sentence found in a shortened statement
        ]
        assert english_left == [], f"{name}: English on a Welsh page: {english_left} {text}"
    assert pages["rounds"].select_one("h1").get_text(strip=True) == "Rowndiau meincnodi"
    present = pages["present"]
    statement = present.select_one("#present-statement").get_text(" ", strip=True)
    assert statement == f"C1.1 {welsh.statements['C1.1'][0]}"
    assert "Ymunwch yn" in present.select_one(".app-present__address").get_text()


def test_the_facilitators_page_and_results_read_the_frameworks_welsh_in_welsh(
    client, make_client, session, engine
):
    """The facilitator's page and the results: the statement, its hint and section, the "go
    to a statement" list and the scale's names (the agreed level's choices, the answers so
    far) in the framework's Welsh text for a Welsh reader; its English for an English one."""
    found, welsh, english = _facilitated(client, session, engine)
    ids = statement_ids(engine, found.framework_id)
    phones = [make_client() for _ in range(3)]
    for phone in phones:
        join(phone)
        rate(phone, ids[0], 3)

    def shown(page):
        heading = page.select_one("#statement-heading").get_text(" ", strip=True)
        hint = page.select_one("#statement .nhsuk-hint").get_text(" ", strip=True)
        caption = page.select_one("#statement .nhsuk-caption-m").get_text(" ", strip=True)
        choices = [o.get_text(" ", strip=True) for o in page.select("#jump option")]
        levels = [lab.get_text(" ", strip=True) for lab in page.select("#agree label")]
        bars = [b.get_text(" ", strip=True) for b in page.select("#counts .app-spread__label")]
        return heading, hint, caption, choices, levels, bars

    for texts, language in ((welsh, "cy"), (english, "en")):
        client.get(f"/language/{language}")
        heading, hint, caption, choices, levels, bars = shown(
            soup(client.get(f"/rounds/{found.id}"))
        )
        text, example = texts.statements["C1.1"]
        assert heading == f"C1.1 {text}"
        assert hint.endswith(example)
        assert texts.sections["C1"][0] in caption
        assert choices[0].startswith("C1.1 " + text[:40])
        three = texts.scale[3][0]
        assert f"3 – {three}" in levels and texts.dont_know in levels
        assert f"3 {three}" in bars and texts.dont_know in bars
        results = soup(client.get(f"/rounds/{found.id}/results"))
        section = results.select_one("h2#C1").get_text(" ", strip=True)
        assert section == f"C1 {texts.sections['C1'][0]}"
        cards = [h.get_text(" ", strip=True) for h in results.select(".nhsuk-card__heading")]
        assert f"C1.1 {text}" in cards
        headers = [th.get_text(" ", strip=True) for th in results.select("th")]
        assert f"3 {three}" in headers
    assert welsh.statements["C1.1"][0] != english.statements["C1.1"][0]
    assert welsh.scale[3][0] != english.scale[3][0]


def test_the_projector_shows_both_languages_when_the_facilitator_chooses_it(
    client, session, engine
):
    found, welsh, english = _facilitated(client, session, engine)
    page = soup(client.get(f"/rounds/{found.id}"))
    assert page.select_one("input[name=projector][value=en]").has_attr("checked")
    assert page.select_one("input[name=projector][value=both]")
    saved = client.form(f"/rounds/{found.id}/projector-language", {"projector": "both"})
    assert saved.status_code == 303 and saved.headers["location"] == f"/rounds/{found.id}"
    again = soup(client.get(f"/rounds/{found.id}"))
    assert again.select_one("input[name=projector][value=both]").has_attr("checked")
    present = soup(client.get(f"/rounds/{found.id}/present"))
    assert present.html["lang"] == "en-GB"  # the facilitator's own language
    heading = present.select_one("#present-statement")
    assert heading.select_one("[lang=cy]").get_text(strip=True) == welsh.statements["C1.1"][0]
    assert (
        heading.select_one("[lang=en-GB]").get_text(strip=True) == (english.statements["C1.1"][0])
    )
    assert welsh.statements["C1.1"][0] != english.statements["C1.1"][0]
    join = present.select_one(".app-present__address")
    assert join.select_one("[lang=cy]").get_text(strip=True).startswith("Ymunwch yn ")
    assert join.select_one("[lang=en-GB]").get_text(strip=True).startswith("Join at ")
    # Welsh comes first, then English, in every sentence shown both ways
    for pair in present.select(".app-both__cy"):
        assert pair.find_next_sibling(class_="app-both__en") is not None


def test_the_projector_can_show_welsh_for_an_english_facilitator_and_refuses_other_choices(
    client, session, engine
):
    found, welsh, _english = _facilitated(client, session, engine)
    client.form(f"/rounds/{found.id}/projector-language", {"projector": "cy"})
    present = soup(client.get(f"/rounds/{found.id}/present"))
    assert present.select_one("main")["lang"] == "cy"
    text = present.select_one("#present-statement").get_text(" ", strip=True)
    assert text == f"C1.1 {welsh.statements['C1.1'][0]}"
    bad = client.form(f"/rounds/{found.id}/projector-language", {"projector": "fr"})
    assert bad.status_code == 422
    assert soup(bad).select_one("#projector-error")


def test_a_refusal_and_a_flash_on_the_rounds_pages_are_in_welsh(client, session, engine):
    found, _welsh, _english = _facilitated(client, session, engine)
    client.get("/language/cy")
    refused = client.form(f"/rounds/{found.id}/reopen")  # it is open, not closed
    assert refused.status_code == 409
    assert "Dim ond rownd sydd wedi cau y mae modd ei hailagor." in _text(soup(refused))
    closed = client.form(f"/rounds/{found.id}/close")
    assert closed.status_code == 303
    page = soup(client.get(closed.headers["location"]))
    assert "Mae'r rownd wedi cau." in page.select_one(".app-flash").get_text()


def test_the_spread_on_a_projector_in_both_languages_names_each_level_twice(
    client, make_client, session, engine
):
    found, welsh, _english = _facilitated(client, session, engine)
    sid = statement_ids(engine, found.framework_id)[0]
    for level in (1, 2, 3):
        phone = make_client()
        join(phone)
        assert rate(phone, sid, level).status_code == 200
    client.form(f"/rounds/{found.id}/projector-language", {"projector": "both"})
    assert client.form(f"/rounds/{found.id}/spread/show").status_code == 303
    present = soup(client.get(f"/rounds/{found.id}/present"))
    labels = present.select("#spread .app-spread__label")
    assert labels, "the spread is on the screen"
    assert labels[0].select_one("[lang=cy]").get_text(strip=True) == welsh.scale[1][0]
    meter = present.select_one("#spread meter")
    assert "<" not in meter["aria-label"] and meter["aria-label"].count(":") == 1
