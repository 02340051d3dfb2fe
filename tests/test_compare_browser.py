"""/compare at 1280×800 in a real browser (issue 13, points 5 and 7): a recovery lead reads
C1–C10 with the last round and change for 12 teams on one screen — the section table needs
no sideways scrolling and its 12 rows fit in the 800 px viewport — and the page is
axe-core clean."""

from __future__ import annotations

import secrets
from datetime import date

import pytest
from sqlmodel import Session

from app.models import AgreedRating, Framework, Round, Section, Statement, Team
from tests.compare_org import SCALE, TODAY
from tests.conftest import axe_violations
from tests.factories import make_service, make_user

pytestmark = pytest.mark.browser


def _twelve_teams(session: Session) -> None:
    """12 teams with long names, each with two rounds over all ten sections (so every cell
    shows a level and a change)."""
    fw = Framework(
        key="wide", version="1", title="Wide benchmarks", setting="community",
        scale=SCALE, checksum=secrets.token_hex(8),
    )  # fmt: skip
    session.add(fw)
    session.flush()
    statements = []
    for n in range(1, 11):
        section = Section(framework_id=fw.id, code=f"C{n}", title=f"Challenge {n}", position=n)
        session.add(section)
        session.flush()
        for m in (1, 2):
            st = Statement(
                framework_id=fw.id, section_id=section.id, code=f"C{n}.{m}",
                text=f"Statement C{n}.{m}", position=m,
            )  # fmt: skip
            session.add(st)
            statements.append(st)
    session.flush()
    service = make_service(session, "Riverside Adult Mental Health Services")
    for t in range(12):
        team = Team(
            service_id=service.id, name=f"Riverside North Community Recovery Team {t + 1}",
            setting="community", default_framework_key="wide",
        )  # fmt: skip
        session.add(team)
        session.flush()
        for r, held in enumerate((date(2025, 1, 10 + t), date(2025, 7, 10 + t))):
            rnd = Round(
                team_id=team.id, framework_id=fw.id, title=f"Round {r}", held_on=held,
                status="closed", join_code=str(700000 + t * 10 + r), closed_at=TODAY,
            )  # fmt: skip
            session.add(rnd)
            session.flush()
            for i, st in enumerate(statements):
                level = 1 + (t + i + r * (i % 3)) % 4
                session.add(AgreedRating(round_id=rnd.id, statement_id=st.id, level=level))
    make_user(session, "lena", role="recovery_lead")
    session.commit()


def test_section_table_fits_one_1280x800_screen(session, clock, live_server, page):
    clock.now = TODAY
    _twelve_teams(session)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server}/login?next=/compare")
    page.fill("#username", "lena")
    page.fill("#password", "correct horse battery staple")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server}/compare")
    table = page.locator("table.app-heat-table")
    assert table.locator("tbody tr").count() == 12
    # no sideways scrolling: the table is no wider than the box around it
    sizes = table.evaluate(
        """t => { const box = t.closest('.app-heat-scroll');
                  return {scroll: box.scrollWidth, client: box.clientWidth,
                          table: t.getBoundingClientRect().width,
                          page: document.documentElement.scrollWidth}; }"""
    )
    # what sticks out, if anything (for the failure message)
    wide = table.evaluate(
        """t => { const box = t.closest('.app-heat-scroll');
                  const right = box.getBoundingClientRect().right;
                  return [...box.querySelectorAll('*')]
                    .filter(e => e.getBoundingClientRect().right > right + 1)
                    .slice(0, 5).map(e => e.tagName + ' ' + e.textContent.slice(0, 30)); }"""
    )
    assert sizes["scroll"] <= sizes["client"], (sizes, wide)
    assert sizes["page"] <= 1280, sizes
    # one screen: with the table's top at the top of the window, all 12 rows are in view
    table.evaluate("t => window.scrollTo(0, t.getBoundingClientRect().top + window.scrollY)")
    boxes = table.evaluate(
        """t => ({table: t.getBoundingClientRect().height,
                  rows: [...t.tBodies[0].rows].map(r => r.getBoundingClientRect().bottom),
                  top: t.getBoundingClientRect().top, height: window.innerHeight})"""
    )
    print("measured at 1280x800:", sizes, "table height", boxes["table"])
    assert boxes["table"] <= 800, boxes
    assert all(0 <= bottom <= boxes["height"] for bottom in boxes["rows"]), boxes
    # full names on focus: the abbreviated header says its full name
    header = page.locator("th.app-heat-table__section").first
    assert "Challenge 1" in header.inner_text() or "Challenge 1" in (
        header.locator("[title]").first.get_attribute("title") or ""
    )
    assert axe_violations(page) == []
    page.goto(f"{live_server}/compare/trend?section=C2")
    assert page.locator("svg.app-chart").count() == 1
    assert axe_violations(page) == []
