"""The participant's pages: join, welcome, each section, something to bring, thanks, the
finished page, and the one-tap save's tiny answer.

The show_… functions take FastAPI dependencies (app.forms.form_for reads their signatures),
so this module does without `from __future__ import annotations`.
"""

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.core import i18n
from app.core.i18n import N_
from app.models import Participant, Rating, Round, Statement
from app.models.base import PERSPECTIVE_LABELS
from app.web import language_of, render, templates
from app.workshop import queries
from app.workshop.deps import ParticipantPage, PhoneRound, finished_page, participant_csrf
from app.workshop.forms import DONT_KNOW
from app.workshop.pages.words import words_for

SECTION = "workshop/section.html"
STATEMENT = "workshop/statement.html"
ROOM = "workshop/_room.html"
STATUS = "workshop/_status.html"
KIND_CHOICES = [
    ("talent", N_("A talent (something you are good at, like music or drawing)")),
    ("skill", N_("A skill (something you have learnt, like cooking or first aid)")),
    ("interest", N_("An interest (something you enjoy, like gardening or football)")),
    ("contact", N_("A contact (a group or person in the community you know)")),
    ("resource", N_("A resource (a place, equipment or something to lend)")),
]


def show_join(
    request: Request, *, values: dict | None = None, errors: dict | None = None, status: int = 200
) -> Response:
    context = {"page_title": N_("Join a workshop"), "values": values or {}, "errors": errors or {}}
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
        "page_title": N_("Join the workshop"),
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
    layout: queries.Layout | None = None,
) -> Response:
    """A part's overview: its statements, which are answered, a link to each."""
    layout = layout or queries.round_layout(session, found)
    section = layout.section(number)
    if section is None:
        raise HTTPException(404, "There is no such part of this workshop.")
    ratings = queries.ratings_of(session, participant)
    first = sum(len(layout.statements.get(s.id, [])) for s in layout.sections[: number - 1])
    words = words_for(session, layout.framework, participant.easy_read, language_of(request))
    items = [
        (first + n, words.statement(statement)[0], statement.id in ratings)
        for n, statement in enumerate(layout.statements.get(section.id, []), start=1)
    ]
    title, intro = words.section(section)
    context = {
        "page_title": f"{title} (part {number} of {len(layout.sections)})",
        "words": words,
        "title": title,
        "intro": intro,
        "round": found,
        "code": found.join_code,
        "layout": layout,
        "section": section,
        "number": number,
        "items": items,
        "answered": len(ratings),
        "total": layout.total,
    }
    return render(request, SECTION, context)


def show_statement(
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
    """One statement on one phone screen, with the room's banner in a led round."""
    layout = layout or queries.round_layout(session, found)
    place = layout.place(number)
    if place is None:
        raise HTTPException(404, "There is no such statement in this workshop.")
    statement, section, section_number = place
    ratings = queries.ratings_of(session, participant)
    words = words_for(session, layout.framework, participant.easy_read, language_of(request))
    text, hint = words.statement(statement)
    led = found.mode == "led"
    room_number = layout.statement_number(found.current_statement_id) or 1
    code = found.join_code
    total = layout.total
    context = {
        "page_title": f"Statement {number} of {total}",
        "round": found,
        "code": code,
        "participant": participant,
        "layout": layout,
        "section": section,
        "section_number": section_number,
        "number": number,
        "statement": statement,
        "words": words,
        "text": text,
        "hint": hint,
        "section_title": words.section(section)[0],
        "now": _current([statement], ratings, values)[statement.id],
        "problem": (errors or {}).get(statement.id, {}),
        "answered": len(ratings),
        "total": total,
        "max_seq": queries.max_seq(ratings),
        "led": led,
        "room": _room_context(
            code, queries.phone_version(found.current_statement_id), room_number, number
        ),
        "next_url": f"/r/{code}/statements/{number + 1}" if number < total else f"/r/{code}/bring",
        "back_url": f"/r/{code}/statements/{number - 1}" if number > 1 else None,
        "csrf_token": participant_csrf(request, code),
    }
    return render(request, STATEMENT, context, status_code=status)


def _room_context(code: str, version: int, room_number: int, at: int) -> dict:
    return {
        "code": code,
        "version": version,
        "number": room_number,
        "at": at,
        "url": f"/r/{code}/statements/{room_number}",
    }


def room_fragment(
    code: str, version: int, room_number: int, at: int, language: str | None = None
) -> Response:
    """A led round's poll when the room has changed: the poller with the new version, and
    the banner (empty when the phone is on the room's statement)."""
    room = _room_context(code, version, room_number, at)
    i18n.use_language(language)
    html = templates.get_template(ROOM).render(room=room, oob=True)
    return HTMLResponse(html, headers={"Vary": "HX-Request", "Cache-Control": "no-store"})


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
        "page_title": N_("Is there something you could bring?"),
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
        "page_title": N_("Thank you"),
        "round": found,
        "code": found.join_code,
        "answered": queries.answered_count(session, participant),
        "total": queries.round_layout(session, found).total,
        "csrf_token": participant_csrf(request, found.join_code),
    }
    return render(request, "workshop/thanks.html", context)


_SAVED: dict[str, str] = {}  # language → the status fragment with the two numbers to fill


def saved(answered: int, total: int, language: str | None = None) -> Response:
    """The hot path's answer: the small status fragment, in the phone's language (its
    cookie's value, passed in: nothing more is looked up). Rendered once per language per
    process, then only the two numbers are filled in (a change to _status.html needs a
    restart)."""
    chosen = i18n.use_language(language)
    html = _SAVED.get(chosen)
    if html is None:
        html = templates.get_template(STATUS).render(saved=True, answered="\0A", total="\0T")
        _SAVED[chosen] = html
    html = html.replace("\0A", str(int(answered))).replace("\0T", str(int(total)))
    return HTMLResponse(html, headers={"Vary": "HX-Request"})
