"""A participant's request: their cookie (a random token per round, scoped to /r/{code};
only its hash is stored), the round by its code, and the participant it names.

Posts from a participant carry a CSRF token derived from this cookie (app.security.csrf
accepts any trip_p_* cookie).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, Response
from fastapi.responses import RedirectResponse

from app.core.dates import now
from app.core.i18n import N_
from app.core.refused import Refused
from app.db import READ_ONLY, SessionDep
from app.forms import ShowPage
from app.models import Participant, Round
from app.security import ratelimit
from app.security.csrf import PARTICIPANT_COOKIE_PREFIX, token_for
from app.web import is_htmx, render
from app.workshop import queries

COOKIE_DAYS = 4


def cookie_name(code: str) -> str:
    return PARTICIPANT_COOKIE_PREFIX + code


def participant_token(request: Request, code: str) -> str | None:
    return request.cookies.get(cookie_name(code)) or None


def set_participant_cookie(request: Request, response: Response, code: str, token: str) -> None:
    response.set_cookie(
        cookie_name(code),
        token,
        max_age=COOKIE_DAYS * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.secure_cookies,
        path=f"/r/{code}",
    )


def participant_csrf(request: Request, code: str) -> str:
    """The CSRF token for a participant's page (falls back to the anonymous one)."""
    token = participant_token(request, code)
    if token:
        return token_for(request.app.state.settings.secret_key, token)
    return getattr(request.state, "csrf_token", "")


def finished_page(request: Request, found: Round, *, took_part: bool) -> Response:
    """What a finished workshop's pages answer instead (410): the loaders' answer, so here."""
    return render(
        request,
        "workshop/finished.html",
        {"page_title": "This workshop has finished", "round": found, "took_part": took_part},
        status_code=410,
    )


# --- wrong codes: one bucket per address --------------------------------------------------

HAS_FINISHED = N_("This workshop has finished.")  # all a closed code says (no title)
TOO_MANY = N_(
    "Too many codes that did not work have come from this network. Scan the QR code on the "
    "screen, or ask the facilitator for the code."
)


def _limit_key(request: Request) -> str:
    # One bucket per address for every wrong code: a key that included the guessed code
    # would give each guess a fresh bucket and let guessing go on without limit.
    return ratelimit.client_address(request)


def count_wrong_try(request: Request, session, *, field: str | None = None) -> None:
    """A try that led nowhere (an unknown, draft or closed code, or a post without the
    round's cookie) counts towards the address's limit, kept even though the request is
    refused (so committed here, before the refusal). Only failures are checked and counted:
    a right code is never refused. Over the limit, the refusal says what to do instead."""
    limit, key, at = ratelimit.JOIN_PER_ADDRESS, _limit_key(request), now(request)
    session.rollback()  # the reads so far may have been read-only (READ_ONLY): start afresh
    try:
        ratelimit.check(session, limit, key, now=at)
    except ratelimit.RateLimited as limited:
        session.rollback()
        if field:
            raise Refused(TOO_MANY, status=422, field=field) from None
        raise HTTPException(429, TOO_MANY, {"Retry-After": str(limited.retry_after)}) from None
    ratelimit.hit(session, limit, key, now=at)
    session.commit()


# --- loaders ------------------------------------------------------------------------------


def phone_round(request: Request, code: str, session: SessionDep) -> Round:
    """The phones round with the code in the address, open or finished (404 otherwise,
    counted as a wrong try)."""
    found = queries.round_by_code(session, code)
    if found is None:
        count_wrong_try(request, session)
        raise Refused(queries.NOT_FOUND, status=404)
    return found


PhoneRound = Annotated[Round, Depends(phone_round)]


def participant_page(request: Request, code: str, session: SessionDep) -> tuple[Round, Participant]:
    """For a participant's pages: the round they may rate and who they are. A finished
    round shows its thank-you page (410); a phone that has not joined goes to join. These
    pages only read, so on SQLite they do it without the write lock (40 phones load the
    room's statement at once when it moves)."""
    if not session.in_transaction():
        session.connection(execution_options=READ_ONLY)
    found = queries.round_by_code(session, code)
    if found is None:
        joined = queries.joined_round(session, code, participant_token(request, code))
        if joined is None:
            count_wrong_try(request, session)
        raise queries.why_not(session, code, joined)[1]
    participant = queries.find_participant(session, found, participant_token(request, code))
    if not queries.joinable(found):
        if participant is None:
            count_wrong_try(request, session)
        raise ShowPage(finished_page(request, found, took_part=participant is not None))
    if participant is None:
        raise ShowPage(RedirectResponse(f"/r/{found.join_code}", status_code=303))
    return found, participant


ParticipantPage = Annotated[tuple[Round, Participant], Depends(participant_page)]


def saving_participant(
    request: Request, code: str, session: SessionDep
) -> tuple[Round, Participant]:
    """For a participant's post: the round they may rate and who they are, or why not
    (404, 410 — without htmx the thank-you page — or 403), nothing saved."""
    pair = queries.participant_by_code(session, code, participant_token(request, code))
    if pair is not None:
        return pair
    raise refusal(request, session, code)


SavingParticipant = Annotated[tuple[Round, Participant], Depends(saving_participant)]


def refusal(request: Request, session, code: str) -> Exception:
    """Why a participant's post (or poll) finds nothing to save to, as the exception to
    raise. A failed try, counted towards the address's limit, unless the cookie names one of
    the round's participants: a phone that joined a round that has since finished or become
    a group round is not guessing, and a room polling together must not lock itself out."""
    joined = queries.joined_round(session, code, participant_token(request, code))
    found, refused = queries.why_not(session, code, joined)
    if joined is None:
        count_wrong_try(request, session)
    if refused.status == 410 and found is not None and not is_htmx(request):
        return ShowPage(finished_page(request, found, took_part=True))
    return refused
