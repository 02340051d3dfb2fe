"""Exports (XLSX, CSV, print) and the personal calendar feed."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook
from sqlmodel import select

from app.plans.service import priorities as priorities_service
from tests.conftest import soup
from tests.factories import make_user
from tests.plans_world import add_action, agreed_plan, make_world

CSV_HEADERS = [
    "Priority",
    "Kind",
    "Staff co-lead",
    "Co-lead who uses the service",
    "Action",
    "Owner",
    "Due",
    "Status",
    "Overdue",
    "Progress notes",
    "Plan",
    "Review due",
]  # fmt: skip  (fixed English names: analysts' tools read them)


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
    assert book.sheetnames == ["Plan", "Priorities", "Actions", "Progress notes"]
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
        "Due", "Status", "Overdue", "Progress notes", "Plan", "Review due",
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


def test_calendar_feed_is_written_in_its_readers_language(client, session):
    """A calendar app fetches the feed without a language cookie, but the address is the
    person's own: the events and the calendar's name are in their saved language."""
    from icalendar import Calendar

    from app.models import User

    w, plan, _p, _a = _world(session)
    client.login("owner")
    url = _calendar_url(client).removeprefix("http://testserver")
    owner = session.exec(select(User).where(User.username == "owner")).one()
    owner.language = "cy"
    session.add(owner)
    session.commit()
    calendar = Calendar.from_ical(client.get(url).content)
    assert str(calendar["x-wr-calname"]) == "Fy nghamau gweithredu a'm hadolygiadau TRIP"
    events = sorted(
        (e.decoded("dtstart"), str(e["summary"]), str(e["description"]))
        for e in calendar.walk("VEVENT")
    )
    (_, due, where), (_, review, together) = events
    assert due == "I'w gwblhau: Invite speakers"
    assert where.startswith(f"{w.team.name}. Blaenoriaeth: ")
    assert review == f"Adolygiad y cynllun yn ddyledus: {w.team.name}"
    assert together == f"Amser i adolygu “{plan.title}” gyda'ch gilydd."


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
        # filters on every column: the table's autoFilter covers the whole table
        assert table.autoFilter is not None and table.autoFilter.ref == table.ref
        assert sheet.column_dimensions["A"].width >= len(sheet["A1"].value)
    due = book["Actions"]["E2"]
    assert isinstance(due.value, datetime) and due.number_format == "d mmm yyyy"


# --- what the plan exports carry: title, review date, notes inside only, no removed ones ----


def _csv(client, team_id) -> list[dict]:
    response = client.get(f"/teams/{team_id}/plan.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == CSV_HEADERS
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def _xlsx(client, team_id):
    response = client.get(f"/teams/{team_id}/plan.xlsx")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _sheet(book, name) -> list[dict]:
    rows = list(book[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def _note(client, action, text: str, status: str):
    data = {"status": status, "note": text, "version": action.version}
    assert client.form(f"/actions/{action.id}/progress", data).status_code == 303


def test_csv_and_xlsx_carry_the_plan_title_and_review_date(make_client, session):
    w, plan, _p, _a = _world(session)
    plan.title = "Zoë's plan for 2026"
    session.add(plan)
    session.commit()
    for who in ("fac", "lead"):
        c = make_client()
        c.login(who)
        rows = _csv(c, w.team.id)
        assert {(r["Plan"], r["Review due"]) for r in rows} == {
            ("Zoë's plan for 2026", "2026-06-10")
        }
        book = _xlsx(c, w.team.id)
        assert book.sheetnames[0] == "Plan"
        (about,) = _sheet(book, "Plan")
        assert about["Plan"] == "Zoë's plan for 2026" and about["Status"] == "Agreed"
        assert about["Review due"] == datetime(2026, 6, 10)  # a date, not text
        assert book["Plan"]["C2"].number_format == "d mmm yyyy"
        assert book.properties.title == "Zoë's plan for 2026"


def test_progress_notes_and_authors_only_in_the_teams_own_export(make_client, session, clock):
    w, _plan, _p, (a1, _a2, _a3) = _world(session)
    clock.now = datetime(2026, 4, 2, 9, 30, tzinfo=UTC)  # 10:30 in London (summer time)
    sue = make_client()
    sue.login("sue")
    _note(sue, a1, "Two speakers booked", "in_progress")
    session.refresh(a1)
    session.commit()  # end the read: on SQLite it would hold the lock
    clock.now = datetime(2026, 4, 9, 14, 0, tzinfo=UTC)
    owner = make_client()
    owner.login("owner")
    _note(owner, a1, "=Both came; good turnout", "done")

    member = make_client()
    member.login("member")
    inside = {r["Action"]: r for r in _csv(member, w.team.id)}
    notes = inside["Invite speakers"]["Progress notes"].split("\n")
    # every note, oldest first, each with its author (the "Action added." one is dated by
    # the fixture's own clock, so it is set aside here)
    assert [n for n in notes if not n.endswith("Action added.")] == [
        "2026-04-02 10:30 Sue User (Not started → In progress): Two speakers booked",
        "2026-04-09 15:00 Omar Owner (In progress → Done): =Both came; good turnout",
    ]
    book = _xlsx(member, w.team.id)
    written = [
        r
        for r in _sheet(book, "Progress notes")
        if r["Action"] == "Invite speakers" and r["Note"] != "Action added."
    ]
    assert [(r["When"], r["Who"], r["Note"]) for r in written] == [
        (datetime(2026, 4, 2, 10, 30), "Sue User", "Two speakers booked"),
        (datetime(2026, 4, 9, 15, 0), "Omar Owner", "'=Both came; good turnout"),  # not a formula
    ]
    assert written[-1]["Priority"] == "Recovery stories"
    assert written[-1]["Status change"] == "In progress → Done"

    lead = make_client()
    lead.login("lead")
    response = lead.get(f"/teams/{w.team.id}/plan.csv")
    outside = _csv(lead, w.team.id)
    assert {r["Progress notes"] for r in outside} == {""}
    for words in ("Two speakers booked", "Both came", "Sue User", "Omar Owner"):
        assert words not in response.content.decode("utf-8-sig")
    assert "Progress notes" not in _xlsx(lead, w.team.id).sheetnames


def test_a_removed_priority_is_left_out_of_both_exports(client, session):
    w, plan, (_p1, p2, _p3), _a = _world(session)
    priorities_service.remove_priority(session, p2, plan, actor=w.fac_user)
    session.commit()
    client.login("fac")
    assert [r["Priority"] for r in _csv(client, w.team.id)] == [
        "Recovery stories",
        "Shared notes",
    ]
    book = _xlsx(client, w.team.id)
    for sheet in ("Priorities", "Actions", "Progress notes"):
        assert "Peer training" not in {r["Priority"] for r in _sheet(book, sheet)}, sheet
    assert "Book a trainer" not in {r["Action"] for r in _sheet(book, "Actions")}
