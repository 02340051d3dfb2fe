"""Recovery leads (and admins): teams side by side, a statement across teams, the trend,
common priorities, and CSV/XLSX of them. Outside view throughout: no names of people."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.compare import exports, matrix, matrix_html, queries, trend
from app.compare import statement as statement_view
from app.compare.queries import SECTION_CODES, TeamFilter
from app.db import SessionDep
from app.downloads import download
from app.models.base import SETTING_LABELS
from app.security.access import OverviewUser
from app.security.clock import now
from app.web import render

router = APIRouter()

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _is_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) < 10


class Choices:
    """What the GET form asked for; anything unknown is ignored, never an error."""

    def __init__(self, request: Request) -> None:
        params = request.query_params
        service = params.get("service", "")
        # isascii: '²'.isdigit() is true but int('²') fails; 9 digits fit an id column
        self.service_id = int(service) if _is_id(service) else None
        setting = params.get("setting", "")
        self.setting = setting if setting in SETTING_LABELS else None
        self.framework_key = params.get("framework") or None
        self.sort = params.get("sort", "team")
        if self.sort not in matrix.COLUMNS:
            self.sort = "team"
        self.descending = params.get("dir") == "desc"
        self.hide = params.get("hide") == "1"
        section = params.get("section", "C1")
        self.section = section if section in SECTION_CODES else "C1"

    @property
    def where(self) -> TeamFilter:
        return TeamFilter(self.service_id, self.setting, self.framework_key)

    def query(self, **changes) -> str:
        values = {
            "service": self.service_id or "",
            "setting": self.setting or "",
            "framework": self.framework_key or "",
            "sort": self.sort if self.sort != "team" else "",
            "dir": "desc" if self.descending else "",
            "hide": "1" if self.hide else "",
        }
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})

    def sort_link(self, column: str) -> str:
        descending = column == self.sort and not self.descending
        return "?" + self.query(sort=column, dir="desc" if descending else "")

    def aria_sort(self, column: str) -> str | None:
        if column != self.sort:
            return None
        return "descending" if self.descending else "ascending"


def _filters(session) -> dict:
    return {
        "services": queries.services(session),
        "frameworks": queries.framework_keys(session),
        "setting_options": list(SETTING_LABELS.items()),
    }


def _rows(request: Request, session, choices: Choices):
    today = now(request).date()
    rows = matrix.build_rows(session, choices.where, today)
    return matrix.sort_rows(rows, choices.sort, choices.descending, choices.hide)


def _download(body: str | bytes, filename: str, media_type: str) -> Response:
    return download(body, filename, media_type)


@router.get("/compare")
def compare_page(request: Request, session: SessionDep, user: OverviewUser):
    choices = Choices(request)
    return render(
        request,
        "compare/matrix.html",
        {
            "page_title": "Compare teams",
            "rows": _rows(request, session, choices),
            "choices": choices,
            "codes": SECTION_CODES,
            "titles": queries.section_titles(session),
            "statements": queries.statements_by_key(session, choices.framework_key),
            "team_row": matrix_html.team_row,
            **_filters(session),
        },
        block="results",
    )


@router.get("/compare.csv")
def compare_csv(request: Request, session: SessionDep, user: OverviewUser):
    choices = Choices(request)
    table = exports.matrix_table(_rows(request, session, choices), choices.hide)
    return _download(exports.to_csv([table]), "compare.csv", "text/csv; charset=utf-8")


@router.get("/compare.xlsx")
def compare_xlsx(request: Request, session: SessionDep, user: OverviewUser):
    choices = Choices(request)
    table = exports.matrix_table(_rows(request, session, choices), choices.hide)
    return _download(exports.to_xlsx([table]), "compare.xlsx", XLSX)


@router.get("/compare/trend")
def trend_page(request: Request, session: SessionDep, user: OverviewUser):
    choices = Choices(request)
    return render(
        request,
        "compare/trend.html",
        {
            "page_title": "How teams have changed over time",
            "choices": choices,
            "spreads": trend.trend(session, choices.where, choices.section),
            "codes": SECTION_CODES,
            "titles": queries.section_titles(session),
            **_filters(session),
        },
    )


@router.get("/compare/priorities")
def priorities_page(request: Request, session: SessionDep, user: OverviewUser):
    choices = Choices(request)
    return render(
        request,
        "compare/priorities.html",
        {
            "page_title": "Priorities teams share",
            "choices": choices,
            "priorities": trend.common_priorities(session, choices.where),
            **_filters(session),
        },
    )


@router.get("/compare/statements/{statement_id}.csv")
def statement_csv(statement_id: int, request: Request, session: SessionDep, user: OverviewUser):
    choices = Choices(request)
    view = statement_view.build_view(session, statement_id, choices.where)
    tables = exports.statement_tables(view, choices.hide)
    name = f"statement-{view.framework.key}-{view.statement.code}.csv"
    return _download(exports.to_csv(tables), name, "text/csv; charset=utf-8")


@router.get("/compare/statements/{statement_id}.xlsx")
def statement_xlsx(statement_id: int, request: Request, session: SessionDep, user: OverviewUser):
    choices = Choices(request)
    view = statement_view.build_view(session, statement_id, choices.where)
    tables = exports.statement_tables(view, choices.hide)
    name = f"statement-{view.framework.key}-{view.statement.code}.xlsx"
    return _download(exports.to_xlsx(tables), name, XLSX)


@router.get("/compare/statements/{statement_id}")
def statement_page(statement_id: int, request: Request, session: SessionDep, user: OverviewUser):
    choices = Choices(request)
    view = statement_view.build_view(session, statement_id, choices.where)
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
