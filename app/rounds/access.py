"""Loading a round for a request, with who may do what to it."""

from __future__ import annotations

import functools
import inspect

from fastapi import HTTPException
from sqlmodel import Session

from app.models import Round, User
from app.security.access import TeamAccess, require_access


def load_round(session: Session, user: User | None, round_id: int) -> tuple[Round, TeamAccess]:
    """The round and the viewer's access to its team (404 if they may not see the team)."""
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise HTTPException(404)
    return round_, require_access(session, user, round_.team_id)


def facilitated_round(
    session: Session, user: User | None, round_id: int
) -> tuple[Round, TeamAccess]:
    """Only the team's facilitators (and admins) run a round."""
    round_, access = load_round(session, user, round_id)
    access.require_facilitator()
    return round_, access


def results_round(session: Session, user: User | None, round_id: int) -> tuple[Round, TeamAccess]:
    """Closed: everyone who may see the team. Open or not started: its facilitators only."""
    round_, access = load_round(session, user, round_id)
    if round_.status != "closed" and not access.is_facilitator:
        raise HTTPException(
            403,
            "The results are shown to everyone once the round closes. While it is open, only "
            "its facilitators can see them.",
        )
    return round_, access


def ends_transaction(endpoint):
    """Close the request's session inside the endpoint (same thread), once the response is
    built. On SQLite every transaction holds the write lock from its first query; if it
    stayed open until FastAPI's teardown, a second request (the 2 s poll, the redirect)
    whose sign-in check waits for that lock on the event loop would stop the teardown from
    ever running until the wait times out."""
    if inspect.iscoroutinefunction(endpoint):

        @functools.wraps(endpoint)
        async def async_wrapper(*args, **kwargs):
            try:
                return await endpoint(*args, **kwargs)
            finally:
                kwargs["session"].close()

        return async_wrapper

    @functools.wraps(endpoint)
    def wrapper(*args, **kwargs):
        try:
            return endpoint(*args, **kwargs)
        finally:
            kwargs["session"].close()

    return wrapper
