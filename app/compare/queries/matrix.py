"""Teams side by side: the latest section levels, change, rounds, reviews, plans and
co-production, one row per team. Read by the page, the CSV/XLSX exports and the API.

Built from a few grouped queries (app.compare.queries.matrix_sql) into plain rows: one small
object per team and a tuple per section, so 300 teams cost milliseconds, not seconds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlmodel import Session

from app.compare.queries import matrix_sql
from app.compare.queries.teams import COPRODUCING, SECTION_CODES, TeamFilter, labelled_teams
from app.core.floor import OTHER, HeadCount
from app.rounds.queries import published_heads


class Cell(NamedTuple):
    code: str
    mean: float | None  # None: no agreed level for this section in the latest closed round
    n: int = 0  # statements the mean rests on
    change: float | None = None  # since the team's previous closed round

    @property
    def band(self) -> str:
        """Heat-map band: the scale level the mean is nearest to (CSS class suffix)."""
        if self.mean is None:
            return "none"
        return str(min(4, max(1, int(self.mean + 0.5))))

    @property
    def change_word(self) -> str:
        if self.change is None:
            return ""
        shown = round(self.change, 1)
        if shown > 0:
            return "up"
        if shown < 0:
            return "down"
        return "same"


EMPTY_CELLS = {code: Cell(code, None) for code in SECTION_CODES}


@dataclass(slots=True)
class TeamRow:
    team_id: int
    name: str
    label: str  # "Team 3": used when names are hidden
    service: str
    service_id: int
    setting: str
    framework_key: str | None = None
    framework_title: str | None = None
    round_id: int | None = None
    last_round_on: date | None = None
    last_review_on: date | None = None
    review_due: date | None = None
    cells: dict[str, Cell] = field(default_factory=dict)
    no_recent_round: bool = True
    review_overdue: bool = False
    has_plan: bool = False
    actions: int = 0
    actions_done: int = 0
    actions_overdue: int = 0
    actions_by_service_users: int = 0
    priorities: int = 0
    priorities_co_led: int = 0
    # Published head counts of the latest round: None when fewer than 3 took part (people),
    # or when the groups are too small to show who uses the service or is family.
    people: int | None = None
    people_coproducing: int | None = None

    @property
    def done_share(self) -> float | None:
        return self.actions_done / self.actions if self.actions else None

    @property
    def coproducing_share(self) -> float | None:
        if not self.people or self.people_coproducing is None:
            return None
        return self.people_coproducing / self.people

    def shown_name(self, hide: bool) -> str:
        return self.label if hide else self.name


def a_year_before(today: date) -> date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def cells_of(sums: dict[str, tuple] | None) -> dict[str, Cell]:
    """Cells from {code: (sum, n, sum before, n before)}; change only where both rounds
    have a level for the section."""
    if not sums:
        return EMPTY_CELLS
    cells = {}
    for code in SECTION_CODES:
        found = sums.get(code)
        if found is None or not found[1]:
            cells[code] = Cell(code, None)
            continue
        total, n, total_before, n_before = found
        mean = total / n
        change = mean - total_before / n_before if n_before else None
        cells[code] = Cell(code, mean, n, change)
    return cells


def coproducing(heads: HeadCount) -> int | None:
    """People who use the service or are family, from a published head count: the sum of
    those groups' published counts. A group left out of the breakdown counts 0 only when
    there is no "other" it could be in; otherwise (or with no breakdown) it is not known."""
    if heads.total is None or heads.groups is None:
        return None
    if OTHER in heads.groups and not all(g in heads.groups for g in COPRODUCING):
        return None
    return sum(heads.groups.get(g, 0) for g in COPRODUCING)


def build_rows(session: Session, where: TeamFilter, today: date) -> list[TeamRow]:
    teams, labels = labelled_teams(session, where)
    rounds = matrix_sql.latest_rounds(session)
    sums = matrix_sql.section_sums(session)
    heads = published_heads(session, [latest[0] for latest in rounds.values()])
    plans = matrix_sql.plan_figures(session, today)
    reviews = matrix_sql.last_reviews(session)
    year_ago = a_year_before(today)
    rows: list[TeamRow] = []
    for team in teams:
        latest = rounds.get(team.id)
        if where.framework_key and (latest is None or latest[2] != where.framework_key):
            continue
        row = TeamRow(
            team.id,
            team.name,
            labels[team.id],
            team.service,
            team.service_id,
            team.setting,
            last_review_on=reviews.get(team.id),
        )
        if latest is not None:
            row.round_id, row.last_round_on, row.framework_key, row.framework_title = latest
            row.no_recent_round = row.last_round_on < year_ago
            row.cells = cells_of(sums.get(team.id))
            found = heads.get(row.round_id, HeadCount(None, None))
            row.people, row.people_coproducing = found.total, coproducing(found)
        else:
            row.cells = EMPTY_CELLS
        plan = plans.get(team.id)
        if plan is not None:
            row.has_plan = True
            (
                row.review_due,
                row.actions,
                row.actions_done,
                row.actions_overdue,
                row.actions_by_service_users,
                row.priorities,
                row.priorities_co_led,
            ) = plan
            row.review_overdue = row.review_due is not None and row.review_due < today
        rows.append(row)
    return rows


# Sort keys: what a column is sorted by. None always sorts last.
COLUMNS: dict[str, str] = {
    "team": "Team",
    "service": "Service",
    "setting": "Setting",
    "framework": "Framework",
    **{code: code for code in SECTION_CODES},
    "last_round": "Last round",
    "last_review": "Last review",
    "progress": "Actions done",
    "overdue": "Overdue actions",
    "coproduction": "People who use the service or family",
    "co_led": "Priorities with both co-leads",
    "service_user_actions": "Actions owned by people who use the service",
}


def _team_key(row: TeamRow, hide: bool):
    return int(row.label.split()[-1]) if hide else row.name.casefold()


def sort_value(row: TeamRow, column: str, hide: bool):
    if column in SECTION_CODES:
        return row.cells[column].mean
    if column == "team":
        return _team_key(row, hide)
    if column == "service":
        return row.service.casefold()
    if column == "setting":
        return row.setting
    if column == "framework":
        return row.framework_title
    if column == "last_round":
        return row.last_round_on
    if column == "last_review":
        return row.last_review_on
    if column == "progress":
        return row.done_share
    if column == "overdue":
        return row.actions_overdue if row.has_plan else None
    if column == "coproduction":
        return row.coproducing_share
    if column == "co_led":
        return row.priorities_co_led / row.priorities if row.priorities else None
    return row.actions_by_service_users / row.actions if row.actions else None


def sort_rows(rows: list[TeamRow], column: str, descending: bool, hide: bool) -> list[TeamRow]:
    if column not in COLUMNS:
        column = "team"
    keyed = [(sort_value(r, column, hide), r) for r in rows]
    present = [(k, r) for k, r in keyed if k is not None]
    missing = [r for k, r in keyed if k is None]
    present.sort(key=lambda pair: pair[0], reverse=descending)
    missing.sort(key=lambda r: _team_key(r, hide))
    return [r for _, r in present] + missing
