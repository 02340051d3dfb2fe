"""The participant cookie: a random token per round, scoped to /r/{code}.

Only the token's hash is stored (Participant.token_hash). Posts from a participant carry a
CSRF token derived from this cookie (app.security.csrf accepts any trip_p_* cookie).
"""

from __future__ import annotations

from fastapi import Request, Response

from app.security.csrf import PARTICIPANT_COOKIE_PREFIX, token_for

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
