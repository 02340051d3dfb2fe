"""Recovery leads (and admins): teams side by side, a statement across teams, the trend,
common priorities, and CSV/XLSX of them. Outside view throughout: no names of people."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlmodel import Session

from app.compare import exports
from app.compare.deps import Choices, CompareChoices, StatementAcross
from app.compare.pages import matrix as pages
from app.compare.queries import build_rows, sort_rows
from app.compare.queries.cells import long_rows
from app.core import i18n
from app.core.dates import today
from app.db import SessionDep
from app.downloads import download
from app.web import language_of

router = APIRouter()

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def _rows(request: Request, session: Session, choices: Choices):
    # "overdue" and "no round for 12 months" by the one today (Europe/London, the app's clock)
    rows = build_rows(session, choices.where, today(request))
    return sort_rows(rows, choices.sort, choices.descending, choices.hide)


@router.get("/compare")
def compare_page(request: Request, session: SessionDep, choices: CompareChoices):
    i18n.use_language(language_of(request))  # hidden teams' labels in the page's language
    return pages.show_matrix(request, session, choices, _rows(request, session, choices))


@router.get("/compare.csv")
def compare_csv(request: Request, session: SessionDep, choices: CompareChoices):
    table = exports.matrix_table(_rows(request, session, choices), choices.hide)
    return download(exports.to_csv([table]), "compare.csv", CSV)


@router.get("/compare.xlsx")
def compare_xlsx(request: Request, session: SessionDep, choices: CompareChoices):
    table = exports.matrix_table(_rows(request, session, choices), choices.hide)
    i18n.use_language(language_of(request))  # a sheet for a person: their language
    return download(exports.to_xlsx([table]), "compare.xlsx", XLSX)


@router.get("/compare/cells.csv")
def cells_csv(session: SessionDep, choices: CompareChoices):
    """The long format for analysts: one row per published figure (app.compare.queries.cells)."""
    table = exports.long_table(long_rows(session, choices.where))
    return download(exports.to_csv([table]), "published-cells.csv", CSV)


@router.get("/compare/cells.xlsx")
def cells_xlsx(session: SessionDep, choices: CompareChoices):
    table = exports.long_table(long_rows(session, choices.where))
    return download(exports.to_xlsx([table], fixed=True), "published-cells.xlsx", XLSX)


@router.get("/compare/trend")
def trend_page(request: Request, session: SessionDep, choices: CompareChoices):
    i18n.use_language(language_of(request))
    return pages.show_trend(request, session, choices)


@router.get("/compare/priorities")
def priorities_page(request: Request, session: SessionDep, choices: CompareChoices):
    i18n.use_language(language_of(request))
    return pages.show_priorities(request, session, choices)


def _statement_name(view, suffix: str) -> str:
    return f"statement-{view.framework.key}-{view.statement.code}.{suffix}"


@router.get("/compare/statements/{statement_id}.csv")
def statement_csv(view: StatementAcross, choices: CompareChoices):
    tables = exports.statement_tables(view, choices.hide)
    return download(exports.to_csv(tables), _statement_name(view, "csv"), CSV)


@router.get("/compare/statements/{statement_id}.xlsx")
def statement_xlsx(request: Request, view: StatementAcross, choices: CompareChoices):
    tables = exports.statement_tables(view, choices.hide)
    i18n.use_language(language_of(request))
    return download(exports.to_xlsx(tables), _statement_name(view, "xlsx"), XLSX)


@router.get("/compare/statements/{statement_id}")
def statement_page(request: Request, view: StatementAcross, choices: CompareChoices):
    return pages.show_statement(request, view, choices)
