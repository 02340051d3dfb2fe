"""Compare teams: every figure against a hand computation (tests/compare_org.py), filters,
sorting, hidden names, the statement view, trend, common priorities, the anonymity floor,
exports, and that no person's name leaves their team."""

from __future__ import annotations

import csv
import io

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from tests.compare_org import PEOPLE_NAMES, TODAY, build_org
from tests.conftest import axe_violations, soup


@pytest.fixture
def org(session, clock):
    clock.now = TODAY
    return build_org(session)


@pytest.fixture
def lead(client, org):
    client.login("lena")
    return client


def matrix(page: BeautifulSoup) -> dict[str, dict[str, str]]:
    """{team: {column header: cell text}} from the compare tables (the section table and
    the plans table below it), merged by team."""
    result: dict[str, dict[str, str]] = {}
    for table in page.select("table.app-heat-table, table.app-plans-table"):
        headers = [th.select_one("a").contents[0].strip() for th in table.select("thead th")]
        for tr in table.select("tbody tr"):
            cells = [tr.select_one("th")] + tr.select("td")
            texts = [" ".join(c.get_text(" ", strip=True).split()) for c in cells]
            result.setdefault(texts[0], {}).update(zip(headers, texts, strict=True))
    return result


def order(page: BeautifulSoup) -> list[str]:
    return [th.get_text(strip=True) for th in page.select("table.app-heat-table tbody th")]


def test_matrix_numbers_equal_the_hand_computation(lead):
    page = soup(lead.get("/compare"), status=200)
    rows = matrix(page)
    assert set(rows) == {"Alder Team", "Birch Team", "Cedar Team"}
    alder, birch, cedar = rows["Alder Team"], rows["Birch Team"], rows["Cedar Team"]
    # Section levels: mean of agreed levels (don't know left out), change since the round before
    assert alder["C1"].startswith("2.3 from 3 statements")
    assert "▲0.8" in alder["C1"] and "up 0.8 since the round before" in alder["C1"]
    assert alder["C2"].startswith("1.0 from 1 statement")
    assert "▼1.0" in alder["C2"] and "down 1.0" in alder["C2"]
    assert alder["C3"] == "– no level"
    assert birch["C1"] == "3.5 from 2 statements" and birch["C3"] == "2.0 from 1 statement"
    assert cedar["C1"].startswith("2.7 from 3 statements") and "▲0.7" in cedar["C1"]
    assert cedar["C2"] == "– no level"  # its only agreed C2 rating was "don't know"
    # Rounds and reviews
    assert alder["Last round"] == "15 Jul 2025"
    assert birch["Last round"] == "1 Mar 2024 over a year ago : no round for 12 months"
    assert alder["Last review"] == "15 Jun 2025 Review overdue"
    assert birch["Last review"] == "None yet"
    assert cedar["Last review"] == "10 Sep 2025"
    # Plans: dropped actions left out; overdue = open and past due
    assert alder["Actions done"] == "1 of 3 (33%)"
    assert alder["Overdue actions"] == "1"
    assert birch["Actions done"] == "No agreed plan"
    assert cedar["Actions done"] == "1 of 1 (100%)" and cedar["Overdue actions"] == "0"
    # Co-production, from the published head counts: Team 1's 2 service users and 1 carer
    # are each under 3, so how many use the service or are family is not shown
    assert alder["People who use the service or family"] == "Groups too small to show (8 took part)"
    assert birch["People who use the service or family"] == "3 of 6 (50%)"
    assert cedar["People who use the service or family"] == "0 of 5 (0%)"
    assert alder["Priorities with both co-leads"] == "1 of 2 (50%)"
    assert cedar["Priorities with both co-leads"] == "1 of 1 (100%)"
    assert alder["Actions owned by people who use the service"] == "2 of 3 (67%)"
    assert cedar["Actions owned by people who use the service"] == "0 of 1 (0%)"


