"""Compare's pages: the template contexts (`show_…`), and the body rows of the compare
table, written here rather than in the template: a page holds a row for each of up to
several hundred teams and ten heat-map cells in each, and per-cell template logic cost
most of the page's time. The table around them (caption, sortable headers with
aria-sort) is in templates/compare/matrix.html.

Each cell is one <td> with its band as a class (the colour only repeats the number), the
level in bold, and short visually hidden words for screen readers: how many statements
the level rests on and the change since the round before (▲/▼ is hidden from them). The
names of teams, services and frameworks are escaped; everything else is numbers and
fixed words."""

from __future__ import annotations

from functools import lru_cache

from fastapi import Request
from markupsafe import Markup, escape
from sqlmodel import Session

from app.compare import exports
from app.compare.deps import Choices
from app.compare.pages import chart
from app.compare.queries import Cell, StatementView, TeamRow, common_priorities, trend
from app.compare.queries import teams as queries
from app.compare.queries.teams import SECTION_CODES
from app.compare.queries.trend import team_levels as team_trend
from app.core.i18n import N_, _, current_language, ngettext
from app.core.xmr import MIN_POINTS_FOR_LIMITS
from app.models.base import SETTING_LABELS
from app.web import format_date, render


def _filters(session: Session) -> dict:
    return {
        "services": queries.services(session),
        "frameworks": queries.framework_keys(session),
        "setting_options": list(SETTING_LABELS.items()),
    }


def show_matrix(request: Request, session: Session, choices: Choices, rows: list[TeamRow]):
    """Teams side by side; to htmx (the filters and sort links), only the results."""
    return render(
        request,
        "compare/matrix.html",
        {
            "page_title": N_("Compare teams"),
            "rows": rows,
            "choices": choices,
            "codes": SECTION_CODES,
            "titles": queries.section_titles(session),
            "statements": queries.statements_by_key(session, choices.framework_key),
            "first_statements": queries.first_statements(session),
            "section_row": section_row,
            "plan_row": plan_row,
            **_filters(session),
        },
        block="results",
    )


def show_trend(request: Request, session: Session, choices: Choices):
    """The organisation's XmR chart of median levels by quarter, and a team's own chart."""
    spreads = trend(session, choices.where, choices.section)
    kept = [s for s in spreads if s.median is not None]
    teams, labels = queries.labelled_teams(session, choices.where)
    team_options = [(t.id, labels[t.id] if choices.hide else t.name) for t in teams]
    chosen = dict(team_options).get(choices.team_id)
    team_rounds = team_trend(session, choices.team_id, choices.section) if chosen else []
    return render(
        request,
        "compare/trend.html",
        {
            "page_title": N_("How teams have changed over time"),
            "choices": choices,
            "spreads": spreads,
            "org_chart": chart.build_chart([s.quarter for s in kept], [s.median for s in kept])
            if kept
            else None,
            "team_options": team_options,
            "team_name": chosen,
            "team_rounds": team_rounds,
            "team_chart": chart.build_chart(
                [format_date(day) for day, _ in team_rounds],
                [level for _, level in team_rounds],
                min_points=MIN_POINTS_FOR_LIMITS,
            )
            if team_rounds
            else None,
            "min_points": MIN_POINTS_FOR_LIMITS,
            "codes": SECTION_CODES,
            "titles": queries.section_titles(session),
            **_filters(session),
        },
    )


def show_priorities(request: Request, session: Session, choices: Choices):
    return render(
        request,
        "compare/priorities.html",
        {
            "page_title": N_("Priorities teams share"),
            "choices": choices,
            "priorities": common_priorities(session, choices.where),
            **_filters(session),
        },
    )


def show_statement(request: Request, view: StatementView, choices: Choices):
    return render(
        request,
        "compare/statement.html",
        {
            "page_title": f"{view.statement.code}: {view.statement.text}",
            "view": view,
            "choices": choices,
            "scale": {s["level"]: s["label"] for s in view.framework.scale},
            "outcome_words": exports.OUTCOME_WORDS,
        },
    )


_NONE = (
    '<td class="app-heat app-heat--none" data-section="{}">–<span class="app-vh"> {}</span></td>'
)


UP = N_("up %(change)s since the round before")
DOWN = N_("down %(change)s since the round before")


def _from(n: int) -> str:
    return ngettext("from %(num)s statement", "from %(num)s statements", n) % {"num": n}


def shade_of(mean: float) -> int:
    """The cell's shade: 0 (1.0) to 12 (4.0), in steps of 0.25 of a level."""
    return min(12, max(0, int((mean - 1) * 4 + 0.5)))


@lru_cache(maxsize=8192)
def _cell(cell: Cell, href: str | None, language: str) -> str:
    """A cell's HTML depends only on its four values and its link, and an organisation has
    far fewer distinct cells than cells (levels are means of a few whole numbers): kept,
    bounded (per language: its hidden words are translated). The number links to the
    section's first statement across teams."""
    mean = cell.mean
    if mean is None:
        return _NONE.format(cell.code, _("no level"))
    n = cell.n
    number = f"<b>{mean:.1f}</b>"
    if href:
        number = f'<a href="{href}">{number}</a>'
    html = (
        f'<td class="app-heat app-heat--{min(4, max(1, int(mean + 0.5)))} '
        f'app-shade-{shade_of(mean)}" data-section="{cell.code}">{number}'
        f'<span class="app-vh"> {_from(n)}</span>'
    )
    word = cell.change_word
    if word == "up":
        shown = f"{cell.change:.1f}"
        html += (
            f'<i aria-hidden="true">▲{shown}</i>'
            f'<span class="app-vh">, {_(UP) % {"change": shown}}</span>'
        )
    elif word == "down":
        shown = f"{-cell.change:.1f}"
        html += (
            f'<i aria-hidden="true">▼{shown}</i>'
            f'<span class="app-vh">, {_(DOWN) % {"change": shown}}</span>'
        )
    elif word == "same":
        html += (
            '<i aria-hidden="true">=</i><span class="app-vh">, '
            + _("the same as the round before")
            + "</span>"
        )
    return html + "</td>"


