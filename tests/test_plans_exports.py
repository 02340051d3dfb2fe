"""Exports (XLSX, CSV, print) and the personal calendar feed."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

from openpyxl import load_workbook

from app.core.dates import local_date
from tests.conftest import soup
from tests.factories import make_user
from tests.plans_world import add_action, agreed_plan, make_world


def _world(session):
    w = make_world(session)
    plan, priorities, actions = agreed_plan(session, w)
    make_user(session, "lead", role="recovery_lead")
    return w, plan, priorities, actions


def test_xlsx_reopens_row_by_row_with_names_inside(client, session, clock):
    w, plan, _p, _a = _world(session)
    clock.now = datetime(2026, 4, 15, 9, tzinfo=UTC)  # the first action is overdue
    client.login("fac")
    response = client.get(f"/teams/{w.team.id}/plan.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Priorities", "Actions"]
    rows = [list(r) for r in book["Priorities"].iter_rows(values_only=True)]
    assert rows[0][:4] == ["Priority", "Kind", "Impact", "Effort"]
    assert [r[0] for r in rows[1:]] == ["Recovery stories", "Peer training", "Shared notes"]
    assert rows[1][1:4] == ["quick win", "Big difference", "Little work"]
    assert rows[1][4].startswith("C1.1 ")
    assert rows[1][6:8] == ["Sam Staff", "Sue User"]
    assert rows[2][1] == "major project" and rows[3][1] == "fill-in"
    assert rows[1][9:11] == [0, 1]
    actions = [list(r) for r in book["Actions"].iter_rows(values_only=True)]
    assert actions == [
        ["Priority", "Action", "Owner", "Helpers", "Due", "Status", "Overdue"],
        ["Recovery stories", "Invite speakers", "Omar Owner", None, datetime(2026, 4, 1),
         "Not started", "Overdue"],
        ["Peer training", "Book a trainer", "Mo Member", None, datetime(2026, 5, 1),
         "Not started", None],
        ["Shared notes", "Try a shared note", "Fran Facilitator", None, None, "Not started", None],
    ]  # fmt: skip


def test_csv_for_the_outside_view_has_perspectives_not_names(make_client, session):
    w, _plan, _p, _a = _world(session)
    lead = make_client()
    lead.login("lead")
    response = lead.get(f"/teams/{w.team.id}/plan.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Priority", "Kind", "Staff co-lead", "Co-lead who uses the service", "Action", "Owner",
        "Due", "Status", "Overdue",
    ]  # fmt: skip
    body = rows[1:]
    assert [r[0] for r in body] == ["Recovery stories", "Peer training", "Shared notes"]
    # "Peer training" names Pat Peer (a word of a member's name, app.core.naming): that
    # priority, and its action, lose their perspective labels outside the team
    hidden = "Not shown outside the team"
    coleads = ["Staff", "Person using the service"]
    assert [r[2:4] for r in body] == [coleads, [hidden, hidden], coleads]
    assert [r[5] for r in body] == ["Staff", hidden, "Staff"]
    for name in ("Sam", "Sue", "Omar", "Mo Member", "Fran", "Pat", "Uma"):
        assert name not in response.text


def test_csv_inside_and_formula_cells_made_safe(client, session):
    w, _plan, (p1, _p2, _p3), _a = _world(session)
    add_action(session, w, p1, "=HYPERLINK(1)", owner=w.owner)
    client.login("member")
    body = client.get(f"/teams/{w.team.id}/plan.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[1][:6] == [
        "Recovery stories", "quick win", "Sam Staff", "Sue User", "Invite speakers", "Omar Owner",
    ]  # fmt: skip
    assert ["'=HYPERLINK(1)"] == [r[4] for r in rows if "HYPERLINK" in r[4]]


def test_printable_plan(client, session):
    w, plan, _p, _a = _world(session)
    client.login("member")
    page = soup(client.get(f"/plans/{plan.id}/print"))
    assert "app-print-plan" in page.select_one("body")["class"]
    assert [h.get_text(strip=True) for h in page.select(".app-print-priority h2")] == [
        "1. Recovery stories",
        "2. Peer training",
        "3. Shared notes",
    ]


def _calendar_url(client) -> str:
    page = soup(client.form("/calendar/token"))
    return page.select_one(".app-calendar-url").get_text(strip=True)


def test_calendar_feed_parses_and_holds_the_right_events(client, session):
    from icalendar import Calendar

    w, plan, (p1, _p2, _p3), _a = _world(session)
    long = "A very long action, with commas; semicolons and a backslash \\ " * 3
    add_action(session, w, p1, long.strip(), owner=w.owner, due_on=date(2026, 7, 1))
    add_action(session, w, p1, "Finished", owner=w.owner, due_on=date(2026, 7, 2), status="done")
    client.login("owner")
    url = _calendar_url(client)
    assert url.startswith("http://testserver/calendar/") and url.endswith(".ics")
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    raw = response.content
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = Calendar.from_ical(raw)
    events = sorted((e.decoded("dtstart"), str(e["summary"])) for e in calendar.walk("VEVENT"))
    assert events == [
        (date(2026, 4, 1), "Due: Invite speakers"),
        (date(2026, 6, 10), f"Plan review due: {w.team.name}"),
        (date(2026, 7, 1), "Due: " + long.strip()),
    ]


def test_calendar_address_is_replaced_and_revoked(client, session):
    _world(session)
    client.login("owner")
    first = _calendar_url(client).removeprefix("http://testserver")
    second = _calendar_url(client).removeprefix("http://testserver")
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert client.form("/calendar/token/revoke").status_code == 303
    assert client.get(second).status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_plan_xlsx_sheets_are_excel_tables_with_dates_as_dates(client, session, clock):
    w, _plan, _p, _a = _world(session)
    client.login("fac")
    book = load_workbook(io.BytesIO(client.get(f"/teams/{w.team.id}/plan.xlsx").content))
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        (table,) = sheet.tables.values()
        assert table.ref.startswith("A1:")
        assert sheet.column_dimensions["A"].width >= len(sheet["A1"].value)
    due = book["Actions"]["E2"]
    assert isinstance(due.value, datetime) and due.number_format == "d mmm yyyy"
