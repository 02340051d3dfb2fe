"""Issue 10 on /compare: no one can work out how 1 or 2 people answered by reading the
statement view under two filters, before and after a round closes, or from head counts.

Each organisation is made through the rounds service (close publishes), so the figures are
the published ones. Every attack here gave someone away before the statement view read
published cells only (it pooled raw summaries and floored afterwards) and the matrix read
raw head counts."""

from __future__ import annotations

import re
import secrets

import pytest
from sqlmodel import Session, select

from app.models import Participant, Rating, Statement
from app.rounds import queries as rounds_queries
from app.rounds import service as rounds_service
from tests.factories import make_round, make_team, make_user, small_framework
from tests.floor_marks import check_figures
from tests.test_compare import _tables, matrix, soup

# --- building an organisation through the rounds service ------------------------------------


def answered_round(session: Session, team, framework, answers: dict[str, list], close=True):
    """An open round where each perspective's people gave these levels (None: don't know)
    to every statement; closed (and so published) unless close=False."""
    round_ = make_round(session, team, framework, status="open")
    statements = statement_ids(session, framework)
    for perspective, levels in answers.items():
        for level in levels:
            person = Participant(
                round_id=round_.id, token_hash=secrets.token_hex(16), perspective=perspective
            )
            session.add(person)
            session.flush()
            ids = dict(round_id=round_.id, participant_id=person.id)
            session.add_all(Rating(**ids, statement_id=s, level=level) for s in statements)
    session.commit()
    if close:
        rounds_service.close_round(session, round_)
        session.commit()
    return round_


@pytest.fixture
def framework(session):
    return small_framework(session)


@pytest.fixture
def lead(client, session):
    make_user(session, "lena", role="recovery_lead")
    client.login("lena")
    return client


def statement_ids(session, framework) -> list[int]:
    query = select(Statement.id).where(Statement.framework_id == framework.id)
    found = list(session.exec(query.order_by(Statement.id)).all())
    session.commit()  # end the read: on SQLite an open transaction holds the write lock
    return found


# --- reading the statement view -------------------------------------------------------------

COLUMNS = 6  # four levels, don't know, people


def breakdown(page) -> dict[str, list[int]]:
    """{group: [level 1..4, don't know, people]} from the statement view's table."""
    return {
        tr["data-group"]: [int(td.get_text()) for td in tr.select("td")[:COLUMNS]]
        for tr in page.select(".app-breakdown tbody tr")
    }


def exported(response) -> dict[str, list[int]]:
    """The same from the "By perspective" table of a CSV or XLSX."""
    labels = {
        "Everyone": "total",
        "Staff and peer support workers": "staff_side",
        "People using the service": "service_user",
        "Family, friends and carers": "carer",
        "Community partners": "community",
        "Other perspectives together": "other",
    }
    rows = _tables(response)["By perspective"][1:]
    return {labels[r[0]]: [int(v) for v in r[1 : 1 + COLUMNS]] for r in rows if r[1].isdigit()}


def difference(a: dict, b: dict) -> dict[str, list[int]]:
    zero = [0] * COLUMNS
    return {
        g: [x - y for x, y in zip(a.get(g, zero), b.get(g, zero), strict=True)]
        for g in set(a) | set(b)
    }


def cells_of(session, round_id: int, statement_id: int) -> dict[str, list[int]]:
    """A round's published cells of one statement, as rows ("all" as "total")."""
    found = rounds_queries.published_cells(session, [round_id], [statement_id])
    rows = {}
    for cell in found.get(round_id, {}).get(statement_id, []):
        c = cell.counts
        rows["total" if cell.group == "all" else cell.group] = [*c.levels, c.dont_know, c.n]
    session.commit()  # end the read
    return rows


def sums_of_published(rows: dict, published: dict) -> bool:
    """True if each row equals the round's published cell of that group ("other" is never
    added across rounds), or zero where that group has no published cell."""
    zero = [0] * COLUMNS
    return all(rows[g] == (published.get(g, zero) if g != "other" else zero) for g in rows) and all(
        g in rows or g == "other" for g in published
    )


# --- (a) across filters ---------------------------------------------------------------------


@pytest.fixture
def two_settings(session, framework):
    """Team A (community): 3 staff, 2 community partners — its own page shows the total only.
    Team B (inpatient): 3 staff and 3 community partners."""
    a = make_team(session, "Team A", setting="community")
    b = make_team(session, "Team B", setting="inpatient")
    round_a = answered_round(session, a, framework, {"staff": [3, 3, 3], "community": [1, None]})
    round_b = answered_round(session, b, framework, {"staff": [2, 2, 4], "community": [4, 4, 3]})
    return round_a, round_b