def test_heat_map_bands_are_classes_and_the_table_is_labelled(lead):
    page = soup(lead.get("/compare"), status=200)
    table = page.select_one("table.app-heat-table")
    assert table.select_one("caption").get_text(strip=True)
    assert all(th.get("scope") == "col" for th in table.select("thead th"))
    assert all(th.get("scope") == "row" for th in table.select("tbody th"))
    alder = table.select("tbody tr")[0]
    assert "app-heat--2" in alder.select_one('td[data-section="C1"]')["class"]  # 2.33
    assert "app-heat--1" in alder.select_one('td[data-section="C2"]')["class"]  # 1.0
    assert "app-heat--none" in alder.select_one('td[data-section="C3"]')["class"]
    birch = table.select("tbody tr")[1]
    assert "app-heat--4" in birch.select_one('td[data-section="C1"]')["class"]  # 3.5
    assert page.select_one(".app-table-scroll[role=region][tabindex='0'][aria-label]")
    assert not page.select("[style]") and not page.select("style")
    headers = [th.get_text().lower() for th in table.select("thead th")]
    assert not [h for h in headers if "rank" in h or "position" in h]  # no rank numbers
    assert "not a league table" in page.get_text()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("service={north}", ["Alder Team", "Birch Team"]),
        ("service={south}", ["Cedar Team"]),
        ("setting=inpatient", ["Birch Team"]),
        ("framework=beta", ["Birch Team"]),
        ("framework=alpha&setting=community", ["Alder Team", "Cedar Team"]),
        ("setting=crisis", []),
    ],
)
def test_filters(lead, org, query, expected):
    north, south = org.teams["alder"].service_id, org.teams["cedar"].service_id
    page = soup(lead.get("/compare?" + query.format(north=north, south=south)), status=200)
    assert order(page) == expected
    form = page.select_one("form.app-compare-filters")
    assert form["method"] == "get" and form.select_one("button[type=submit]")


@pytest.mark.parametrize(
    "sort, direction, expected",
    [
        ("C1", "", ["Alder Team", "Cedar Team", "Birch Team"]),
        ("C1", "desc", ["Birch Team", "Cedar Team", "Alder Team"]),
        ("C2", "desc", ["Alder Team", "Birch Team", "Cedar Team"]),  # no level: always last
        ("last_round", "", ["Birch Team", "Alder Team", "Cedar Team"]),
        ("coproduction", "desc", ["Birch Team", "Cedar Team", "Alder Team"]),  # Alder: not shown
        ("overdue", "desc", ["Alder Team", "Cedar Team", "Birch Team"]),
        ("team", "desc", ["Cedar Team", "Birch Team", "Alder Team"]),
    ],
)
def test_sorting(lead, sort, direction, expected):
    page = soup(lead.get(f"/compare?sort={sort}&dir={direction}"), status=200)
    assert order(page) == expected
    th = [t for t in page.select("thead th[aria-sort]")]
    # one sorted column in each table that has it ("team" is in both)
    assert len(th) == (2 if sort == "team" else 1)
    assert th[0]["aria-sort"] == ("descending" if direction else "ascending")


def test_sort_links_keep_filters_and_toggle(lead, org):
    south = org.teams["cedar"].service_id
    page = soup(lead.get(f"/compare?service={south}&sort=C1"), status=200)
    c1 = [a for a in page.select("thead th a") if a.contents[0].strip() == "C1"][0]
    assert c1["href"] == f"?service={south}&sort=C1&dir=desc"


def test_hide_team_names_shows_consistent_labels(lead, org):
    page = soup(lead.get("/compare?hide=1"), status=200)
    text = page.select_one("main").get_text()
    assert order(page) == ["Team 1", "Team 2", "Team 3"]
    for name in ("Alder Team", "Birch Team", "Cedar Team"):
        assert name not in text
    assert not page.select("a[href^='/teams/']")
    south = org.teams["cedar"].service_id
    page = soup(lead.get(f"/compare?hide=1&service={south}"), status=200)
    assert order(page) == ["Team 3"]  # the same label whatever the filter
    page = soup(lead.get("/compare?hide=1&sort=C1&dir=desc"), status=200)
    assert order(page) == ["Team 2", "Team 3", "Team 1"]


def test_only_recovery_leads_and_admins(client, session, org):
    assert client.get("/compare", follow_redirects=False).status_code == 303
    client.login("lee")
    for url in ("/compare", "/compare.csv", "/compare/trend", "/compare/priorities"):
        assert client.get(url).status_code == 403
    client.form("/logout")
    client.login("ada")
    assert client.get("/compare").status_code == 200


def test_statement_view(lead, org):
    statement = org.statements[("alpha2", "C1.1")]  # the same code in another version
    page = soup(lead.get(f"/compare/statements/{statement.id}"), status=200)
    spread = {
        td["data-level"]: td.get_text(" ", strip=True) for td in page.select("td[data-level]")
    }
    assert spread == {"4": "0", "3": "1", "2": "1", "1": "0", "none": "0"}
    learn = [li.get_text(" ", strip=True) for li in page.select(".app-learn-from li")]
    assert learn == ['Alder Team : from 1 to 3 after the priority "Ask what matters"']
    stories = [c.get_text(" ", strip=True) for c in page.select(".app-story")]
    assert len(stories) == 2  # the draft plan's priority is not shown
    assert "Co-led by staff and person using the service" in stories[0]
    assert "owned by person using the service, done" in stories[0]
    assert "Same at the next round: 2 then 2" in stories[1]
    assert "owned by family, friend or carer" in stories[1]
    hidden = soup(lead.get(f"/compare/statements/{statement.id}?hide=1"), status=200)
    assert "Alder Team" not in hidden.select_one("main").get_text()
    assert lead.get("/compare/statements/999999").status_code == 404


