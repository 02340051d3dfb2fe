"""Compare and the XLSX exports in Welsh (issue 15, point 1): a recovery lead who chooses
Cymraeg sees the compare pages with no English sentence from the catalogue; the XLSX
sheets a person reads have Welsh titles and headers, while the CSV files and the long
format of published figures keep their fixed English column names."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, select

from app.core import i18n
from app.models import Action, Priority
from app.plans.exports import plan as plan_export
from app.plans.queries.views import plan_view
from tests.compare_org import TODAY, build_org
from tests.conftest import soup
from tests.factories import make_user
from tests.plans_world import agreed_plan, make_world
from tests.test_welsh import _english_only_sentences, _text


@pytest.fixture
def org(session, clock):
    clock.now = TODAY
    return build_org(session)


@pytest.fixture
def lead(client, org):
    client.login("lena")
    return client


def _welsh(client):
    client.cookies.set(i18n.COOKIE, i18n.WELSH)
    return client


def test_the_compare_pages_in_welsh_have_no_english_sentence(lead, org, engine):
    # the invented organisation's own words (team names, "Section C1", statement texts,
    # priorities and actions) are data, shown as typed: a catalogue word in them is no miss
    with Session(engine) as reading:
        typed = list(reading.exec(select(Action.what))) + list(reading.exec(select(Priority.title)))
    data = " ".join(
        [t.name for t in org.teams.values()]
        + [f"Section {code}" for _fw, code in org.statements]
        + [st.text for st in org.statements.values()]
        + typed
    )
    client = _welsh(lead)
    team = org.teams["alder"]
    sid = org.statements[("alpha1", "C1.1")].id
    pages = {
        "matrix": "/compare",
        "hidden names": "/compare?hide=1",
        "trend": f"/compare/trend?team={team.id}",
        "priorities": "/compare/priorities",
        "statement": f"/compare/statements/{sid}",
    }
    sentences = [
        s for s in _english_only_sentences() if not re.search(rf"(?<!\w){re.escape(s)}(?!\w)", data)
    ]
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        page = soup(response)
        assert page.html["lang"] == "cy", name
        text = _text(page)
        left = [s for s in sentences if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)]
        assert left == [], f"{name}: English on a Welsh page: {left}"
    matrix = soup(client.get("/compare"))
    assert matrix.select_one("h1").get_text(strip=True) == "Cymharu timau"
    # the heat cells' words for screen readers are Welsh too (they are cached per language)
    assert "ers y rownd flaenorol" in matrix.select_one("table.app-heat-table").get_text()
    client.cookies.set(i18n.COOKIE, i18n.ENGLISH)
    english = soup(client.get("/compare"))
    assert "since the round before" in english.select_one("table.app-heat-table").get_text()


def _sheet_headers(response) -> dict[str, list]:
    book = load_workbook(io.BytesIO(response.content))
    return {s.title: [c.value for c in s[1]] for s in book.worksheets}


def test_compare_xlsx_headers_follow_the_language_and_csv_stays_english(lead, org):
    client = _welsh(lead)
    sheets = _sheet_headers(client.get("/compare.xlsx"))
    assert list(sheets) == ["Timau"]
    assert sheets["Timau"][:5] == ["Tîm", "Gwasanaeth", "Lleoliad", "Fframwaith", "Rownd olaf"]
    assert "Lefel C1" in sheets["Timau"]
    header = next(csv.reader(io.StringIO(client.get("/compare.csv").text.lstrip("\ufeff"))))
    assert header[:5] == ["Team", "Service", "Setting", "Framework", "Last round"]
    assert "C1 level" in header
    sid = org.statements[("alpha1", "C1.1")].id
    statement = _sheet_headers(client.get(f"/compare/statements/{sid}.xlsx"))
    assert list(statement) == ["Timau", "Yn ôl safbwynt", "Blaenoriaethau"]
    assert statement["Timau"][:4] == ["Tîm", "Gwasanaeth", "Rownd", "Lefel gytunedig"]
    text = client.get(f"/compare/statements/{sid}.csv").text.lstrip("\ufeff")
    assert text.startswith("Teams\r\nTeam,Service,Round,Agreed level,Level words\r\n")
    # the long format for analysts keeps fixed English names in both files
    cells_xlsx = _sheet_headers(client.get("/compare/cells.xlsx"))
    cells_csv = next(
        csv.reader(io.StringIO(client.get("/compare/cells.csv").text.lstrip("\ufeff")))
    )
    assert list(cells_xlsx) == ["Published cells"]
    assert cells_xlsx["Published cells"] == cells_csv
    # and in English the sheet is as before
    client.cookies.set(i18n.COOKIE, i18n.ENGLISH)
    english = _sheet_headers(client.get("/compare.xlsx"))
    assert english["Teams"][:2] == ["Team", "Service"]


def test_plan_xlsx_headers_in_welsh_and_plan_csv_in_english(client, session):
    w = make_world(session)
    plan, _priorities, _actions = agreed_plan(session, w)
    make_user(session, "lead", role="recovery_lead")
    views = plan_view(session, plan, date(2026, 4, 15))
    i18n.use_language(i18n.WELSH)
    try:
        body = plan_export.plan_xlsx(views, True, plan=plan, made_on=date(2026, 4, 15), notes={})
        text = plan_export.plan_csv(views, True, plan=plan, notes={})
    finally:
        i18n.use_language(i18n.ENGLISH)
    book = load_workbook(io.BytesIO(body))
    assert book.sheetnames == ["Cynllun", "Blaenoriaethau", "Camau gweithredu", "Nodiadau cynnydd"]
    actions = [c.value for c in book["Camau gweithredu"][1]]
    assert actions == [
        "Blaenoriaeth", "Cam gweithredu", "Perchennog", "Helpwyr", "Dyddiad cwblhau",
        "Statws", "Yn hwyr",
    ]  # fmt: skip
    assert [c.value for c in book["Cynllun"][1]][:2] == ["Cynllun", "Statws"]
    assert text.splitlines()[0].startswith("Priority,Kind,Staff co-lead,")
