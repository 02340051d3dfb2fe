"""Checking that what a page, fragment or download shows is a sum of published cells.

Used by the issue 10 tests (tests/test_floor_*.py). Templates mark every rating-derived
number with the `fig`/`ratio` macros (`<data class="app-fig" data-form=…>`); the form names
which published cells it adds up (`pub.statement.perspective.field*k`). Here each form is
checked against the `published_cell` table itself: its terms must add up whole published
cells, and the shown value must be that sum of those cells' counts."""

from __future__ import annotations

import csv
import io
import re
from fractions import Fraction
from itertools import combinations

from sqlmodel import Session, select

from app.core.floor import GROUP_LABELS
from app.models import Publication, PublishedCell, Round
from tests.test_compare import _tables

GROUP_OF = {label: group for group, label in GROUP_LABELS.items()}


def solve(columns: list[dict], target: dict) -> list[Fraction] | None:
    """x with sum(x[i] * columns[i]) == target (exact, over the rationals), or None."""
    keys = sorted(set(target) | {k for c in columns for k in c})
    m = [[Fraction(c.get(k, 0)) for c in columns] + [Fraction(target.get(k, 0))] for k in keys]
    pivots, r = [], 0
    for col in range(len(columns)):
        pivot = next((i for i in range(r, len(m)) if m[i][col]), None)
        if pivot is None:
            continue
        m[r], m[pivot] = m[pivot], m[r]
        m[r] = [v / m[r][col] for v in m[r]]
        for i in range(len(m)):
            if i != r and m[i][col]:
                m[i] = [a - m[i][col] * b for a, b in zip(m[i], m[r], strict=True)]
        pivots.append(col)
        r += 1
    if any(row[-1] and not any(row[:-1]) for row in m):
        return None
    x = [Fraction(0)] * len(columns)
    for i, col in enumerate(pivots):
        x[col] = m[i][-1]
    return x


def current_publications(session: Session) -> set[int]:
    """The rounds' current close publications: what pages outside the room may read."""
    return {p for p in session.exec(select(Round.publication_id)).all() if p is not None}


def round_publications(session: Session, round_id: int) -> set[int]:
    """Every publication of one round (closes and projector snapshots): what its projector
    may show."""
    return set(session.exec(select(Publication.id).where(Publication.round_id == round_id)).all())


def published_value(session: Session, form: str, allowed: set[int] | None = None) -> Fraction:
    """The value of a `data-form` from the published_cell table: its terms must add up whole
    published cells of the allowed publications (by default the rounds' current ones), and
    the value is the same sum of those cells' counts."""
    allowed = current_publications(session) if allowed is None else allowed
    terms: dict[tuple, dict] = {}
    for term in form.split():
        atom, k = term.rsplit("*", 1)
        pub, statement, perspective, name = atom.split(".")
        terms.setdefault((int(pub), int(statement), name), {})[perspective] = int(k)
    value = Fraction(0)
    for (pub, statement, name), target in terms.items():
        assert pub in allowed, f"publication {pub} may not be read here ({sorted(allowed)})"
        cells = session.exec(
            select(PublishedCell).where(
                PublishedCell.publication_id == pub, PublishedCell.statement_id == statement
            )
        ).all()
        columns = [{p: 1 for p in c.perspectives.split(",")} for c in cells]
        x = solve(columns, target)
        assert x is not None, f"{form} is not a sum of published cells"
        value += sum(xi * getattr(c, name) for xi, c in zip(x, cells, strict=True))
    return value


def check_figures(session: Session, page, allowed: set[int] | None = None) -> int:
    """Every marked figure against the published cells; returns how many were checked.
    `allowed`: the publications this page may read (default: the rounds' current ones)."""
    figures = page.select("data.app-fig")
    for f in figures:
        if f.has_attr("data-form"):
            assert Fraction(f["value"]) == published_value(session, f["data-form"], allowed), f
        else:
            num = published_value(session, f["data-num"], allowed)
            den = published_value(session, f["data-den"], allowed)
            assert f["value"] == ("–" if not den else f"{float(num / den):.1f}"), f
    session.commit()  # end the read
    return len(figures)


NUMBER = re.compile(r"\d+(?:\.\d+)?")


def unmarked_numbers(element) -> list[str]:
    """Numbers in an element's text that are not inside a marked figure."""
    texts = [
        t
        for t in element.find_all(string=True)
        if not any(p.name == "data" and "app-fig" in p.get("class", []) for p in t.parents)
    ]
    return NUMBER.findall(" ".join(texts))


# --- downloads and API answers: each row a published cell or a sum of published cells ------

COUNTS = ("level_1", "level_2", "level_3", "level_4", "dont_know", "n", "matters_most")


def published_rows(session: Session, pubs: set[int]) -> dict[tuple[int, str], list[dict]]:
    """{(statement id, group): [counts of each published cell]} of these publications."""
    rows: dict[tuple[int, str], list[dict]] = {}
    for c in session.exec(select(PublishedCell).where(PublishedCell.publication_id.in_(pubs))):
        rows.setdefault((c.statement_id, c.group), []).append(
            {name: getattr(c, name) for name in COUNTS}
        )
    session.commit()  # end the read
    return rows