def read(client, url: str, view: str) -> dict[str, list[int]]:
    """The statement view's "how people rated it" rows, from the page or a download."""
    if view == "page":
        return breakdown(soup(client.get(url)))
    path, _, query = url.partition("?")
    return exported(client.get(path + view + ("?" + query if query else "")))


VIEWS = ("page", ".csv", ".xlsx")


@pytest.mark.parametrize("view", VIEWS)
def test_all_teams_minus_one_setting_gives_no_small_group_away(
    lead, session, framework, two_settings, view
):
    round_a, _ = two_settings
    sid = statement_ids(session, framework)[0]
    a_published = cells_of(session, round_a.id, sid)
    assert set(a_published) == {"total"}  # A's own page hides its 2 community partners
    url = f"/compare/statements/{sid}"
    gap = difference(read(lead, url, view), read(lead, url + "?setting=inpatient", view))
    assert gap.get("community", [0] * COLUMNS) == [0] * COLUMNS  # was A's 2: [1, 0, 0, 0, 1, 2]
    assert sums_of_published(gap, a_published)


# --- (b) across time ------------------------------------------------------------------------


@pytest.mark.parametrize("view", VIEWS)
def test_before_and_after_a_round_closes_gives_no_small_group_away(lead, session, framework, view):
    d = make_team(session, "Team D", setting="community")
    answered_round(session, d, framework, {"staff": [2, 3, 3], "service_user": [1, 2, 2]})
    c = make_team(session, "Team C", setting="community")
    # 3 staff and the 2 people using the service whose answers must not come out
    round_c = answered_round(
        session, c, framework, {"staff": [3, 3, 4], "service_user": [1, None]}, close=False
    )
    sid = statement_ids(session, framework)[0]
    url = f"/compare/statements/{sid}"
    before = read(lead, url, view)
    rounds_service.close_round(session, round_c)
    session.commit()
    gap = difference(read(lead, url, view), before)
    assert gap.get("service_user", [0] * COLUMNS) == [0] * COLUMNS  # was [1, 0, 0, 0, 1, 2]
    assert sums_of_published(gap, cells_of(session, round_c.id, sid))


# --- (c) head counts ------------------------------------------------------------------------

SHARE = re.compile(r"(\d+) of (\d+)")


def test_no_head_count_under_3_on_compare(lead, session, framework):
    # "2 of 6": 4 staff and 2 people using the service; "1 of 2": a round of 2 people
    for name, answers in (
        ("Team E", {"staff": [3, 3, 3, 3], "service_user": [2, 2]}),
        ("Team F", {"staff": [3], "carer": [2]}),
        ("Team G", {"staff": [3, 3, 3], "service_user": [2, 2, 1]}),
    ):
        answered_round(session, make_team(session, name), framework, answers)
    rows = matrix(soup(lead.get("/compare")))
    shown = {team: row["People who use the service or family"] for team, row in rows.items()}
    assert shown["Team G"] == "3 of 6 (50%)"
    for text in shown.values():
        for part, whole in SHARE.findall(text):
            assert int(part) in (0,) or int(part) >= 3, text
            assert int(whole) >= 3, text
        assert not re.search(r"\b[12]\b", text), text  # no 1 or 2 people anywhere
    for url in ("/compare.csv", "/compare.xlsx"):
        table = _tables(lead.get(url))["Teams"]
        header = table[0]
        for row in table[1:]:
            line = dict(zip(header, row, strict=True))
            for column in ("People who took part", "People who use the service or family"):
                assert line[column] in ("", "0") or int(line[column]) >= 3, (url, line)
    sid = statement_ids(session, framework)[0]
    for suffix in ("", "?setting=community"):
        page = soup(lead.get(f"/compare/statements/{sid}{suffix}"))
        people = [row[-1] for row in breakdown(page).values()]
        assert all(n >= 3 for n in people)


# --- (d) every figure on the statement view is a sum of published cells ---------------------


def test_every_statement_view_figure_is_a_sum_of_published_cells(
    lead, session, framework, two_settings
):
    d = make_team(session, "Team D", setting="inpatient")
    answered_round(session, d, framework, {"staff": [1, 2, 2, 3], "service_user": [2, 3, 4]})
    for sid in statement_ids(session, framework)[:2]:
        for suffix in ("", "?setting=inpatient", "?setting=community", "?setting=crisis"):
            page = soup(lead.get(f"/compare/statements/{sid}{suffix}"))
            checked = check_figures(session, page)
            if suffix != "?setting=crisis":
                assert checked >= COLUMNS, suffix  # the figures are marked
            # every rating-derived number in the table is a marked figure
            for td in page.select(".app-breakdown td:not([data-rounds])"):
                assert td.select_one("data.app-fig"), td
