"""Teams side by side: the latest section levels, change, rounds, reviews, plans and
co-production, one row per team. Read by the page, the CSV/XLSX exports and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from app.compare import queries
from app.compare.queries import SECTION_CODES, TeamFilter
from app.rounds.figures import SectionLevel


@dataclass(frozen=True)
class Cell:
    code: str
    level: SectionLevel | None  # None: the team has no closed round with this section
    change: float | None = None  # since the team's previous closed round

    @property
    def mean(self) -> float | None:
        return self.level.mean if self.level else None

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


@dataclass
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
    people: int = 0
    people_coproducing: int = 0

    @property
    def done_share(self) -> float | None:
        return self.actions_done / self.actions if self.actions else None

    @property
    def coproducing_share(self) -> float | None:
        return self.people_coproducing / self.people if self.people else None

    def shown_name(self, hide: bool) -> str:
        return self.label if hide else self.name


def a_year_before(today: date) -> date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def team_labels(session: Session) -> dict[int, str]:
    """ "Team 1", "Team 2"… by team id over all teams, so labels stay the same whatever the
    filters or the sort."""
    rows = queries.teams(session, TeamFilter())
    return {row.id: f"Team {number}" for number, row in enumerate(rows, start=1)}


def build_rows(session: Session, where: TeamFilter, today: date) -> list[TeamRow]:
    labels = team_labels(session)
    rounds = queries.latest_rounds(session)
    round_ids = [r.round_id for team_rounds in rounds.values() for r in team_rounds]
    levels = queries.section_levels_of_rounds(session, round_ids) if round_ids else {}
    latest_ids = [team_rounds[0].round_id for team_rounds in rounds.values()]
    people = queries.people_of_rounds(session, latest_ids) if latest_ids else {}
    plans = queries.plan_figures(session, today)
    reviews = queries.last_reviews(session)
    year_ago = a_year_before(today)
    rows: list[TeamRow] = []
    for team in queries.teams(session, where):
        team_rounds = rounds.get(team.id, [])
        latest = team_rounds[0] if team_rounds else None
        if where.framework_key and (latest is None or latest.framework_key != where.framework_key):
            continue
        row = TeamRow(
            team_id=team.id,
            name=team.name,
            label=labels.get(team.id, f"Team {team.id}"),
            service=team.service,
            service_id=team.service_id,
            setting=team.setting,
            last_review_on=reviews.get(team.id),
        )
        if latest is not None:
            row.framework_key = latest.framework_key
            row.framework_title = latest.framework_title
            row.round_id = latest.round_id
            row.last_round_on = latest.held_on
            row.no_recent_round = latest.held_on < year_ago
            now_levels = levels.get(latest.round_id, {})
            before = levels.get(team_rounds[1].round_id, {}) if len(team_rounds) > 1 else {}
            for code in SECTION_CODES:
                level = now_levels.get(code)
                previous = before.get(code)
                change = None
                if level and previous and level.mean is not None and previous.mean is not None:
                    change = level.mean - previous.mean
                row.cells[code] = Cell(code, level, change)
        else:
            row.cells = {code: Cell(code, None) for code in SECTION_CODES}
        plan = plans.get(team.id)
        if plan is not None:
            row.has_plan = True
            row.review_due = plan.review_due
            row.review_overdue = plan.review_due is not None and plan.review_due < today
            row.actions = plan.actions
            row.actions_done = plan.done
            row.actions_overdue = plan.overdue
            row.actions_by_service_users = plan.owned_by_service_users
            row.priorities = plan.priorities
            row.priorities_co_led = plan.co_led
        if latest is not None:
            row.people_coproducing, row.people = people.get(latest.round_id, (0, 0))
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


def sort_value(row: TeamRow, column: str, hide: bool):
    if column in SECTION_CODES:
        return row.cells[column].mean
    if column == "team":
        return int(row.label.split()[-1]) if hide else row.name.casefold()
    return {
        "service": row.service.casefold(),
        "setting": row.setting,
        "framework": row.framework_title,
        "last_round": row.last_round_on,
        "last_review": row.last_review_on,
        "progress": row.done_share,
        "overdue": row.actions_overdue if row.has_plan else None,
        "coproduction": row.coproducing_share,
        "co_led": row.priorities_co_led / row.priorities if row.priorities else None,
        "service_user_actions": (
            row.actions_by_service_users / row.actions if row.actions else None
        ),
    }[column]


def sort_rows(rows: list[TeamRow], column: str, descending: bool, hide: bool) -> list[TeamRow]:
    if column not in COLUMNS:
        column = "team"
    present = [r for r in rows if sort_value(r, column, hide) is not None]
    missing = [r for r in rows if sort_value(r, column, hide) is None]
    present.sort(key=lambda r: sort_value(r, column, hide), reverse=descending)
    missing.sort(key=lambda r: sort_value(r, "team", hide))
    return present + missing
