"""/compare at a glance (issue 13, point 5): the section table's shades in steps of 0.25
with the number readable on each (4.5:1 or more), abbreviated headers with the full names
in the caption and on focus, and cells that link to the statement view."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.compare.pages.matrix import shade_of
from tests.compare_org import TODAY, build_org
from tests.conftest import soup

CSS = Path(__file__).resolve().parent.parent / "app" / "static" / "app.css"


@pytest.fixture
def lead(client, session, clock):
    clock.now = TODAY
    org = build_org(session)
    client.login("lena")
    client.org = org
    return client


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_thirteen_shades_from_1_to_4_each_readable():
    css = CSS.read_text()
    shades = dict(
        (int(k), (bg, fg))
        for k, bg, fg in re.findall(
            r"\.app-shade-(\d+) \{ background-color: (#[0-9a-f]{6}); color: (#[0-9a-f]{6}); \}",
            css,
        )
    )
    assert sorted(shades) == list(range(13))
    for bg, fg in shades.values():
        assert contrast(bg, fg) >= 4.5, (bg, fg)
    # each step a different, deeper shade
    lums = [_luminance(shades[k][0]) for k in range(13)]
    assert lums == sorted(lums, reverse=True) and len(set(lums)) == 13


@pytest.mark.parametrize(
    "mean, shade",
    [(1.0, 0), (1.1, 0), (1.13, 1), (2.0, 4), (2.5, 6), (3.4, 10), (3.5, 10), (4.0, 12)],
)
def test_shade_steps_of_a_quarter(mean, shade):
    assert shade_of(mean) == shade


def test_2_5_and_3_4_look_different(lead):
    assert shade_of(2.5) != shade_of(3.4)


def test_section_table_is_the_sections_and_last_round_only(lead):
    page = soup(lead.get("/compare"), status=200)
    table = page.select_one("table.app-heat-table")
    headers = [th.select_one("a").contents[0].strip() for th in table.select("thead th")]
    assert headers == ["Team", *[f"C{n}" for n in range(1, 11)], "Last round"]
    # plan columns are in the second table below
    plans = page.select_one("table.app-plans-table")
    assert "Priorities with both co-leads" in plans.select_one("thead").get_text()


def test_full_section_names_in_the_caption_and_on_focus(lead):
    page = soup(lead.get("/compare"), status=200)
    table = page.select_one("table.app-heat-table")
    c1 = [th for th in table.select("thead th") if th.a.contents[0].strip() == "C1"][0]
    full = c1.a["data-full"]
    assert full and full in table.select_one("caption").get_text()
    assert full in c1.get_text()  # for screen readers too
    assert "a[data-full]:focus::after" in CSS.read_text()


def test_cells_link_to_the_statement_view(lead):
    page = soup(lead.get("/compare"), status=200)
    row = page.select("table.app-heat-table tbody tr")[0]
    link = row.select_one('td[data-section="C1"] a')["href"]
    assert link.startswith("/compare/statements/")
    statement = soup(lead.get(link), status=200)
    assert "C1.1" in statement.select_one("h1").get_text()
    hidden = soup(lead.get("/compare?hide=1"), status=200)
    cell = hidden.select("table.app-heat-table tbody tr")[0].select_one('td[data-section="C1"]')
    assert cell.a["href"].endswith("?hide=1")
    # the shade is a class in steps of 0.25 (Alder's C1: 2.33 → 2.25, shade 5)
    assert "app-shade-5" in cell["class"] or "app-shade-5" in str(hidden)


def test_api_levels_and_changes_are_rounded_numbers(lead, session):
    from sqlmodel import select

    from app.api import service as api_service
    from app.models import User

    user = session.exec(select(User).where(User.username == "lena")).first()
    _token, plain = api_service.create_token(session, user=user, name="test")
    session.commit()
    rows = lead.get("/api/v1/compare", headers={"Authorization": f"Bearer {plain}"}).json()
    values = [
        v
        for r in rows
        for v in [*r["section_levels"].values(), *r["section_changes"].values()]
        if v is not None
    ]
    assert values and all(isinstance(v, float | int) and round(v, 1) == v for v in values)


def test_compare_xlsx_is_an_excel_table_with_filters_widths_frozen_header_and_dates(lead):
    import io
    from datetime import datetime

    from openpyxl import load_workbook

    for url in ("/compare.xlsx", "/compare/statements/{}.xlsx"):
        if "{}" in url:
            page = soup(lead.get("/compare"), status=200)
            href = page.select_one('table.app-heat-table td[data-section="C1"] a')["href"]
            url = url.format(href.rsplit("/", 1)[-1])
        book = load_workbook(io.BytesIO(lead.get(url).content))
        for sheet in book.worksheets:
            assert sheet.freeze_panes == "A2"
            (table,) = sheet.tables.values()
            assert table.ref.startswith("A1:")
            assert table.autoFilter is not None  # filters on the header
            assert sheet.column_dimensions["A"].width >= len(str(sheet["A1"].value))
        teams = book["Teams"]
        header = [c.value for c in teams[1]]
        column = header.index("Last round" if "Last round" in header else "Round") + 1
        assert isinstance(teams.cell(row=2, column=column).value, datetime)
