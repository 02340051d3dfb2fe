"""Join codes and the rounds they open, and the plain refusals a participant may meet."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from app.models import Round

COMMENT_MAX = 500
ALIAS_MAX = 40
DONT_KNOW = "dk"


class RatingRefused(Exception):
    """A save that must not be written: a status code and a plain message."""

    def __init__(self, status: int, message: str, field: str = "level") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


NOT_FOUND = "We could not find an open workshop with that code. Check the code on the screen."
FINISHED = "This workshop has finished, so answers can no longer be changed. Thank you."
NOT_IN_ROUND = "That statement is not part of this workshop."
BAD_LEVEL = "Choose one of the answers shown."
LONG_COMMENT = f"Your comment must be {COMMENT_MAX} characters or fewer."
NO_ANSWER = "Choose an answer first, then your comment or mark can be saved."


# --- codes and rounds -------------------------------------------------------------------


def normalise_code(raw: str) -> str:
    """What people type: any case, spaces or dashes; the code itself is 6 letters/digits."""
    return re.sub(r"[\s\-]+", "", raw or "").upper()


def find_round_by_code(session: Session, code: str) -> Round | None:
    """The round with this join code, whatever its status (codes are never reused)."""
    code = normalise_code(code)
    if not code or len(code) > 6:
        return None
    return session.exec(select(Round).where(Round.join_code == code)).first()


def find_open_round(session: Session, code: str) -> Round | None:
    """A round people may join: only while its status is "open"."""
    found = find_round_by_code(session, code)
    return found if found is not None and found.status == "open" else None
