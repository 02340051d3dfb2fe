"""The interface in Welsh (issue 15, points 1 and 5): the catalogue has every sentence the
templates and code use; a participant who chooses Cymraeg sees the workshop in Welsh (no
English from the catalogue); English, Welsh and Easy Read phones rate one round and the
figures count them together; a signed-in person keeps their language on their account."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from sqlmodel import Session, select

from app.core import i18n
from app.frameworks.queries import statement_texts
from app.models import Round, User
from app.rounds import service as rounds_service
from app.rounds.queries import room as room_queries
from app.rounds.queries import stored_counts
from app.web import format_date, format_datetime
from tests.conftest import soup
from tests.factories import (
    CODE,
    join,
    make_person,
    make_team,
    rate,
    shipped_framework,
    statement_ids,
    workshop_round,
)

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
METHODS = [
    ("app/**.py", "python"),
    ("templates/**.html", "jinja2"),
]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "silent": "false"}}
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")


def _welsh():
    return i18n.read_catalogue("cy")


def test_no_sentence_has_two_different_welsh_translations():
    """The area files beside messages.po may repeat a sentence only with the same Welsh."""
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for path in i18n.catalogue_paths("cy"):
        with path.open("rb") as source:
            for entry in read_po(source, locale="cy"):
                strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
                if not entry.id or not all(strings):
                    continue
                key = entry.id[0] if isinstance(entry.id, tuple) else entry.id
                first = seen.setdefault(key, (path.name, entry.string))
                if first[1] != entry.string:
                    clashes.append(f"{key!r}: {first[0]} and {path.name} differ")
    assert clashes == []


def _used() -> dict[str | tuple[str, ...], str]:
    """Every sentence marked in the templates and the app's Python: msgid → where."""
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, options_map=OPTIONS
    ):
        if filename.startswith(("app/", "templates/")):
            found[message] = f"{filename}:{lineno}"
    return found


def test_the_welsh_catalogue_has_every_sentence_the_app_uses():
    catalogue = _welsh()
    used = _used()
    assert len(used) > 100  # the extraction found the markup (a broken extractor finds none)
    problems = []
    for msgid, where in used.items():
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        entry = catalogue.get(key)
        if entry is None:
            problems.append(f"{where}: missing from the Welsh catalogue: {key!r}")
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(s.strip() for s in strings):
            problems.append(f"{where}: no Welsh yet for {key!r}")
        for text in strings:
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(key)):
                problems.append(f"{where}: the Welsh for {key!r} has other placeholders")
    assert problems == [], "\n".join(problems)


def _english_only_sentences() -> list[str]:
    """Catalogue sentences whose Welsh differs (so English on a Welsh page is a miss)."""
    out = []
    for entry in _welsh():
        if not entry.id or isinstance(entry.id, tuple):
            continue
        english = PLACEHOLDER.split(entry.id)[0].strip()
        if entry.string != entry.id and len(english) > 3:
            out.append(english)
    return sorted(set(out))


def _text(page) -> str:
    for hidden in page.select("script, style"):
        hidden.decompose()
    return " ".join(page.get_text(" ").split())


def test_dates_are_written_the_welsh_way_in_welsh():
    i18n.use_language("cy")
    try:
        assert format_date(date(2026, 11, 23)) == "23 Tach 2026"
        assert format_datetime(datetime(2026, 7, 1, 13, 5)) == "1 Gorff 2026, 14:05"
    finally:
        i18n.use_language("en")
    assert format_date(date(2026, 11, 23)) == "23 Nov 2026"


def test_a_participant_who_chooses_welsh_sees_the_workshop_in_welsh(client, session, engine):
    found = workshop_round(session, framework=shipped_framework(session))
    ids = statement_ids(engine, found.framework_id)
    english = soup(client.get("/join"))
    link = english.select_one(".app-language-link a[hreflang=cy]")
    assert link.get_text(strip=True) == "Cymraeg" and link["lang"] == "cy"
    response = client.get(link["href"], follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/join"
    sentences = _english_only_sentences()
    pages = {}
    pages["join"] = soup(client.get("/join"))
    pages["welcome"] = soup(client.get(f"/r/{CODE}"))
    join(client)
    pages["statement"] = soup(client.get(f"/r/{CODE}/statements/1"))
    pages["section"] = soup(client.get(f"/r/{CODE}/sections/1"))
    pages["bring"] = soup(client.get(f"/r/{CODE}/bring"))
    pages["thanks"] = soup(client.get(f"/r/{CODE}/thanks"))
    saved = rate(client, ids[0], 2)
    assert "Wedi'i gadw" in saved.text and "1 o " in saved.text
    for name, page in pages.items():
        assert page.html["lang"] == "cy", name
        text = _text(page)
        english_left = [s for s in sentences if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)]
        assert english_left == [], f"{name}: English on a Welsh page: {english_left}"
    assert pages["welcome"].select_one("h1").get_text(strip=True) == "Croeso i'r gweithdy"
    assert pages["statement"].select_one("button[value=next]").get_text(strip=True) == (
        "Cadw a pharhau"
    )
    back = pages["statement"].select_one(".app-language-link a")
    assert back.get_text(strip=True) == "English" and "next=%2Fr%2F" in back["href"]


