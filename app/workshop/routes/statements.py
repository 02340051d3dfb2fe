"""One statement per phone screen, and a led round's room: where it is, and the poll."""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.core import i18n
from app.core.codes import normalise_code
from app.core.refused import Refused
from app.db import READ_ONLY, SessionDep
from app.forms import submitted_form
from app.web import is_htmx, redirect, render
from app.workshop import queries, service
from app.workshop.deps import ParticipantPage, SavingParticipant, participant_token, refusal
from app.workshop.forms import parse_answer
from app.workshop.pages.phone import room_fragment, show_statement
from app.workshop.pages.words import glossary_context, words_for
from app.workshop.routes import router
from app.workshop.routes.rating import facts_cache


@router.get("/r/{code}/statements/{number}")
def statement_page(request: Request, number: int, session: SessionDep, loaded: ParticipantPage):
    found, participant = loaded
    return show_statement(request, session, found, participant, number)


@router.get("/r/{code}/words")
def glossary(
    request: Request, session: SessionDep, loaded: ParticipantPage, part: int = 0, at: int = 0
):
    """Easy Read's short glossary ("recovery", "medication", "service"…), reached from the
    statement screen; a link back to where the participant was."""
    found, participant = loaded
    layout = queries.round_layout(session, found)
    words = words_for(session, layout.framework, easy_read=True)
    code = found.join_code
    if layout.place(at) is not None:
        back = f"/r/{code}/statements/{at}"
    elif layout.section(part) is not None:
        back = f"/r/{code}/sections/{part}"
    else:
        back = f"/r/{code}"
    return render(request, "workshop/words.html", glossary_context(words, code, back))


@router.post("/r/{code}/statements/{number}")
def save_statement(
    request: Request, code: str, number: int, session: SessionDep, loaded: SavingParticipant
):
    """Save and continue (or Back) without JavaScript: save this statement, then move."""
    values = submitted_form(request)
    found, participant = loaded
    layout = queries.round_layout(session, found)
    place = layout.place(number)
    if place is None:
        raise HTTPException(404, "There is no such statement in this workshop.")
    sid = place[0].id
    try:
        answer = parse_answer(
            sid,
            values.get(f"level-{sid}"),
            values.get(f"matters_most-{sid}"),
            values.get(f"comment-{sid}"),
        )
        if answer is not None:
            facts = queries.framework_facts(session, found.framework_id)
            problem = service.answer_refusal(facts, answer)
            if problem is not None:
                raise problem
            service.save_answers(session, participant=participant, round=found, answers=[answer])
    except Refused as refused:
        if refused.status != 422:
            raise
        session.rollback()
        errors = {sid: {refused.field or "level": refused.message}}
        return show_statement(
            request, session, found, participant, number, values=values, errors=errors,
            status=422, layout=layout,
        )  # fmt: skip
    if values.get("go") == "back":
        target = f"/r/{code}/statements/{max(number - 1, 1)}"
    elif number < layout.total:
        target = f"/r/{code}/statements/{number + 1}"
    else:
        target = f"/r/{code}/bring"
    return redirect(request, target)


@router.get("/r/{code}/room")
def room(request: Request, code: str, v: int | None = None, at: int = 0):
    """A led round's room. With htmx and the page's version (`?v=N`): 204 No Content when
    nothing changed (one indexed query, nothing else), else the poller and banner. Without:
    "Back to the room" — a redirect to the statement the room is on."""
    with Session(request.app.state.engine) as session:
        request.state.db = session
        session.connection(execution_options=READ_ONLY)  # on SQLite: no write lock to read
        room = queries.room_for_phone(session, code, participant_token(request, code))
        if room is None or room.status != queries.OPEN or room.mode not in queries.PHONE_MODES:
            session.rollback()
            raise refusal(request, session, code)
        polled = v is not None and is_htmx(request)
        if polled and v == room.version:
            return Response(status_code=204, headers={"Vary": "HX-Request"})
        order = queries.statement_order(session, room.framework_id, facts_cache(request))
        number = order.index(room.statement_id) + 1 if room.statement_id in order else 1
        session.rollback()
    code = normalise_code(code) or code
    if polled:
        return room_fragment(code, room.version, number, at, request.cookies.get(i18n.COOKIE))
    return RedirectResponse(f"/r/{code}/statements/{number}", status_code=303)