def heat_cells(cells: dict[str, Cell], links: dict[str, str] | None = None) -> Markup:
    """The ten section cells of one team's row, C1 to C10; `links`: {code: href}."""
    links = links or {}
    return Markup(
        "".join([_cell(cells[code], links.get(code), current_language()) for code in SECTION_CODES])
    )


def share_of(part: int, whole: int, none_text: str) -> Markup:
    """ "1 of 3 (33%)", or the words for none."""
    if not whole:
        return Markup.escape(_(none_text))
    percent = int(round(100 * part / whole, 0))  # as Jinja's round filter
    of = escape(_("%(part)s of %(whole)s") % {"part": part, "whole": whole})
    return Markup(f'{of} <span class="app-nowrap">({percent}%)</span>')


def coproduction(row: TeamRow) -> Markup:
    """People who use the service or are family, of all who took part in the latest round,
    from its published head counts only (never a group of 1 or 2)."""
    if row.round_id is None:
        return Markup.escape(_("No round yet"))
    if row.people is None:
        return Markup.escape(_("Fewer than 3 took part"))
    if row.people_coproducing is None:
        return Markup(
            f'<span class="app-muted">{escape(_(TOO_SMALL))}</span> '
            f"({escape(_(TOOK_PART) % {'count': row.people})})"
        )
    return share_of(row.people_coproducing, row.people, N_("No round yet"))


# Sentences used inside f-strings (Babel does not read inside them): marked here.
TOO_SMALL = N_("Groups too small to show")
TOOK_PART = N_("%(count)s took part")
YEAR_AGO = N_("over a year ago")
NO_ROUND_12 = N_("no round for 12 months")
NO_ROUND = N_("No round yet")
REVIEW_OVERDUE = N_("Review overdue")
NO_PLAN = N_("No agreed plan")
NO_ACTIONS = N_("No actions yet")
NO_PRIORITIES = N_("No priorities yet")


def _orange() -> str:
    return (
        f'<br><strong class="nhsuk-tag nhsuk-tag--orange">{escape(_(YEAR_AGO))}'
        f'<span class="app-vh">: {escape(_(NO_ROUND_12))}</span></strong>'
    )


def _no_round() -> str:
    return f'<strong class="nhsuk-tag nhsuk-tag--orange">{escape(_(NO_ROUND))}</strong>'


def _overdue() -> str:
    return f'<br><strong class="nhsuk-tag nhsuk-tag--red">{escape(_(REVIEW_OVERDUE))}</strong>'


def _name(row: TeamRow, hide: bool) -> str:
    if hide:
        return escape(row.label)
    return f'<a href="/teams/{row.team_id}">{escape(row.name)}</a>'


def section_row(row: TeamRow, hide: bool, first_statements: dict) -> Markup:
    """One team's <tr> in the section table: name (a link, or "Team 3" when names are
    hidden), the ten section cells (each a link to its section's first statement across
    teams) and the last round with its flag."""
    links = {}
    for code in SECTION_CODES:
        found = first_statements.get((row.framework_key, code))
        if found is not None:
            links[code] = f"/compare/statements/{found}" + ("?hide=1" if hide else "")
    if row.last_round_on:
        last_round = f'<span class="app-nowrap">{format_date(row.last_round_on)}</span>' + (
            _orange() if row.no_recent_round else ""
        )
    else:
        last_round = _no_round()
    return Markup(
        f'<tr><th scope="row">{_name(row, hide)}</th>{heat_cells(row.cells, links)}'
        f'<td class="app-last-round">{last_round}</td></tr>'
    )


def plan_row(row: TeamRow, hide: bool) -> Markup:
    """One team's <tr> in the plans table: service, setting, framework, last review with
    its flag, plan progress and the co-production signs."""
    setting = escape(SETTING_LABELS.get(row.setting, row.setting))
    framework = escape(row.framework_title) if row.framework_title else "–"
    last_review = format_date(row.last_review_on) if row.last_review_on else escape(_("None yet"))
    if row.review_overdue:
        last_review += _overdue()
    if row.has_plan:
        progress = (
            f"<td>{share_of(row.actions_done, row.actions, NO_ACTIONS)}</td>"
            f"<td>{row.actions_overdue}</td>"
        )
        co_led = (
            f"<td>{share_of(row.priorities_co_led, row.priorities, NO_PRIORITIES)}</td>"
            f"<td>{share_of(row.actions_by_service_users, row.actions, NO_ACTIONS)}</td>"
        )
    else:
        progress = f"<td>{escape(_(NO_PLAN))}</td><td>–</td>"
        co_led = "<td>–</td><td>–</td>"
    return Markup(
        f'<tr><th scope="row">{_name(row, hide)}</th><td>{escape(row.service)}</td>'
        f'<td>{setting}</td><td>{framework}</td>\n<td class="app-nowrap">{last_review}</td>'
        f"{progress}<td data-coproduction>{coproduction(row)}</td>"
        f"{co_led}</tr>"
    )