def test_anonymity_floor_on_the_statement_view(lead, org):
    # The rounds' published cells, summed: "Everyone" adds both teams' published totals; the
    # staff side adds Alder's 5 (staff and peer) and Cedar's 5. Alder's 2 service users and
    # 1 carer were published only as its own "other" (3), which is never added across rounds
    # (it used to be pooled from raw counts and floored afterwards).
    page = soup(
        lead.get(f"/compare/statements/{org.statements[('alpha1', 'C1.1')].id}"), status=200
    )
    groups = {
        tr["data-group"]: [td.get_text() for td in tr.select("td")]
        for tr in page.select(".app-breakdown tbody tr")
    }
    assert set(groups) == {"staff_side", "total"}
    assert groups["staff_side"] == ["0", "1", "7", "1", "1", "10", "3.0", "2"]
    assert groups["total"] == ["1", "1", "8", "1", "2", "13", "2.8", "2"]
    # C1.2: Alder's round published its total only (4 staff and 1 carer: "other" would be 1);
    # Cedar's published its 5 staff, so the staff side adds that one round.
    page = soup(
        lead.get(f"/compare/statements/{org.statements[('alpha1', 'C1.2')].id}"), status=200
    )
    groups = {
        tr["data-group"]: [td.get_text() for td in tr.select("td")]
        for tr in page.select(".app-breakdown tbody tr")
    }
    assert groups == {
        "staff_side": ["0", "0", "5", "0", "0", "5", "3.0", "1"],
        "total": ["1", "4", "5", "0", "0", "10", "2.4", "2"],
    }
    assert "Too few to compare" in page.select_one(".app-divergence").get_text()
    for url in (
        f"/compare/statements/{org.statements[('alpha1', 'C1.2')].id}.csv",
        f"/compare/statements/{org.statements[('alpha1', 'C1.2')].id}.xlsx",
    ):
        tables = _tables(lead.get(url))
        assert [r[0] for r in tables["By perspective"][1:]] == [
            "Staff and peer support workers",
            "Everyone",
        ]


def test_trend_counts_each_team_once_per_quarter(lead):
    page = soup(lead.get("/compare/trend?section=C1"), status=200)
    rows = [
        [c.get_text(strip=True) for c in tr.select("th, td")]
        for tr in page.select("table.app-trend tbody tr")
    ]
    assert rows == [
        ["2024 Q1", "1", "3.5", "3.5", "3.5", "0", "0", "0", "1"],
        # Team 1's round of 5 Jan (C1 4.0) is not counted: its later round that quarter is
        ["2025 Q1", "2", "1.5", "1.8", "2.0", "0", "2", "0", "0"],
        ["2025 Q3", "2", "2.3", "2.5", "2.7", "0", "1", "1", "0"],
    ]
    page = soup(lead.get("/compare/trend?section=C3&framework=beta"), status=200)
    rows = [
        [c.get_text(strip=True) for c in tr.select("th, td")]
        for tr in page.select("table.app-trend tbody tr")
    ]
    assert rows == [["2024 Q1", "1", "2.0", "2.0", "2.0", "0", "1", "0", "0"]]


def test_common_priorities(lead, org):
    page = soup(lead.get("/compare/priorities"), status=200)
    rows = [
        (
            tr.select_one("th a").get_text(strip=True),
            tr.select_one("td[data-teams]").get_text(strip=True),
        )
        for tr in page.select("table.app-common-priorities tbody tr")
    ]
    assert rows == [("C1.1: Statement C1.1 of alpha", "2"), ("C2.1: Statement C2.1 of alpha", "1")]
    link = page.select_one("table.app-common-priorities tbody th a")["href"]
    assert link == f"/compare/statements/{org.statements[('alpha2', 'C1.1')].id}"


def _tables(response) -> dict[str, list[list]]:
    """CSV blocks or XLSX sheets, as {title: rows} (cells as text)."""
    assert response.status_code == 200
    if "spreadsheetml" in response.headers["content-type"]:
        book = load_workbook(io.BytesIO(response.content))
        return {
            sheet.title: [
                ["" if v is None else str(v) for v in row]
                for row in sheet.iter_rows(values_only=True)
            ]
            for sheet in book.worksheets
        }
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads "Zoë"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    if rows and len(rows[0]) > 1:
        return {"Teams": rows}
    tables, title = {}, None
    for row in rows:
        if not row:
            title = None
        elif title is None:
            title = row[0]
            tables[title] = []
        else:
            tables[title].append(row)
    return tables


def num(row: dict, *columns: str) -> list:
    return [float(row[c]) if row[c] != "" else None for c in columns]


