"""Dates: the one "today" (Europe/London) and the one date-window check.

`today(source)` reads the app's clock (tests move it with the `clock` fixture): pass a
request, the app or a clock (a callable giving an aware datetime). The app's clock is
`app.state.clock`; the CLI's is `ctx.obj["clock"]` (both `system_clock` unless a test sets
another); passing nothing means the real time.

`check_date(value, earliest=..., latest=...)` answers a plain message when a date falls
outside the window a form accepts, else None. Every date a person types goes through it, so
no date reaches code that cannot represent it (9999-12-31 plus one day overflows; year 1 is
not a real plan date).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

# The widest window any form accepts (a form may narrow it): far enough either side for real
# records, and far from the ends Python and the databases can represent.
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)


def system_clock() -> datetime:
    """The real time: the clock of the app (`app.state.clock`) and of the CLI commands
    (`ctx.obj["clock"]`) unless a test gives them another."""
    return datetime.now(UTC)


def _clock_of(source: Any) -> Callable[[], datetime] | None:
    if source is None or (callable(source) and not hasattr(source, "state")):
        return source
    app = getattr(source, "app", source)  # a request carries its app
    return getattr(getattr(app, "state", None), "clock", None)


def now(source: Any = None) -> datetime:
    """The current moment, aware UTC, from the app's clock when it has one."""
    clock = _clock_of(source)
    moment = (clock or system_clock)()
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local_date(moment: datetime) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LONDON).date()


def today(source: Any = None) -> date:
    """Today's date in Europe/London: the only "today"."""
    return local_date(now(source))


def long_date(day: date) -> str:
    """1 January 2025."""
    return f"{day.day} {day.strftime('%B')} {day.year}"


def check_date(
    value: date | None,
    *,
    earliest: date = EARLIEST,
    latest: date = LATEST,
    field: str = "a date",
) -> str | None:
    """A plain message if `value` is outside [earliest, latest], else None (None passes)."""
    if value is None or earliest <= value <= latest:
        return None
    return f"Enter {field} between {long_date(earliest)} and {long_date(latest)}"


def parse_date(
    raw: str, *, earliest: date = EARLIEST, latest: date = LATEST, field: str = "a date"
) -> tuple[date | None, str | None]:
    """A typed date (YYYY-MM-DD) and a plain problem, for query strings and the like."""
    raw = raw.strip()
    if not raw:
        return None, None
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        return None, "Enter a real date, like 2026-11-23"
    problem = check_date(value, earliest=earliest, latest=latest, field=field)
    return (None, problem) if problem else (value, None)


def in_window(earliest: date = EARLIEST, latest: date = LATEST, field: str = "a date"):
    """A pydantic AfterValidator for a form's date field: the same check, as a ValueError."""

    def validate(value: date | None) -> date | None:
        problem = check_date(value, earliest=earliest, latest=latest, field=field)
        if problem:
            raise ValueError(problem)
        return value

    return validate