def test_refusals_are_in_welsh_next_to_the_field(client, session):
    workshop_round(session)
    client.get("/language/cy")
    response = client.form("/join", {"code": "ZZZZZZ"})
    assert response.status_code == 422
    message = soup(response).select_one("#code-error").get_text(" ", strip=True)
    assert "Doedden ni ddim yn gallu dod o hyd i weithdy agored" in message
    client.get(f"/r/{CODE}")
    long_name = client.form(f"/r/{CODE}", {"perspective": "staff", "alias": "x" * 41})
    assert long_name.status_code == 422
    page = soup(long_name)
    assert (
        page.select_one("#alias-error")
        .get_text(" ", strip=True)
        .endswith("Rhaid i'ch llysenw fod yn 40 nod neu lai.")
    )
    assert page.select_one("input#alias")["value"] == "x" * 41


def test_english_welsh_and_easy_read_phones_count_together(client, make_client, session, engine):
    found = workshop_round(session, framework=shipped_framework(session))
    sid = statement_ids(engine, found.framework_id)[0]
    english, welsh, easy = client, make_client(), make_client()
    welsh.get("/language/cy")
    join(english, perspective="staff")
    join(welsh, perspective="service_user")
    join(easy, perspective="service_user", easy_read="1")
    for phone, level in ((english, 4), (welsh, 2), (easy, 3)):
        assert rate(phone, sid, level).status_code == 200
    with Session(engine) as s:
        counts = room_queries.live_counts(s, found.id, sid)[sid]
    assert room_queries.answered_count(counts) == 3
    assert counts["service_user"].n == 2 and counts["staff"].n == 1
    # the results, written when the round closes, count them together too
    with Session(engine) as s:
        rounds_service.close_round(s, s.get(Round, found.id))
        s.commit()
        stored = stored_counts(s, found.id, sid)[sid]
    assert room_queries.answered_count(stored) == 3
    assert (stored["service_user"].n, stored["staff"].n) == (2, 1)


def test_a_signed_in_person_keeps_their_language_on_their_account(client, session, engine):
    team = make_team(session, "Team A")
    make_person(session, team, "fiona", role="facilitator")
    session.commit()
    client.login("fiona")
    page = soup(client.get("/account"))
    assert page.select_one("input[name=language][value=en]").has_attr("checked")
    response = client.form("/account/language", {"language": "cy"})
    assert response.status_code == 303
    with Session(engine) as s:
        assert s.exec(select(User).where(User.username == "fiona")).one().language == "cy"
    client.cookies.delete(i18n.COOKIE)  # a new device: the account's choice holds
    again = soup(client.get("/account"))
    assert again.html["lang"] == "cy"
    assert again.select_one("input[name=language][value=cy]").has_attr("checked")
    bad = client.form("/account/language", {"language": "fr"})
    assert bad.status_code == 422
    assert "Dewiswch English neu Cymraeg." in soup(bad).get_text()


def test_a_welsh_phone_reads_the_framework_in_welsh_and_paper_prints_in_welsh(
    client, make_client, session, engine
):
    found = workshop_round(session, framework=shipped_framework(session))
    client.get("/language/cy")
    join(client)
    with Session(engine) as s:
        texts = statement_texts(s, found.framework_id, "cy")
    first = soup(client.get(f"/r/{CODE}/statements/1"))
    assert first.select_one("h1").get_text(strip=True) == texts.statements["C1.1"][0]
    labels = [n.get_text(strip=True) for n in first.select(".app-scale__name")]
    assert labels == [texts.scale[n][0] for n in (1, 2, 3, 4)] + [texts.dont_know]
    facilitator = make_client()
    make_person(session, found_team(session, found), "fiona", role="facilitator")
    session.commit()
    facilitator.login("fiona")
    sheet = soup(facilitator.get(f"/rounds/{found.id}/paper?text=cy")).select_one("#sheet-1")
    cell = sheet.select_one(".app-paper-table__statement")
    assert texts.statements["C1.1"][0] in cell.get_text() and cell["lang"] == "cy"


def found_team(session, round_):
    from app.models import Team

    return session.get(Team, round_.team_id)