def is_sum_of(shown: dict, cells: list[dict], size: int | None = None) -> bool:
    """True if the shown counts (any of COUNTS) are the sum of some of these cells (of
    `size` cells, when given): a published cell, or several added up."""
    sizes = [size] if size is not None else range(1, len(cells) + 1)
    return any(
        all(sum(c[k] for c in chosen) == v for k, v in shown.items())
        for n in sizes
        for chosen in combinations(cells, n)
    )


# --- the readers' checks (tests/test_floor_rendering.py) --------------------


def heads_of(session, round_id: int) -> dict:
    pub = session.get(Publication, session.get(Round, round_id).publication_id)
    session.commit()  # end the read
    return pub.heads or {}


def check_page(session, page, round_id: int | None = None) -> int:
    """A results page or statement view: every marked figure published, every number in its
    tables and divergence lines marked, head counts the published ones."""
    checked = check_figures(session, page)
    for td in page.select(".app-breakdown td:not([data-rounds])"):
        assert not unmarked_numbers(td), td
    for line in page.select(".app-divergence"):
        for tag in line.select(".nhsuk-tag"):  # "Views differ by 1 level or more"
            tag.decompose()
        assert not unmarked_numbers(line), line
    took_part = page.select_one(".app-took-part")
    if round_id is not None and took_part is not None:
        heads = heads_of(session, round_id)
        published = {heads.get("total"), *(heads.get("groups") or {}).values()}
        for number in unmarked_numbers(took_part):
            assert int(number) in published, took_part
    return checked


def check_ratings_csv(session, text: str, round_id: int, codes: dict[str, int]) -> int:
    """Each row of /rounds/{id}/ratings.csv is one published cell of the round."""
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    cells = published_rows(session, {session.get(Round, round_id).publication_id})
    at = {name: header.index(name) for name in ("statement_code", "group", "people")}
    first_level = at["people"] + 1
    for row in body:
        sid = codes[row[at["statement_code"]]]
        if not row[at["group"]]:
            assert row[at["people"]] == "fewer than 3" and (sid, "all") not in cells, row
            continue
        numbers = [int(v) for v in row[at["people"] : first_level + 6]]
        shown = dict(zip(("n", *COUNT_NAMES, "matters_most"), numbers, strict=True))
        assert is_sum_of(shown, cells[(sid, GROUP_OF[row[at["group"]]])], size=1), row
    return len(body)


COUNT_NAMES = ("level_1", "level_2", "level_3", "level_4", "dont_know")


def mean_shown(shown: dict) -> float | None:
    given = sum(shown[f"level_{i}"] for i in (1, 2, 3, 4))
    return round(sum(i * shown[f"level_{i}"] for i in (1, 2, 3, 4)) / given, 1) if given else None


def check_statement_export(session, response, sid: int) -> int:
    """ "By perspective" of a statement CSV/XLSX: each row the sum of as many published cells
    of that group as its "Rounds" column says; the average that sum's mean."""
    header, *body = _tables(response)["By perspective"]
    cells = published_rows(session, current_publications(session))
    checked = 0
    for label, *values in body:
        if not values[0].isdigit():  # "too few answers": no number at all
            assert label == "Everyone" and not any(values[1:]), values
            continue
        *numbers, mean, rounds = values
        shown = dict(zip((*COUNT_NAMES, "n"), map(int, numbers), strict=True))
        assert is_sum_of(shown, cells[(sid, GROUP_OF[label])], size=int(rounds)), (label, values)
        assert (float(mean) if mean else None) == mean_shown(shown), (label, values)
        checked += 1
    return checked


def check_compare_table(session, response) -> None:
    """/compare.csv|xlsx: head counts are the published ones."""
    header, *body = _tables(response)["Teams"]
    heads = [heads_of(session, r) for r in session.exec(select(Round.id)).all()]
    totals = {h.get("total") for h in heads}
    coproducing = {
        sum((h.get("groups") or {}).get(g, 0) for g in ("service_user", "carer")) for h in heads
    }
    for row in body:
        line = dict(zip(header, row, strict=True))
        assert line["People who took part"] == "" or int(line["People who took part"]) in totals
        both = line["People who use the service or family"]
        assert both == "" or int(both) in coproducing, line


def check_api_round(session, detail: dict) -> int:
    """/api/v1/rounds/{id}: every count a published cell of the round, the people its
    published head counts."""
    round_ = session.get(Round, detail["id"])
    cells = published_rows(session, {round_.publication_id})
    heads = heads_of(session, round_.id)
    assert (detail["people"]["total"], detail["people"]["groups"]) == (
        heads.get("total"),
        heads.get("groups"),
    )
    checked = 0
    for summary in detail["summaries"]:
        sid, figures = summary["statement_id"], summary["figures"]
        if figures is None:
            assert (sid, "all") not in cells
            continue
        for group, counts in [("all", figures["total"]), *(figures["groups"] or {}).items()]:
            shown = {f"level_{k}": v for k, v in counts["levels"].items()}
            shown.update(
                dont_know=counts["dont_know"],
                matters_most=counts["matters_most"],
                n=counts["people"],
            )
            assert is_sum_of(shown, cells[(sid, group)], size=1), (sid, group, counts)
            assert counts["mean"] == mean_shown(shown)
            checked += 1
    return checked