def test_compare_csv_and_xlsx_row_by_row(lead):
    for url in ("/compare.csv", "/compare.xlsx"):
        rows = _tables(lead.get(url))["Teams"]
        header = rows[0]
        assert header[:8] == [
            "Team",
            "Service",
            "Setting",
            "Framework",
            "Last round",
            "C1 level",
            "C1 statements",
            "C1 change",
        ]
        got = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
        assert list(got) == ["Alder Team", "Birch Team", "Cedar Team"]
        alder = got["Alder Team"]
        assert num(alder, "C1 level", "C1 statements", "C1 change") == [2.3, 3, 0.8]
        assert num(alder, "C2 level", "C2 change") == [1.0, -1.0]
        assert alder["Last round"].startswith("2025-07-15")
        assert alder["Last review"].startswith("2025-06-15") and alder["Review overdue"] == "yes"
        assert num(
            alder,
            "Actions",
            "Actions done",
            "Overdue actions",
            "Actions owned by people who use the service",
            "Priorities",
            "Priorities with both co-leads",
            "People who took part",
            "People who use the service or family",
        ) == [3, 1, 1, 2, 2, 1, 8, None]  # groups under 3: not shown
        birch = got["Birch Team"]
        assert num(birch, "C1 level", "C3 level", "C1 change") == [3.5, 2.0, None]
        assert birch["No round for 12 months"] == "yes" and birch["Last review"] == ""
        cedar = got["Cedar Team"]
        assert num(cedar, "C1 level", "C1 change", "C2 level") == [2.7, 0.7, None]
        assert num(cedar, "People who use the service or family") == [0]
    hidden = _tables(lead.get("/compare.csv?hide=1&sort=C1&dir=desc"))["Teams"]
    assert [r[0] for r in hidden[1:]] == ["Team 2", "Team 3", "Team 1"]


def test_statement_csv_and_xlsx_row_by_row(lead, org):
    sid = org.statements[("alpha1", "C1.1")].id
    for url in (f"/compare/statements/{sid}.csv", f"/compare/statements/{sid}.xlsx"):
        tables = _tables(lead.get(url))
        assert [r[:2] + r[3:4] for r in tables["Teams"][1:]] == [
            ["Alder Team", "North", "3"],
            ["Cedar Team", "South", "2"],
        ]
        assert tables["By perspective"][0] == [
            "Group",
            "Not yet",
            "Starting",
            "Developing",
            "Established",
            "Don't know",
            "People",
            "Average level",
            "Rounds",
        ]
        people = [[*r[:7], float(r[7]), r[8]] for r in tables["By perspective"][1:]]
        assert people == [  # "other" is never added across rounds
            ["Staff and peer support workers", "0", "1", "7", "1", "1", "10", 3.0, "2"],
            ["Everyone", "1", "1", "8", "1", "2", "13", 2.8, "2"],
        ]
        priorities = tables["Priorities"][1:]
        assert [(r[0], r[1], r[4], r[5], r[6]) for r in priorities] == [
            ("Alder Team", "Ask what matters", "1", "3", "Rose at the next round"),
            ("Cedar Team", "Hopes first", "2", "2", "Same at the next round"),
        ]


def test_no_names_of_people_anywhere_in_compare(lead, org):
    sid = org.statements[("alpha1", "C1.1")].id
    urls = [
        "/compare",
        "/compare?hide=1",
        "/compare/trend",
        "/compare/priorities",
        f"/compare/statements/{sid}",
        "/compare.csv",
        f"/compare/statements/{sid}.csv",
    ]
    for url in urls:
        body = lead.get(url).text
        for name in PEOPLE_NAMES:
            assert name not in body, (url, name)
    for url in ("/compare.xlsx", f"/compare/statements/{sid}.xlsx"):
        text = str(_tables(lead.get(url)))
        for name in PEOPLE_NAMES:
            assert name not in text, (url, name)


@pytest.mark.browser
def test_recovery_lead_journey_in_a_browser(session, clock, live_server, page):
    clock.now = TODAY
    build_org(session)
    errors = []  # console errors, leaving out the browser's own look for /favicon.ico
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "favicon" not in m.location.get("url", "")
            else None
        ),
    )
    page.goto(f"{live_server}/login?next=/compare")
    page.fill("#username", "lena")
    page.fill("#password", "correct horse battery staple")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server}/compare")
    assert page.locator("table.app-heat-table tbody tr").count() == 3
    page.select_option("#setting", "community")
    page.check("#hide")
    page.click("form.app-compare-filters button[type=submit]")
    page.wait_for_url("**/compare?*hide=1*")
    assert page.locator("table.app-heat-table tbody th").all_inner_texts() == ["Team 1", "Team 3"]
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], width
    page.click("summary")
    page.click("text=C1.1: Statement C1.1 of alpha")
    page.wait_for_url("**/compare/statements/*")
    assert "Team 1" in page.locator(".app-learn-from").inner_text()
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], width
    assert errors == []
