"""The long-format export for analysts (issue 13, point 6): one row per figure of a
published cell, read from the rounds' current publications; fixed English column names, a
UTF-8 BOM, no participant ids and no times; an Excel table too."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from app.compare.queries.cells import HEADER
from app.models import Participant, PublishedCell, Round
from tests.compare_org import TODAY, build_org


@pytest.fixture
def lead(client, session, clock):
    clock.now = TODAY
    org = build_org(session)
    client.login("lena")
    client.org = org
    return client


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_one_row_per_published_figure_and_nothing_else(lead, session):
    rows = _rows(lead.get("/compare/cells.csv"))
    assert rows[0] == HEADER
    body = rows[1:]
    cells = session.exec(
        select(PublishedCell, Round)
        .join(Round, Round.publication_id == PublishedCell.publication_id)
        .where(Round.status == "closed")
    ).all()
    assert cells and len(body) == 5 * len(cells)  # levels 1-4 and don't know of each
    got: dict = {}
    for row in body:
        record = dict(zip(HEADER, row, strict=True))
        key = (record["round_id"], record["group"], record["level"])
        got[key] = got.get(key, 0) + int(record["count"])
    by_key: dict = {}
    for c, r in cells:
        for level in ("1", "2", "3", "4", "dont_know"):
            name = f"level_{level}" if level != "dont_know" else "dont_know"
            key = (str(r.id), c.group, level)
            by_key[key] = by_key.get(key, 0) + getattr(c, name)
    assert got == by_key
    # no group under the floor, no participant ids, no times
    groups = {row[HEADER.index("group")] for row in body}
    assert groups <= {"all", "staff_side", "service_user", "carer", "community", "other"}
    tokens = {p.token_hash for p in session.exec(select(Participant)).all()}
    text = "\n".join(",".join(r) for r in body)
    assert not any(t in text for t in tokens)
    assert "T" not in "".join(row[1] for row in body) and ":" not in text


def test_filters_apply_and_the_page_offers_it(lead):
    everyone = _rows(lead.get("/compare/cells.csv"))
    south = lead.org.teams["cedar"].service_id
    only = _rows(lead.get(f"/compare/cells.csv?service={south}"))
    assert 1 < len(only) < len(everyone)
    rounds = {
        str(r.id) for r in lead.org.rounds.values() if r.team_id == lead.org.teams["cedar"].id
    }
    assert {r[0] for r in only[1:]} <= rounds
    page = lead.get("/compare").text
    assert 'href="/compare/cells.csv"' in page and 'href="/compare/cells.xlsx"' in page


def test_cells_xlsx_is_an_excel_table(lead):
    response = lead.get("/compare/cells.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.freeze_panes == "A2"
    assert list(sheet.tables.values())[0].ref.startswith("A1:I")


def test_only_recovery_leads_and_admins(client, session, clock):
    clock.now = TODAY
    build_org(session)
    client.login("lee")
    assert client.get("/compare/cells.csv").status_code in (403, 404)


def test_the_api_answers_the_same_rows(lead, session):
    from app.api import service as api_service
    from app.models import User

    user = session.exec(select(User).where(User.username == "lena")).first()
    _token, plain = api_service.create_token(session, user=user, name="analysts")
    session.commit()
    answer = lead.get("/api/v1/cells", headers={"Authorization": f"Bearer {plain}"})
    assert answer.status_code == 200
    rows = _rows(lead.get("/compare/cells.csv"))
    api = [[str(v) for v in r.values()] for r in answer.json()]
    assert api == rows[1:]
    assert list(answer.json()[0]) == HEADER
