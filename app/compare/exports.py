"""CSV and XLSX of the compare matrix and of a statement across teams.

Each export is a list of tables (title, header, rows); CSV writes them one after another
with a blank line between, XLSX one sheet each. Figures from people's answers are the
view's published cells summed (app.core.floor), exactly as on the page; head counts are
the published ones. Names of people never appear (perspectives only)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table as XlTable
from openpyxl.worksheet.table import TableStyleInfo

from app.compare.queries.cells import HEADER as CELL_HEADER
from app.compare.queries.cells import LongRow
from app.compare.queries.matrix import TeamRow
from app.compare.queries.statement import StatementView
from app.compare.queries.teams import SECTION_CODES
from app.core.i18n import N_, _
from app.core.naming import NOT_SHOWN
from app.models.base import PERSPECTIVE_LABELS, SETTING_LABELS

TOO_FEW = "Too few answers to show"

# A column header: an English sentence (marked with N_), or one with placeholders and their
# values. CSV writes the English (analysts' tools depend on fixed column names); XLSX, a
# sheet for a person to read, writes it in the language of the person asking (issue 15).
Header = str | tuple[str, dict[str, str]]
Table = tuple[str, list[Header], list[list]]


def english(header: Header) -> str:
    text, values = (header, {}) if isinstance(header, str) else header
    return text % values if values else text


def shown(header: Header) -> str:
    """The header in the current language (app.core.i18n)."""
    text, values = (header, {}) if isinstance(header, str) else header
    return _(text) % values if values else _(text)


OUTCOME_WORDS = {
    "rose": N_("Rose at the next round"),
    "same": N_("Same at the next round"),
    "lower": N_("Lower at the next round"),
    "unknown": N_("Not known"),
    "no_next_round": N_("No round since"),
}


def _one(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def matrix_table(rows: Sequence[TeamRow], hide: bool) -> Table:
    header: list[Header] = [N_("Team"), N_("Service"), N_("Setting"), N_("Framework")]
    header.append(N_("Last round"))
    for code in SECTION_CODES:
        at = {"code": code}
        header += [
            (N_("%(code)s level"), at),
            (N_("%(code)s statements"), at),
            (N_("%(code)s change"), at),
        ]
    header += [
        N_("No round for 12 months"),
        N_("Last review"),
        N_("Review due"),
        N_("Review overdue"),
        N_("Actions"),
        N_("Actions done"),
        N_("Overdue actions"),
        N_("Actions owned by people who use the service"),
        N_("Priorities"),
        N_("Priorities with both co-leads"),
        N_("People who took part"),
        N_("People who use the service or family"),
    ]
    body = []
    for row in rows:
        line = [
            row.shown_name(hide),
            row.service,
            SETTING_LABELS.get(row.setting, row.setting),
            row.framework_title or "",
            row.last_round_on,
        ]
        for code in SECTION_CODES:
            cell = row.cells[code]
            line += [_one(cell.mean), cell.n, _one(cell.change)]
        line += [
            "yes" if row.no_recent_round else "no",
            row.last_review_on,
            row.review_due,
            "yes" if row.review_overdue else "no",
            row.actions,
            row.actions_done,
            row.actions_overdue,
            row.actions_by_service_users,
            row.priorities,
            row.priorities_co_led,
            row.people,
            row.people_coproducing,
        ]
        body.append(line)
    return (N_("Teams"), header, body)


def long_table(rows: Sequence[LongRow]) -> Table:
    """Published cells, one figure a row, with fixed English column names in CSV and XLSX
    alike (the long format is for analysts' tools: `fixed` keeps the XLSX header English)."""
    return ("Published cells", list(CELL_HEADER), [r.values for r in rows])


def people_table(view: StatementView, labels: dict) -> tuple[list[Header], list[list]]:
    """How people rated it: the published cells summed (the same figures as the page)."""
    header: list[Header] = [
        N_("Group"),
        *[("%(label)s", {"label": labels.get(n, str(n))}) for n in (1, 2, 3, 4)],
        N_("Don't know"),
        N_("People"),
        N_("Average level"),
        N_("Rounds"),
    ]
    rows = []
    total = view.people.total
    for cell in [*view.groups, *([total] if total is not None else [])]:
        rows.append(
            [
                cell.label,
                *[cell.level(level).value for level in (1, 2, 3, 4)],
                cell.dont_know.value,
                cell.n.value,
                _one(cell.mean.value),
                len(cell.cells),
            ]
        )
    if total is None:
        rows.append(["Everyone", TOO_FEW, "", "", "", "", "", ""])
    return header, rows


def _owner(action) -> str:
    """The owner's perspective, unless the action's words name someone (app.core.naming)."""
    if action.not_shown:
        return NOT_SHOWN
    return PERSPECTIVE_LABELS.get(action.owner_perspective, "no owner")


def statement_tables(view: StatementView, hide: bool) -> list[Table]:
    labels = {s["level"]: s["label"] for s in view.framework.scale}
    teams = (
        N_("Teams"),
        [N_("Team"), N_("Service"), N_("Round"), N_("Agreed level"), N_("Level words")],
        [
            [
                t.label if hide else t.name,
                t.service,
                t.held_on,
                t.level,
                labels.get(t.level, "Don't know or not agreed"),
            ]
            for t in view.levels
        ],
    )
    people = (N_("By perspective"), *people_table(view, labels))
    priorities = (
        N_("Priorities"),
        [
            N_("Team"),
            N_("Priority"),
            N_("Co-led by"),
            N_("Actions (owner's perspective)"),
            N_("Level at the plan's round"),
            N_("Level at the next round"),
            N_("What happened"),
        ],
        [
            [
                s.label if hide else s.name,
                s.title,
                NOT_SHOWN
                if s.not_shown
                else " and ".join(PERSPECTIVE_LABELS.get(p, p) for p in s.co_leads),
                "; ".join(
                    f"{a.what} ({_owner(a)}, {a.status.replace('_', ' ')})" for a in s.actions
                ),
                s.level_before,
                s.level_after,
                OUTCOME_WORDS[s.outcome],
            ]
            for s in view.stories
        ],
    )
    return [teams, people, priorities]


def _text(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def to_csv(tables: Sequence[Table]) -> str:
    """CSV text; column names are fixed English words (analysts' tools depend on them).
    The byte-order mark is added by app.downloads, as for every CSV."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for index, (title, header, rows) in enumerate(tables):
        if index:
            writer.writerow([])
        if len(tables) > 1:
            writer.writerow([title])
        writer.writerow([english(h) for h in header])
        for row in rows:
            writer.writerow([_safe(_text(v)) for v in row])
    return out.getvalue()


def _safe(text: str) -> str:
    """Stop spreadsheet formulas: a cell starting with = + - @ is prefixed with '."""
    if text and text[0] in "=+-@\t\r" and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_xlsx(tables: Sequence[Table], *, fixed: bool = False) -> bytes:
    """One sheet per table, each an Excel table (filters on its header) with the header
    frozen, columns as wide as their longest words (up to 60) and dates as dates. Sheet
    titles and headers in the current language, unless `fixed` (English, for analysts)."""
    book = Workbook()
    book.remove(book.active)
    for index, (title, headers, rows) in enumerate(tables, start=1):
        header = [english(h) if fixed else shown(h) for h in headers]
        sheet = book.create_sheet(english(title)[:31] if fixed else shown(title)[:31])
        sheet.append(header)
        for row in rows:
            sheet.append([_cell(v) for v in row])
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, date | datetime):
                    cell.number_format = "d mmm yyyy"
        sheet.freeze_panes = "A2"
        for column, name in enumerate(header, start=1):
            longest = max(
                [len(str(name))] + [len(_text(r[column - 1])) for r in rows if len(r) >= column]
            )
            sheet.column_dimensions[get_column_letter(column)].width = min(60, longest + 2)
        ref = f"A1:{get_column_letter(len(header))}{max(2, len(rows) + 1)}"
        table = XlTable(displayName=f"Table{index}_{_table_name(english(title))}", ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        sheet.add_table(table)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _table_name(title: str) -> str:
    return "".join(ch for ch in title if ch.isalnum()) or "Data"


def _cell(value):
    if isinstance(value, str):
        return _safe(value)
    return value
