"""Issue 11, "found broken while trying it": each bug, the input that showed it, and the
behaviour now (docs/security.md). Downloads, dates, tokens in the log, /compare as htmx;
the limits, redirects and SECRET_KEY are in test_found_broken_security.py."""

from __future__ import annotations

import io
import json
import logging
import re
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import pytest

from app.logs import JsonFormatter
from app.models import Action, Invitation
from tests.conftest import BASE, soup
from tests.factories import make_user
from tests.plans_world import add_action, agreed_plan, make_world

ROOT = Path(__file__).resolve().parent.parent
WELSH = "Tîm Ŵyl Ŷ Cymru"


def error(response, field: str) -> str:
    found = soup(response).select_one(f"#{field}-error")
    assert found is not None, response.text[:2000]
    return found.get_text(" ", strip=True)


# --- downloads: one Content-Disposition helper -------------------------------------------


def _filename_star(header: str) -> str:
    match = re.search(r"filename\*=UTF-8''([^;]+)", header)
    assert match, header
    return unquote(match.group(1))


def _fallback(header: str) -> str:
    match = re.search(r'filename="([^"]*)"', header)
    assert match, header
    return match.group(1)


def test_plan_csv_and_xlsx_of_a_welsh_team_download(client, session):
    w = make_world(session, WELSH)
    plan, _p, _a = agreed_plan(session, w)
    client.login("fac")
    for ext in ("csv", "xlsx"):
        response = client.get(f"/teams/{w.team.id}/plan.{ext}")
        assert response.status_code == 200  # was a 500: ŵ is not latin-1
        header = response.headers["content-disposition"]
        assert header.isascii()
        assert _fallback(header) == f"plan-tim-wyl-y-cymru-{plan.id}.{ext}"
        assert _filename_star(header) == f"plan-tîm-ŵyl-ŷ-cymru-{plan.id}.{ext}"


def test_round_ratings_csv_keeps_a_welsh_title(client, session):
    w = make_world(session)
    w.round.title = "Rownd yr Ŵyl"
    session.add(w.round)
    session.commit()
    client.login("fac")
    response = client.get(f"/rounds/{w.round.id}/ratings.csv")
    assert response.status_code == 200
    header = response.headers["content-disposition"]
    assert _fallback(header) == f"round-{w.round.id}-rownd-yr-wyl.csv"
    assert _filename_star(header) == f"round-{w.round.id}-rownd-yr-ŵyl.csv"


def test_content_disposition_helper():
    from app.downloads import content_disposition, slug

    assert content_disposition("compare.csv") == 'attachment; filename="compare.csv"'
    header = content_disposition('a "quoted"\r\nname ŷ.csv')
    assert header.isascii() and "\r" not in header and "\n" not in header
    assert _fallback(header) == "a-quoted-name-y.csv"
    assert _filename_star(header) == 'a "quoted"\r\nname ŷ.csv'
    assert slug("  Tîm / Ŵyl  ") == "tîm-ŵyl" and slug("***", "team") == "team"


def test_every_download_route_uses_the_one_helper():
    writers = sorted(
        str(p.relative_to(ROOT))
        for p in (ROOT / "app").rglob("*.py")
        if "Content-Disposition" in p.read_text()
    )
    assert writers == ["app/downloads.py"]


# --- dates: one window, a calendar that never fails ---------------------------------------


def test_check_date_says_the_window_plainly():
    from app.core.dates import check_date, parse_date

    window = {"earliest": date(2025, 1, 1), "latest": date(2031, 1, 1)}
    assert check_date(date(2026, 5, 1), **window) is None
    assert check_date(None, **window) is None
    assert (
        check_date(date(9999, 12, 31), **window)
        == "Enter a date between 1 January 2025 and 1 January 2031"
    )
    assert parse_date("0001-01-01")[1] == (
        "Enter a date between 1 January 2000 and 31 December 2099"
    )
    assert parse_date("yesterday") == (None, "Enter a real date, like 2026-11-23")
    assert parse_date(" ") == (None, None)


def test_today_is_london_and_follows_the_clock(app, clock):
    from datetime import UTC, datetime

    from app.core.dates import today

    clock.now = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # 00:30 on 1 July in London
    assert today(clock) == date(2026, 7, 1)
    assert today(app) == date(2026, 7, 1)
    clock.now = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # GMT: still 31 December
    assert today(app) == date(2026, 12, 31)


@pytest.mark.parametrize("field", ["since", "until"])
@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
def test_audit_filter_outside_the_window_is_a_plain_message(client, session, field, value):
    make_user(session, "ada", role="admin")
    client.login("ada")
    response = client.get(f"/admin/audit?{field}={value}")
    assert response.status_code == 200  # was a 500: 9999-12-31 plus one day overflows
    assert "between 1 January 2000 and 31 December 2099" in error(response, field)


def _calendar(client) -> bytes:
    page = soup(client.form("/calendar/token"))
    url = page.select_one(".app-calendar-url").get_text(strip=True)
    response = client.get(url.removeprefix(BASE))
    assert response.status_code == 200
    return response.content


