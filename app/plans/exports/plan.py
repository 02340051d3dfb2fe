"""The plan as rows: CSV and XLSX. Both carry the plan's title and review date. Names inside
the team; perspectives for the outside view. Progress notes and their authors only in the
export for the team's own people. Removed priorities never reach here (`plan_view`)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table as XlTable
from openpyxl.worksheet.table import TableStyleInfo

from app.core.i18n import N_, _
from app.core.naming import NOT_SHOWN
from app.plans.queries.labels import (
    EFFORT_LABELS,
    IMPACT_LABELS,
    OUTSIDE_COLEADS,
    PLAN_STATUS_LABELS,
    STATUS_LABELS,
    person,
)
from app.plans.queries.notes import Note
from app.plans.queries.views import PriorityView

Notes = dict[int, list[Note]]  # {action_id: its progress notes}; empty for the outside view

# Headers: English, marked for the Welsh catalogue. The CSV keeps them English (fixed
# column names); the XLSX, a sheet for a person, shows them in the current language.
PRIORITY_HEADERS = [
    N_("Priority"),
    N_("Kind"),
    N_("Impact"),
    N_("Effort"),
    N_("Statements"),
    N_("Why it matters"),
    N_("Staff co-lead"),
    N_("Co-lead who uses the service"),
    N_("Helpers"),
    N_("Actions done"),
    N_("Actions (not counting dropped)"),
]
ACTION_HEADERS = [
    N_("Priority"),
    N_("Action"),
    N_("Owner"),
    N_("Helpers"),
    N_("Due"),
    N_("Status"),
    N_("Overdue"),
]
CSV_HEADERS = [
    "Priority",
    "Kind",
    "Staff co-lead",
    "Co-lead who uses the service",
    "Action",
    "Owner",
    "Due",
    "Status",
    "Overdue",
    "Progress notes",  # empty outside the team
    "Plan",
    "Review due",
]
PLAN_HEADERS = [N_("Plan"), N_("Status"), N_("Review due"), N_("Exported on")]
NOTE_HEADERS = [
    N_("Priority"),
    N_("Action"),
    N_("When"),
    N_("Who"),
    N_("Status change"),
    N_("Note"),
]


def _note_text(note: Note) -> str:
    change = f" ({note.change})" if note.change else ""
    return f"{note.at:%Y-%m-%d %H:%M} {note.author}{change}: {note.note}"


def note_rows(views: list[PriorityView], notes: Notes) -> list[list]:
    return [
        [v.priority.title, a.action.what, n.at, n.author, n.change, n.note]
        for v in views
        for a in v.actions
        for n in notes.get(a.action.id, [])
    ]


def _people(members, inside: bool) -> str:
    if not inside:
        return f"{len(members)} {'helper' if len(members) == 1 else 'helpers'}" if members else ""
    return ", ".join(m.display_name for m in members)


def _coleads(view: PriorityView, inside: bool) -> tuple[str, str]:
    if inside:
        return person(view.staff_colead, True), person(view.service_user_colead, True)
    if view.names_person:  # its words name someone: no perspectives (app.core.naming)
        return NOT_SHOWN, NOT_SHOWN
    staff = "Staff" if view.staff_colead else "Not named yet"
    user = "Person using the service" if view.service_user_colead else "Not named yet"
    return staff, user


def _owner(a, inside: bool) -> str:
    if not inside and a.owner is not None and a.names_person:
        return NOT_SHOWN
    return person(a.owner, inside, empty="No owner yet")


def priority_rows(views: list[PriorityView], inside: bool) -> list[list]:
    rows = []
    for v in views:
        staff, user = _coleads(v, inside)
        rows.append(
            [
                v.priority.title,
                v.quadrant,
                IMPACT_LABELS[v.priority.impact],
                EFFORT_LABELS[v.priority.effort],
                "; ".join(f"{s.code} {s.text}" for s in v.statements),
                v.priority.why,
                staff,
                user,
                _people(v.helpers, inside),
                v.done,
                v.total,
            ]
        )
    return rows


def action_rows(views: list[PriorityView], inside: bool) -> list[list]:
    rows = []
    for v in views:
        for a in v.actions:
            rows.append(
                [
                    v.priority.title,
                    a.action.what,
                    _owner(a, inside),
                    _people(a.helpers, inside),
                    a.action.due_on,  # a date: a real date in the spreadsheet
                    STATUS_LABELS[a.action.status],
                    "Overdue" if a.overdue else "",
                ]
            )
    return rows


def csv_rows(views: list[PriorityView], inside: bool, plan, notes: Notes) -> list[list]:
    rows = []
    tail = [plan.title, plan.review_due.isoformat() if plan.review_due else ""]
    for v in views:
        staff, user = _coleads(v, inside)
        head = [v.priority.title, v.quadrant, staff, user]
        if not v.actions:
            rows.append(head + ["", "", "", "", "", ""] + tail)
        for a in v.actions:
            written = notes.get(a.action.id, []) if inside else []
            rows.append(
                head
                + [
                    a.action.what,
                    _owner(a, inside),
                    a.action.due_on.isoformat() if a.action.due_on else "",
                    STATUS_LABELS[a.action.status],
                    "Overdue" if a.overdue else "",
                    "\n".join(_note_text(n) for n in written),
                ]
                + tail
            )
    return rows


def _safe(value):
    """Spreadsheets run cells that start with = + - @ as formulas: make them plain text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def plan_csv(views: list[PriorityView], inside: bool, *, plan, notes: Notes) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for row in csv_rows(views, inside, plan, notes):
        writer.writerow([_safe(v) for v in row])
    return out.getvalue()


