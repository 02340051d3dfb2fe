"""Rating section by section, and saving one statement at a time (htmx)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from app.db import SessionDep
from app.forms import submitted_form
from app.models import Participant, Rating, Round, Statement
from app.web import is_htmx, redirect, render, templates
from app.workshop import service
from app.workshop.identity import participant_csrf, participant_token

router = APIRouter()

SECTION = "workshop/section.html"
STATUS = "workshop/_status.html"
NO_COOKIE = (
    "We could not tell that this phone has joined this workshop. "
    "Open the workshop again with the code on the screen."
)


def finished_page(request: Request, found: Round, *, took_part: bool) -> Response:
    return render(
        request,
        "workshop/finished.html",
        {"page_title": "This workshop has finished", "round": found, "took_part": took_part},
        status_code=410,
    )


def load_participant(
    request: Request, session: Session, code: str
) -> tuple[Round, Participant] | Response:
    """For participant pages: the round and participant, or the page to show instead."""
    found = service.find_round_by_code(session, code)
    if found is None or found.status == "draft":
        raise HTTPException(404, service.NOT_FOUND)
    participant = service.find_participant(session, found, participant_token(request, code))
    if found.status != "open":
        service.release(session)
        return finished_page(request, found, took_part=participant is not None)
    if participant is None:
        return RedirectResponse(f"/r/{found.join_code}", status_code=303)
    return found, participant


def first_unfinished(session: Session, layout: service.Layout, participant: Participant) -> int:
    """The number of the first section with an unanswered statement (0 when all done)."""
    done = set(service.ratings_of(session, participant))
    for number, section in enumerate(layout.sections, start=1):
        if any(s.id not in done for s in layout.statements.get(section.id, [])):
            return number
    return 0


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
            level = service.DONT_KNOW if rating.level is None else str(rating.level)
            current[sid] = {
                "level": level,
                "matters_most": rating.matters_most,
                "comment": rating.comment or "",
            }
    return current


def section_page(
    request: Request,
    session: Session,
    found: Round,
    participant: Participant,
    number: int,
    *,
    values: dict | None = None,
    errors: dict[int, dict[str, str]] | None = None,
    status_code: int = 200,
) -> Response:
    layout = service.round_layout(session, found)
    section = layout.section(number)
    if section is None:
        raise HTTPException(404, "There is no such part of this workshop.")
    statements = layout.statements.get(section.id, [])
    ratings = service.ratings_of(session, participant)
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
    service.release(session)
    return render(request, SECTION, context, status_code=status_code)


@router.get("/r/{code}/sections/{number}")
def rate_section(request: Request, code: str, number: int, session: SessionDep):
    loaded = load_participant(request, session, code)
    if isinstance(loaded, Response):
        return loaded
    found, participant = loaded
    return section_page(request, session, found, participant, number)


@router.post("/r/{code}/sections/{number}")
def save_section(request: Request, code: str, number: int, session: SessionDep):
    """Save and continue (or Back): re-save every answer on the section, then move on."""
    values = submitted_form(request)
    loaded = _load_for_save(request, session, code)
    if isinstance(loaded, Response):
        return loaded
    found, participant = loaded
    layout = service.round_layout(session, found)
    section = layout.section(number)
    if section is None:
        raise HTTPException(404, "There is no such part of this workshop.")
    try:
        problems = service.save_section(
            session,
            participant=participant,
            round=found,
            statements=layout.statements.get(section.id, []),
            form=values,
        )
    except service.RatingRefused as refused:
        session.rollback()
        return _refused(request, found, refused)
    if problems:
        session.rollback()
        return section_page(
            request,
            session,
            found,
            participant,
            number,
            values=values,
            errors=problems,
            status_code=422,
        )
    if values.get("go") == "back":
        target = f"/r/{code}/sections/{number - 1}" if number > 1 else f"/r/{code}/sections/1"
    elif number < len(layout.sections):
        target = f"/r/{code}/sections/{number + 1}"
    else:
        target = f"/r/{code}/bring"
    return redirect(request, target)


def _load_for_save(request: Request, session: Session, code: str):
    """Round and participant for a post, or a refusal with a plain message (nothing saved)."""
    pair = service.find_by_code_and_token(session, code, participant_token(request, code))
    if pair is not None:
        return pair
    found = service.find_round_by_code(session, code)
    if found is None or found.status == "draft":
        return _refused(request, found, service.RatingRefused(404, service.NOT_FOUND))
    if found.status == "closed":
        return _refused(request, found, service.RatingRefused(410, service.FINISHED))
    return _refused(request, found, service.RatingRefused(403, NO_COOKIE))


def _refused(request: Request, found: Round | None, refused: service.RatingRefused) -> Response:
    if is_htmx(request):
        context = {"saved": False, "message": refused.message}
        return render(request, STATUS, context, status_code=refused.status)
    if refused.status == 410 and found is not None:
        return finished_page(request, found, took_part=True)
    raise HTTPException(refused.status, refused.message)


@router.post("/r/{code}/ratings/{statement_id}")
def save_rating(request: Request, code: str, statement_id: int):
    """Save one statement. With htmx: a small "Saved" fragment; without: back to the page.

    The fast path is one INSERT … SELECT guarded by the cookie's token and the round being
    open; only when it writes nothing are the reasons looked up, to say which in plain words.
    The session is opened here rather than by SessionDep: two fewer trips to the threadpool
    on the one request a workshop makes most.
    """
    form = submitted_form(request)
    with Session(request.app.state.engine) as session:
        return _save_rating(request, code, statement_id, form, session)


def _save_rating(request: Request, code: str, statement_id: int, form, session: Session):
    values = _plain(form, statement_id)
    token = participant_token(request, code)
    try:
        answer = service.parse_answer(
            statement_id, values.get("level"), values.get("matters_most"), values.get("comment")
        )
        if answer is None:
            raise service.RatingRefused(422, "Choose an answer to save it.")
        answered = facts = None
        if token:
            facts = service.open_round_facts(session, code, _facts_cache(request))
        if facts is not None:
            service.check_answer(facts, answer)
            answered = service.save_by_token(session, code=code, token=token, answer=answer)
        if answered is None:
            answered, facts = _save_the_careful_way(request, session, code, answer)
    except service.RatingRefused as refused:
        session.rollback()
        return _refuse_rating(request, session, code, statement_id, values, refused)
    except _Refusal as refusal:
        return refusal.response
    if not is_htmx(request):
        number = _section_number(session, code, statement_id) or 1
        return redirect(request, f"/r/{code}/sections/{number}#statement-{statement_id}")
    return _saved(answered, facts.total)


def _saved(answered: int, total: int) -> Response:
    """The hot path's answer: the small status fragment, rendered without a page context."""
    html = templates.get_template(STATUS).render(saved=True, answered=answered, total=total)
    return HTMLResponse(html, headers={"Vary": "HX-Request"})