def test_calendar_feed_survives_dates_at_the_ends(client, session):
    from icalendar import Calendar

    w = make_world(session)
    _plan, (p1, _p2, _p3), _a = agreed_plan(session, w)
    for what, due in (("Far future", date(9999, 12, 31)), ("Year one", date(1, 1, 1))):
        action = add_action(session, w, p1, what, owner=w.owner)
        action.due_on = due  # older data: the forms no longer accept these
        session.add(action)
    session.commit()
    client.login("owner")
    raw = _calendar(client)  # was a 500 for everyone with a 9999-12-31 action
    assert b"DTSTART;VALUE=DATE:00010101" in raw  # was "10101", an invalid value
    assert b"DTEND;VALUE=DATE:00010102" in raw
    assert b"DTSTART;VALUE=DATE:99991231" in raw
    events = {str(e["summary"]): e for e in Calendar.from_ical(raw).walk("VEVENT")}
    assert events["Due: Far future"].decoded("dtstart") == date(9999, 12, 31)
    assert "dtend" not in events["Due: Far future"]  # a DATE start alone lasts the day
    assert events["Due: Year one"].decoded("dtstart") == date(1, 1, 1)


def test_plan_forms_refuse_dates_outside_the_window():
    from pydantic import ValidationError

    from app.plans.forms import ActionForm, ReviewDueForm

    assert ActionForm(what="x", due_on="2026-05-01").due_on == date(2026, 5, 1)
    assert ActionForm(what="x", due_on="").due_on is None
    for form, field in ((ActionForm, "due_on"), (ReviewDueForm, "review_due")):
        with pytest.raises(ValidationError) as caught:
            form(what="x", **{field: "9999-12-31"})
        assert "between 1 January 2000 and 31 December 2099" in str(caught.value)


# --- tokens never logged ------------------------------------------------------------------


@pytest.fixture
def log_lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_invitation_and_calendar_tokens_are_not_logged(client, session, log_lines):
    token = "Secret-Token-abc123_XYZ"
    client.get(f"/invite/{token}")
    client.form(f"/invite/{token}", {"username": "x", "password": "y"})
    client.get(f"/calendar/{token}.ics")
    lines = log_lines()
    assert lines, "no log lines captured"
    assert all(token not in json.dumps(line) for line in lines)
    paths = {line.get("path") for line in lines}
    assert {"/invite/<token>", "/calendar/<token>.ics"} <= paths


def test_a_real_invitation_link_is_not_logged(client, session, clock, log_lines):
    from app.accounts import service as accounts_service
    from tests.factories import make_person, make_team

    team = make_team(session)
    fac, _ = make_person(session, team, "fran", role="facilitator")
    _user, member = make_person(session, team, "gwen")
    invitation, token = accounts_service.create_invitation(
        session, team=team, member=member, actor=fac, now=clock()
    )
    session.commit()
    assert client.get(f"/invite/{token}").status_code == 200
    assert session.get(Invitation, invitation.id)
    assert all(token not in json.dumps(line) for line in log_lines())


def test_every_route_with_a_token_in_its_path_is_redacted(app):
    from fastapi.routing import iter_route_contexts

    from app.logs import redact

    paths = {context.path for context in iter_route_contexts(app.routes)}
    secret = r"\{(token|\w+_token)\}"  # a token itself; not token_id, a row number
    routes = sorted(p for p in paths if re.search(secret, p))
    assert {"/invite/{token}", "/calendar/{token}.ics"} <= set(routes)
    for path in routes:
        filled = re.sub(secret, "S3cr3tT0ken", path)
        assert "S3cr3tT0ken" not in redact(filled), path
        assert "S3cr3tT0ken" not in redact(f"GET {filled} 200"), path
    assert redact("/calendar/token/revoke") == "/calendar/token/revoke"
    assert redact("/compare?x=1") == "/compare?x=1"


# --- GET /compare as htmx -------------------------------------------------------------------


def test_compare_as_htmx_answers_a_fragment(client, session, clock):
    from tests.compare_org import TODAY, build_org

    clock.now = TODAY
    build_org(session)
    client.login("lena")
    response = client.get("/compare?sort=name", headers={"HX-Request": "true"})
    assert response.status_code == 200  # was a 500: `sort_th` undefined in the block
    assert "<html" not in response.text


def test_an_action_due_date_far_out_is_refused_in_its_row(client, session):
    w = make_world(session)
    _plan, _priorities, (a1, _a2, _a3) = agreed_plan(session, w)
    client.login("fac")
    data = {
        "what": a1.what,
        "owner_member_id": str(a1.owner_member_id or ""),
        "due_on": "9999-12-31",
        "status": a1.status,
        "note": "",
        "version": str(a1.version),
    }
    response = client.form(f"/actions/{a1.id}/update", data, headers={"HX-Request": "true"})
    assert response.status_code == 422
    row = soup(response).select_one(f"li#action-{a1.id}")
    assert "31 December 2099" in row.select_one(f"#due_on-{a1.id}-error").get_text()
    session.expire_all()
    assert session.get(Action, a1.id).due_on == date(2026, 4, 1)