def plan_xlsx(
    views: list[PriorityView], inside: bool, *, plan, made_on: date, notes: Notes
) -> bytes:
    """One sheet per table (the plan; priorities; actions; inside the team, progress notes),
    each an Excel table (filters on its header) with the header frozen, columns as wide as
    their words (up to 60) and dates as dates."""
    book = Workbook()
    book.remove(book.active)
    about = [[plan.title, PLAN_STATUS_LABELS[plan.status], plan.review_due, made_on]]
    tables = [
        (N_("Plan"), PLAN_HEADERS, about),
        (N_("Priorities"), PRIORITY_HEADERS, priority_rows(views, inside)),
        (N_("Actions"), ACTION_HEADERS, action_rows(views, inside)),
    ]
    if inside:
        tables.append((N_("Progress notes"), NOTE_HEADERS, note_rows(views, notes)))
    for index, (name, english, rows) in enumerate(tables, start=1):
        headers = [_(h) for h in english]  # the person's language (the route sets it)
        sheet = book.create_sheet(_(name)[:31])
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_safe(v) for v in row])
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, datetime):
                    cell.number_format = "d mmm yyyy hh:mm"
                elif isinstance(cell.value, date):
                    cell.number_format = "d mmm yyyy"
        sheet.freeze_panes = "A2"
        for column, header in enumerate(headers, start=1):
            longest = max([len(header)] + [len(_text(r[column - 1])) for r in rows])
            sheet.column_dimensions[get_column_letter(column)].width = min(60, longest + 2)
        ref = f"A1:{get_column_letter(len(headers))}{max(2, len(rows) + 1)}"
        table = XlTable(displayName=f"Table{index}{name.replace(' ', '')}", ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        sheet.add_table(table)
    book.properties.title = plan.title
    book.properties.description = f"Exported {made_on.isoformat()}"
    if not inside:
        book.properties.description += " (outside view: people shown by perspective)"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d %b %Y %H:%M")
    return value.strftime("%d %b %Y") if isinstance(value, date) else str(value)


__all__ = ["OUTSIDE_COLEADS", "plan_csv", "plan_xlsx", "priority_rows", "action_rows", "note_rows"]