class _Refusal(Exception):
    def __init__(self, response: Response) -> None:
        super().__init__("refused")
        self.response = response


def _save_the_careful_way(request, session, code: str, answer: service.Answer):
    """Find out why the fast path wrote nothing (403/404/410 → _Refusal); if in fact all is
    well (the round opened a moment ago), save with the full checks."""
    session.rollback()
    loaded = _load_for_save(request, session, code)
    if isinstance(loaded, Response):
        raise _Refusal(loaded)
    found, participant = loaded
    facts = service.framework_facts(session, found.framework_id, _facts_cache(request))
    service.save_answers(
        session,
        participant=participant,
        round=found,
        answers=[answer],
        facts=facts,
        commit=False,
    )
    answered = service.answered_count(session, participant)
    session.commit()
    return answered, facts


def _refuse_rating(request, session, code, statement_id, values, refused) -> Response:
    """A refused single save: without htmx a 422 re-renders the section with the problem."""
    if refused.status == 422 and not is_htmx(request):
        loaded = _load_for_save(request, session, code)
        if isinstance(loaded, Response):
            return loaded
        found, participant = loaded
        number = _section_number(session, code, statement_id)
        if number:
            errors = {statement_id: {refused.field: refused.message}}
            kept = {f"{k}-{statement_id}": v for k, v in values.items()}
            return section_page(
                request,
                session,
                found,
                participant,
                number,
                values=kept,
                errors=errors,
                status_code=422,
            )
    return _refused(request, None, refused)


def _facts_cache(request: Request) -> dict:
    cache = getattr(request.app.state, "framework_facts", None)
    if cache is None:
        cache = {}
        request.app.state.framework_facts = cache
    return cache


def _plain(form, statement_id: int) -> dict[str, str]:
    out = {}
    for name in ("level", "matters_most", "comment"):
        value = form.get(f"{name}-{statement_id}", form.get(name))
        if isinstance(value, str):
            out[name] = value
    return out


def _section_number(session: Session, code: str, statement_id: int) -> int:
    found = service.find_round_by_code(session, code)
    if found is None:
        return 0
    layout = service.round_layout(session, found)
    for number, section in enumerate(layout.sections, start=1):
        if any(s.id == statement_id for s in layout.statements.get(section.id, [])):
            return number
    return 0
