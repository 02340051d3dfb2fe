"""Rating: one statement at a time (the one-tap save, htmx) and section by section."""

from __future__ import annotations

from fastapi import HTTPException, Request
from sqlmodel import Session

from app.core import i18n
from app.core.refused import Refused
from app.db import SessionDep
from app.forms import submitted_form
from app.web import is_htmx, redirect
from app.workshop import queries, service
from app.workshop.deps import ParticipantPage, SavingParticipant, participant_token, refusal
from app.workshop.forms import Answer, one_answer
from app.workshop.pages.phone import saved, show_section, show_statement
from app.workshop.routes import router


@router.post("/r/{code}/ratings/{statement_id}")
def save_rating(request: Request, code: str, statement_id: int):
    """Save one statement. With htmx: a small "Saved" fragment; without: back to the page.

    The fast path is one INSERT … SELECT guarded by the cookie's token and the round being
    one people may rate; only when it writes nothing are the reasons looked up, to say which
    in plain words. The session is opened here rather than by SessionDep: two fewer trips to
    the threadpool on the one request a workshop makes most.
    """
    form = submitted_form(request)
    with Session(request.app.state.engine) as session:
        request.state.db = session  # render() and redirect() end its transaction first
        return _save_rating(request, code, statement_id, form, session)


def _save_rating(request: Request, code: str, statement_id: int, form, session: Session):
    values, answer = one_answer(form, statement_id)
    if isinstance(answer, Refused):
        return _not_saved(request, session, code, statement_id, values, answer)
    token = participant_token(request, code)
    answered = facts = None
    if token:
        facts = queries.open_round_facts(session, code, facts_cache(request))
    if facts is not None:
        problem = service.answer_refusal(facts, answer)
        if problem is not None:
            return _not_saved(request, session, code, statement_id, values, problem)
        answered = service.save_by_token(session, code=code, token=token, answer=answer)
    if answered is None:
        answered, facts = _save_the_careful_way(request, session, code, statement_id, answer)
    if not is_htmx(request):
        number = queries.round_layout(session, _round(session, code)).statement_number(statement_id)
        return redirect(request, f"/r/{code}/statements/{number or 1}")
    return saved(answered, facts.total, request.cookies.get(i18n.COOKIE))


def _save_the_careful_way(request, session, code: str, statement_id: int, answer: Answer):
    """Find out why the fast path wrote nothing (403/404/410, nothing saved); if in fact all
    is well (the round opened a moment ago), save with the full checks."""
    session.rollback()
    pair = queries.participant_by_code(session, code, participant_token(request, code))
    if pair is None:
        raise refusal(request, session, code)
    found, participant = pair
    facts = queries.framework_facts(session, found.framework_id, facts_cache(request))
    service.save_answers(session, participant=participant, round=found, answers=[answer])
    answered = queries.answered_count(session, participant)
    session.commit()
    return answered, facts


def _not_saved(request, session, code, statement_id, values, refused: Refused):
    """A refused single save: without htmx a 422 shows the statement again with the problem;
    otherwise the refusal (a small block for htmx)."""
    if refused.status == 422 and not is_htmx(request):
        pair = queries.participant_by_code(session, code, participant_token(request, code))
        if pair is None:
            raise refusal(request, session, code)
        found, participant = pair
        layout = queries.round_layout(session, found)
        number = layout.statement_number(statement_id)
        if number:
            errors = {statement_id: {refused.field or "level": refused.message}}
            kept = {f"{k}-{statement_id}": v for k, v in values.items()}
            return show_statement(
                request, session, found, participant, number, values=kept, errors=errors,
                status=422, layout=layout,
            )  # fmt: skip
    raise refused


def _round(session: Session, code: str):
    found = queries.round_by_code(session, code)
    if found is None:
        raise Refused(queries.NOT_FOUND, status=404)
    return found


def facts_cache(request: Request) -> dict:
    cache = getattr(request.app.state, "framework_facts", None)
    if cache is None:
        cache = {}
        request.app.state.framework_facts = cache
    return cache


# --- section by section --------------------------------------------------------------------


@router.get("/r/{code}/sections/{number}")
def rate_section(request: Request, number: int, session: SessionDep, loaded: ParticipantPage):
    """A part's overview (each statement has its own screen)."""
    found, participant = loaded
    return show_section(request, session, found, participant, number)


@router.post("/r/{code}/sections/{number}")
def save_section(
    request: Request, code: str, number: int, session: SessionDep, loaded: SavingParticipant
):
    """Save a whole part's answers at once (an older page's form), then move on."""
    values = submitted_form(request)
    found, participant = loaded
    layout = queries.round_layout(session, found)
    section = layout.section(number)
    if section is None:
        raise HTTPException(404, "There is no such part of this workshop.")
    problems = service.save_section(
        session,
        participant=participant,
        round=found,
        statements=layout.statements.get(section.id, []),
        form=values,
    )
    if problems:
        session.rollback()
        sid = next(iter(problems))
        return show_statement(
            request, session, found, participant, layout.statement_number(sid),
            values=values, errors=problems, status=422, layout=layout,
        )  # fmt: skip
    if values.get("go") == "back":
        target = f"/r/{code}/sections/{max(number - 1, 1)}"
    elif number < len(layout.sections):
        target = f"/r/{code}/sections/{number + 1}"
    else:
        target = f"/r/{code}/bring"
    return redirect(request, target)
