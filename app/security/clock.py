"""The app's clock: tests replace `app.state.clock` to move time."""

from __future__ import annotations

from datetime import datetime

from fastapi import Request

from app.models.base import utcnow


def now(request: Request | None = None) -> datetime:
    if request is not None:
        clock = getattr(request.app.state, "clock", None)
        if clock is not None:
            return clock()
    return utcnow()
