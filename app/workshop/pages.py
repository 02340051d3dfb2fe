"""The participant's pages: join, welcome, each section, something to bring, thanks, the
finished page, and the one-tap save's tiny answer.

The show_… functions take FastAPI dependencies (app.forms.form_for reads their signatures),
so this module does without `from __future__ import annotations`.
"""

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.models import Participant, Rating, Round, Statement
from app.models.base import PERSPECTIVE_LABELS
from app.web import render, templates
from app.workshop import queries
from app.workshop.deps import ParticipantPage, PhoneRound, finished_page, participant_csrf
from app.workshop.forms import DONT_KNOW

SECTION = "workshop/section.html"
STATUS = "workshop/_status.html"
KIND_CHOICES = [
    ("talent", "A talent (something you are good at, like music or drawing)"),
    ("skill", "A skill (something you have learnt, like cooking or first aid)"),
    ("interest", "An interest (something you enjoy, like gardening or football)"),
    ("contact", "A contact (a group or person in the community you know)"),
    ("resource", "A resource (a place, equipment or something to lend)"),
]


def show_join(
    request: Request, *, values: dict | None = None, errors: dict | None = None, status: int = 200
) -> Response:
    context = {"page_title": "Join a workshop", "values": values or {}, "errors": errors or {}}
    return render(request, "workshop/join.html", context, status_code=status)


def show_welcome(
    request: Request,
    found: PhoneRound,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
) -> Response:
    """Choosing a perspective (the finished page once the round has closed)."""
    if not queries.joinable(found):
        return finished_page(request, found, took_part=False)
    context = {
        "page_title": "Join the workshop",
        "round": found,
        "perspectives": list(PERSPECTIVE_LABELS.items()),
        "values": values or {},
        "errors": errors or {},
    }
    return render(request, "workshop/welcome.html", context, status_code=status)


def _current(statements: list[Statement], ratings: dict[int, Rating], values: dict | None):
    """What each statement shows: the form just sent (after a problem) or the saved rating."""
    current = {}
    for statement in statements:
        sid = statement.id
        if values is not None:
            current[sid] = {
                "level": values.get(f"level-{sid}", ""),
                "matters_most": bool(values.get(f"matters_most-{sid}")),
                "comment": values.get(f"comment-{sid}", ""),
            }
            continue
        rating = ratings.get(sid)
        if rating is None:
            current[sid] = {"level": "", "matters_most": False, "comment": ""}
        else:
            level = DONT_KNOW if rating.level is None else str(rating.level)
            current[sid] = {
                "level": level,
                "matters_most": rating.matters_most,
                "comment": rating.comment or "",
            }
    return current


def show_section(
    request: Request,
    session: Session,
    found: Round,
    participant: Participant,
    number: int,
    *,
    values: dict | None = None,
    errors: dict[int, dict[str, str]] | None = None,
    status: int = 200,
    layout: queries.Layout | None = None,
) -> Response:
    layout = layout or queries.round_layout(session, found)
    section = layout.section(number)
    if section is None:
        raise HTTPException(404, "There is no such part of this workshop.")
    statements = layout.statements.get(section.id, [])
    ratings = queries.ratings_of(session, participant)
    context = {
        "page_title": f"{section.title} ({number} of {len(layout.sections)})",
        "round": found,
        "code": found.join_code,
        "participant": participant,
        "layout": layout,
        "section": section,
        "number": number,
        "statements": statements,
        "current": _current(statements, ratings, values),
        "errors": errors or {},
        "answered": len(ratings),
        "total": layout.total,
        "csrf_token": participant_csrf(request, found.join_code),
    }
    return render(request, SECTION, context, status_code=status)


def show_bring(
    request: Request,
    loaded: ParticipantPage,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
) -> Response:
    found, participant = loaded
    if values is None:
        values = {"alias": participant.alias or "", "happy_to_share": "yes"}
    context = {
        "page_title": "Is there something you could bring?",
        "round": found,
        "code": found.join_code,
        "kinds": KIND_CHOICES,
        "csrf_token": participant_csrf(request, found.join_code),
        "values": values,
        "errors": errors or {},
    }
    return render(request, "workshop/bring.html", context, status_code=status)


def show_thanks(request: Request, session: Session, found: Round, participant: Participant):
    context = {
        "page_title": "Thank you",
        "round": found,
        "code": found.join_code,
        "answered": queries.answered_count(session, participant),
        "total": queries.round_layout(session, found).total,
        "csrf_token": participant_csrf(request, found.join_code),
    }
    return render(request, "workshop/thanks.html", context)


def saved(answered: int, total: int) -> Response:
    """The hot path's answer: the small status fragment, rendered without a page context."""
    html = templates.get_template(STATUS).render(saved=True, answered=answered, total=total)
    return HTMLResponse(html, headers={"Vary": "HX-Request"})
