"""Paper rating sheets (issue 12, point 8): numbered sheets with the group, the sheet number
and the level descriptions on every page and a comment line per statement; typing a sheet in
takes its comments and refuses a sheet number already typed in."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlmodel import select

from app.models import AuditEvent, Participant, Rating
from app.models.base import PERSPECTIVE_LABELS
from app.rounds import queries
from tests.conftest import soup
from tests.factories import make_person, make_round, make_team, small_framework


@pytest.fixture
def client(client, session):
    """End the test's transaction before each request (SQLite's write lock) and see fresh
    rows after it."""
    original = client.request

    def request(*args, **kwargs):
        session.commit()
        response = original(*args, **kwargs)
        session.expire_all()
        return response

    client.request = request
    return client


@pytest.fixture
def world(session, client):
    framework = small_framework(session)
    team = make_team(session, "Team A", framework_key="small")
    make_person(session, team, "fiona", role="facilitator")
    round_ = make_round(session, team, framework, status="open", mode="group")
    client.login("fiona")
    return SimpleNamespace(
        framework=framework, round=round_, statements=queries.round_statements(session, round_)
    )


def page_texts(page) -> list[str]:
    return [" ".join(p.get_text(" ", strip=True).split()) for p in page.select(".app-paper-page")]


def test_every_printed_page_has_the_sheet_number_the_group_and_the_levels(client, world):
    page = soup(client.get(f"/rounds/{world.round.id}/paper?first=7&last=9"), status=200)
    sheets = page.select(".app-paper-sheet")
    assert [s["id"] for s in sheets] == ["sheet-7", "sheet-8", "sheet-9"]
    # on screen only the first sheet shows; the print style shows them all
    assert [("app-print-only" in s["class"]) for s in sheets] == [False, True, True]
    levels = [(item["label"], item["description"]) for item in world.framework.scale]
    for sheet, number in zip(sheets, (7, 8, 9), strict=True):
        pages = sheet.select(".app-paper-page")
        assert len(pages) == 2  # one page per section of the small framework
        for index, one in enumerate(pages, start=1):
            head = one.select_one(".app-paper-page__head")
            assert head.select_one(".app-paper-page__sheet").get_text(strip=True) == (
                f"Sheet {number}"
            )
            assert f"page {index} of 2" in head.get_text(" ", strip=True)
            group = head.select_one(".app-paper-page__group").get_text(" ", strip=True)
            assert all(f"☐ {label}" in group for label in PERSPECTIVE_LABELS.values())
            terms = [dt.get_text(" ", strip=True) for dt in one.select(".app-paper-levels dt")]
            descriptions = [dd.get_text(strip=True) for dd in one.select(".app-paper-levels dd")]
            assert descriptions == [d for _, d in levels]
            assert [t.split(" ", 1)[1] for t in terms] == [label for label, _ in levels]
            statements = one.select(".app-paper-table__rating")
            comments = one.select(".app-paper-comment")
            assert statements and len(comments) == len(statements)
    ids = [tag["id"] for tag in page.select("[id]")]
    assert len(ids) == len(set(ids))
    said = page.select_one("#sheets-ready").get_text(" ", strip=True)
    assert "sheets 7 to 9" in said and "2 pages each" in said


@pytest.mark.parametrize(
    ("query", "first", "last"),
    [("", 1, 10), ("?first=5", 5, 14), ("?first=3&last=2", 3, 3), ("?first=x&last=500", 1, 60)],
)
def test_the_sheets_to_print_are_a_sensible_range(client, world, query, first, last):
    page = soup(client.get(f"/rounds/{world.round.id}/paper{query}"), status=200)
    sheets = [s["id"] for s in page.select(".app-paper-sheet")]
    assert sheets == [f"sheet-{n}" for n in range(first, last + 1)]


def sheet_form(world, number: str = "4", **extra) -> dict:
    s1, s2, _s3, _s4 = world.statements
    return {
        "sheet_number": number,
        "perspective": "service_user",
        "alias": "",
        f"level_{s1.id}": "2",
        f"comment_{s1.id}": "  Staff ask me what matters\r\nmost weeks  ",
        f"level_{s2.id}": "4",
        f"matters_{s2.id}": "1",
        **extra,
    }


def test_typing_a_sheet_in_keeps_its_number_and_comments(client, world, session):
    s1, s2, _s3, _s4 = world.statements
    response = client.form(f"/rounds/{world.round.id}/paper", sheet_form(world))
    assert response.status_code == 303
    participant = session.exec(select(Participant)).one()
    assert (participant.source, participant.sheet_number) == ("paper", 4)
    ratings = session.exec(select(Rating).order_by(Rating.statement_id)).all()
    assert [(r.statement_id, r.level, r.matters_most, r.comment) for r in ratings] == [
        (s1.id, 2, False, "Staff ask me what matters\nmost weeks"),
        (s2.id, 4, True, None),
    ]
    event = session.exec(select(AuditEvent).where(AuditEvent.verb == "paper_sheet.entered"))
    assert event.one().detail["sheet_number"] == 4
    page = soup(client.get(f"/rounds/{world.round.id}/paper"), status=200)
    assert page.select_one("#sheets-entered").get_text(strip=True).endswith(": 4.")


def test_a_sheet_number_already_typed_in_is_refused_with_the_input_kept(client, world, session):
    s1, _s2, s3, _s4 = world.statements
    assert client.form(f"/rounds/{world.round.id}/paper", sheet_form(world)).status_code == 303
    again = sheet_form(world, alias="Robin", **{f"level_{s3.id}": "dont_know"})
    response = client.form(f"/rounds/{world.round.id}/paper", again)
    assert response.status_code == 422
    page = soup(response)
    error = page.select_one("#sheet_number-error").get_text(" ", strip=True)
    assert "Sheet 4 has already been typed in" in error
    assert page.select_one("input#sheet_number")["value"] == "4"
    assert page.select_one("input#alias")["value"] == "Robin"
    assert page.select_one(f"input#comment_{s1.id}")["value"].startswith("  Staff ask me")
    assert page.select_one(f"input[name=level_{s3.id}][value=dont_know]").has_attr("checked")
    assert page.select_one(".nhsuk-error-summary a[href='#sheet_number']")
    assert len(session.exec(select(Participant)).all()) == 1


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"sheet_number": ""}, "sheet_number", "Enter the sheet number"),
        ({"sheet_number": "0"}, "sheet_number", "from 1 to 9999"),
        ({"sheet_number": "12a"}, "sheet_number", "from 1 to 9999"),
        ({"comment": "x" * 501}, "comment", "500 characters or fewer"),
        ({"comment_alone": "It depends who is on shift"}, "level", "has a comment"),
    ],
)
def test_bad_sheets_are_refused_next_to_the_field(client, world, session, change, field, words):
    s1, _s2, s3, _s4 = world.statements
    form = sheet_form(world)
    if "sheet_number" in change:
        form["sheet_number"] = change["sheet_number"]
        name = "sheet_number"
    elif "comment" in change:
        form[f"comment_{s1.id}"] = change["comment"]
        name = f"comment_{s1.id}"
    else:
        form[f"comment_{s3.id}"] = change["comment_alone"]
        name = f"level_{s3.id}"
    response = client.form(f"/rounds/{world.round.id}/paper", form)
    assert response.status_code == 422
    page = soup(response)
    assert words in page.select_one(f"#{name}-error").get_text(" ", strip=True)
    assert field in name
    assert not session.exec(select(Participant)).all()
