"""The last sentences built in Python, in Welsh (issue 15, point 1): with the cookie
trip_lang=cy the suggestion reasons, a closed round's results ("took part" groups and the
change since the last round) and form errors (a field's general check, a password rule) are
written in Welsh, and no English sentence from the catalogue is left on those pages."""

from __future__ import annotations

import re

from app.core import i18n
from tests.conftest import soup
from tests.factories import PASSWORD, make_service, make_team, make_user
from tests.plans_world import draft_plan, make_world
from tests.test_plans_suggestions import follow_up
from tests.test_welsh import _english_only_sentences, _text
from tests.test_welsh_everywhere import _typed_text


def _english_left(page, session) -> list[str]:
    """Catalogue sentences left in English, less the world's own data (a level name, a team
    called "Team A", a statement with "from" in it: tests/test_welsh_everywhere.py's rule)."""
    text = _text(page)
    data = " | ".join(_typed_text(session.get_bind())) + " | Team A"
    return [
        s
        for s in _english_only_sentences()
        if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)
        and not re.search(rf"(?<!\w){re.escape(s)}(?!\w)", data)
    ]


def test_suggestions_and_results_of_a_closed_round_are_in_welsh(client, session):
    w = make_world(session)
    round_ = follow_up(session, w)
    client.login("staffer")
    client.cookies.set(i18n.COOKIE, "cy")

    page = soup(client.get(f"/rounds/{round_.id}/suggestions"))
    assert page.html["lang"] == "cy"
    reasons = {
        group: [r.get_text() for r in page.select(f"#suggest-{group} .app-suggestion__reason")]
        for group in ("lowest", "gaps", "matters", "fell")
    }
    assert all(r.startswith("Cytunodd y tîm ar lefel ") for r in reasons["lowest"]), reasons
    assert reasons["gaps"] == [
        "Rhoddodd staff a gweithwyr cymheiriaid 4.0 ar gyfartaledd; rhoddodd pobl sy'n "
        "defnyddio'r gwasanaeth 1.0. Rhoddodd staff sgôr 3.0 lefel yn uwch."
    ]
    assert reasons["matters"] and all("bwysicaf iddyn nhw" in r for r in reasons["matters"])
    assert reasons["fell"] and all(r.startswith("Wedi gostwng o lefel") for r in reasons["fell"])
    assert _english_left(page, session) == []

    results = soup(client.get(f"/rounds/{round_.id}/results"))
    took_part = results.select_one(".app-took-part").get_text(" ", strip=True)
    assert "staff a gweithwyr cymorth cymheiriaid" in took_part, took_part
    assert "staff and peer support workers" not in took_part
    changes = [c.get_text() for c in results.select(".app-change .nhsuk-u-visually-hidden")]
    assert changes and all(c.startswith(("i fyny", "i lawr", "dim newid")) for c in changes)
    assert _english_left(results, session) == []


def test_form_errors_are_in_welsh(client, session):
    w = make_world(session)
    plan = draft_plan(session, w)
    client.login("fac")
    client.cookies.set(i18n.COOKIE, "cy")
    short = client.form(
        "/account/password", {"current_password": PASSWORD, "new_password": "short"}
    )
    assert short.status_code == 422
    said = soup(short).select_one("#new_password-error").get_text(" ", strip=True)
    assert "Rhaid i'ch cyfrinair fod o leiaf 8 nod" in said, said

    missing = client.form(f"/plans/{plan.id}/reviews", {"held_on": ""})
    assert missing.status_code == 422
    page = soup(missing)
    errors = " ".join(e.get_text(" ", strip=True) for e in page.select(".nhsuk-error-message"))
    assert "Dyddiad yr adolygiad: rhowch ddyddiad go iawn, fel 2026-11-23" in errors, errors
    assert "must be" not in errors


def test_a_refusal_with_a_number_is_in_welsh(client, session):
    """A `Refused` with values: the sentence is translated, then the number filled in."""
    make_user(session, "ada", role="admin")
    admin = client
    admin.login("ada")
    service = make_service(session, "Riverside")
    make_team(session, "Willow Ward", service=service, setting="inpatient")
    admin.cookies.set(i18n.COOKIE, "cy")
    response = admin.form(f"/admin/services/{service.id}/archive")
    assert response.status_code == 422
    said = soup(response).select_one("#archive-error").get_text(" ", strip=True)
    assert "Mae gan y gwasanaeth hwn 1 tîm gweithredol o hyd" in said, said
