"""Paper rating sheets: the printable sheet and the form that types one in.

The show_… functions take FastAPI dependencies (app.forms.form_for reads their signatures),
so this module does without `from __future__ import annotations`.
"""

from fastapi import Request
from fastapi.responses import Response

from app.core.i18n import N_
from app.db import SessionDep
from app.frameworks.queries import statement_texts
from app.rounds.deps import FacilitatedRound
from app.rounds.pages.common import common, level_options, page_title
from app.rounds.queries.paper import entered_sheet_numbers
from app.rounds.queries.rounds import sections_for_round
from app.web import render

PAPER = "rounds/paper.html"
SHEETS_DEFAULT = 10  # sheets printed at once unless asked for more
SHEETS_MAX = 60
EASY_READ = "easy_read"
WELSH = "cy"
PICTURES = "/static/easy-read/"


def paper_words(session, round_, framework, text: str) -> dict:
    """The words printed on the sheets: the framework's, its Welsh (`cy`), or its Easy Read
    text with the pictures (`easy_read`; English where a piece is missing). Typed-in sheets
    count the same whichever: the boxes are the same statements."""
    if text not in (EASY_READ, WELSH):
        scale = sorted(framework.scale, key=lambda item: item["level"])
        return {
            "easy_read": False,
            "welsh": False,
            "scale": [dict(item, picture=None) for item in scale],
            "dont_know": framework.dont_know_label,
            "statements": {},
            "sections": {},
            "glossary": [],
        }
    texts = statement_texts(session, round_.framework_id, text)
    easy_read = text == EASY_READ
    return {
        "easy_read": easy_read,
        "welsh": text == WELSH,
        "scale": [
            {"level": level, "label": label, "description": description,
             "picture": f"{PICTURES}level-{level}.svg" if easy_read else None}
            for level, (label, description) in sorted(texts.scale.items())
        ],
        "dont_know": texts.dont_know,
        "statements": texts.statements,
        "sections": texts.sections,
        "glossary": texts.glossary if easy_read else [],
    }  # fmt: skip


def sheet_range(request: Request) -> tuple[int, int]:
    """The sheet numbers to print (?first=&last=): 1 to 10 unless asked, at most 60."""

    def number(name: str, default: int) -> int:
        raw = request.query_params.get(name, "")
        return int(raw) if raw.isdigit() and 1 <= int(raw) <= 9999 else default

    first = number("first", 1)
    last = number("last", first + SHEETS_DEFAULT - 1)
    if last < first:
        last = first
    return first, min(last, first + SHEETS_MAX - 1, 9999)


def show_paper(
    request: Request,
    session: SessionDep,
    loaded: FacilitatedRound,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
) -> Response:
    round_ = loaded.round
    context = common(session, round_, loaded.team)
    values = dict(values or {})
    values.pop("csrf_token", None)
    first, last = sheet_range(request)
    text = request.query_params.get("text", "")
    context.update(
        page_title=page_title(request, N_("Paper rating sheets – %(title)s"), title=round_.title),
        sheet_numbers=range(first, last + 1),
        sheets_max=SHEETS_MAX,
        entered=entered_sheet_numbers(session, round_.id),
        access=loaded.access,
        sections=sections_for_round(session, round_),
        level_options=level_options(context["framework"]),
        values=values,
        errors=errors or {},
        words=paper_words(session, round_, context["framework"], text),
    )
    return render(request, PAPER, context, status_code=status)
