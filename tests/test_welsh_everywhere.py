"""Issue 15 point 5, the catch-all: every Welsh page shows no English text from the
catalogue (data, names, codes, NHS and TRIP aside).

Every GET route of the app (read from the app, as tests/test_access_matrix.py does, with the
same world) is requested with the cookie `trip_lang=cy` as team B's facilitator and as an
admin; every 200 HTML answer must show no sentence whose Welsh differs from its English.
/docs, /redoc and /openapi (the JSON API's Swagger page, drawn by FastAPI in English) are
skipped by `app_routes`, as in the access matrix. Sentences that are also the world's own
data (a team or plan called by a catalogue word) are not counted.
"""

from __future__ import annotations

import re

from sqlalchemy import JSON, String
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, select

from app.models import User
from tests.access_world import Visitor, app_routes, fill, world
from tests.conftest import soup
from tests.test_welsh import _english_only_sentences, _text

# Pages and parts of pages kept in English on purpose, each with its reason. The test also
# checks each still shows English from the catalogue, so a stale entry fails.
ENGLISH_PAGES = {
    "/patterns": "the developers' pattern library: 404 in production, never seen by users",
}
ENGLISH_PARTS = {
    ".app-statement": "the accessibility statement on /accessibility is the published document "
    "docs/assurance (one source, in English); the page around it is checked",
}

# English still shown on Welsh pages at the last pass: (who, route, sentence). The test
# fails if one of these is no longer seen, so the list cannot silently go stale.
EXPECTED_ENGLISH: set[tuple[str, str, str]] = set()


SEEN: dict[tuple[str, str], str] = {}  # where each English sentence was seen, for the message


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _is_text(kind) -> bool:
    """A text column: String, Text or SQLModel's AutoString (a TypeDecorator)."""
    return isinstance(getattr(kind, "impl", kind), String) and not isinstance(kind, JSON)


def _typed_text(engine) -> list[str]:
    """The world's own data: every stored text of more than one word (names, titles,
    statement texts) and every text inside a JSON column (the framework's level names);
    one-word text columns are codes (roles, statuses) that the pages must translate, so
    they are not excused."""
    out = []
    with Session(engine) as session:
        for table in SQLModel.metadata.sorted_tables:
            texts = [c for c in table.columns if _is_text(c.type)]
            jsons = [c for c in table.columns if isinstance(c.type, JSON)]
            for row in session.execute(sa_select(*texts)) if texts else []:
                out += [v for v in row if isinstance(v, str) and " " in v.strip()]
            for row in session.execute(sa_select(*jsons)) if jsons else []:
                out += _strings(list(row))
    return out


def _english_on_welsh_pages(who, app, engine, session, make_client) -> set[tuple[str, str]]:
    w = world(session, app.state.clock())
    user = (
        w.users.get(who) or session.exec(select(User).where(User.username == "zephyrine.q")).one()
    )
    session.commit()  # end the read, so the app's requests can write
    visitor = Visitor(make_client(), engine, user)
    visitor.client.cookies.set("trip_lang", "cy", domain="testserver.local")
    data = " | ".join(w.names + w.inside_only + w.private + _typed_text(engine))
    sentences = [
        s for s in _english_only_sentences() if not re.search(rf"(?<!\w){re.escape(s)}(?!\w)", data)
    ]
    patterns = {s: re.compile(rf"(?<!\w){re.escape(s)}(?!\w)") for s in sentences}
    found: set[tuple[str, str]] = set()
    kept_english: set[str] = set()
    pages = 0
    for method, path in app_routes(app):
        if method != "GET":
            continue
        response = visitor.client.get(fill(path, w.params), follow_redirects=False)
        if response.status_code != 200 or "text/html" not in response.headers.get(
            "content-type", ""
        ):
            continue
        pages += 1
        page = soup(response)
        for selector in ENGLISH_PARTS:
            for part in page.select(selector):
                if any(p.search(_text(part)) for p in patterns.values()):
                    kept_english.add(selector)
                part.decompose()
        text = _text(page)
        if path in ENGLISH_PAGES:
            if any(p.search(text) for p in patterns.values()):
                kept_english.add(path)
            continue
        for sentence, pattern in patterns.items():
            if match := pattern.search(text):
                found.add((path, sentence))
                SEEN[(path, sentence)] = text[max(0, match.start() - 40) : match.end() + 40]
    assert pages > 20  # the walk reached the pages (a broken sign-in or cookie reaches none)
    still_needed = set(ENGLISH_PAGES) | set(ENGLISH_PARTS)
    assert kept_english == still_needed, (
        f"no longer English, take out: {still_needed - kept_english}"
    )
    return found


def _check(found: set[tuple[str, str]], who: str) -> None:
    expected = {(p, s) for w, p, s in EXPECTED_ENGLISH if w == who}
    unexpected = sorted(found - expected)
    stale = sorted(expected - found)
    assert unexpected == [], "English on Welsh pages:\n" + "\n".join(
        f"{p} {s!r}: …{SEEN[(p, s)]}…" for p, s in unexpected
    )
    assert stale == [], "no longer English, take out of EXPECTED_ENGLISH:\n" + "\n".join(
        map(str, stale)
    )


def test_every_welsh_page_as_team_bs_facilitator(app, engine, session, make_client):
    _check(
        _english_on_welsh_pages("b_facilitator", app, engine, session, make_client), "b_facilitator"
    )


def test_every_welsh_page_as_an_admin(app, engine, session, make_client):
    _check(_english_on_welsh_pages("admin", app, engine, session, make_client), "admin")
