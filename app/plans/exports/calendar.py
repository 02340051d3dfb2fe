"""A personal calendar feed (RFC 5545): its events written as iCalendar lines."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.core.i18n import N_, gettext_in
from app.plans.queries.calendar import Event


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Lines of at most 75 octets; continuation lines start with one space."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > limit:
            parts.append(current.decode())
            current, limit = b"", 74
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def ical_date(day: date) -> str:
    # not strftime: it writes year 1 as "1", and RFC 5545 wants four digits
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _event(uid: str, day: date, summary: str, description: str, stamp: str) -> list[str]:
    # a DATE start with no DTEND lasts the day (RFC 5545 3.6.1): the way to write the last
    # representable day, whose next day does not exist
    end = [f"DTEND;VALUE=DATE:{ical_date(day + timedelta(days=1))}"] if day < date.max else []
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{ical_date(day)}",
        *end,
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(description)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


CALENDAR_NAME = N_("My TRIP actions and reviews")


def calendar_for(events: list[Event], *, host: str, now: datetime, language: str = "en") -> str:
    """The feed, named in its reader's language (the events are written in it already)."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//TRIP benchmarking//Plans//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(gettext_in(language, CALENDAR_NAME))}",
    ]
    for event in events:
        lines += _event(f"{event.uid}@{host}", event.day, event.summary, event.description, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
