"""Reading the audit log: filters and pages for the admin page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, func, select

from app.core.dates import parse_date
from app.models import AuditEvent, Team

PAGE_SIZE = 50
LONDON = ZoneInfo("Europe/London")


@dataclass
class AuditFilters:
    verb: str = ""
    user: str = ""
    team_id: int | None = None
    since: date | None = None
    until: date | None = None
    page: int = 1
    problems: dict[str, str] = field(default_factory=dict)

    def query_string(self, page: int) -> str:
        from urllib.parse import urlencode

        pairs = {
            "verb": self.verb,
            "user": self.user,
            "team_id": self.team_id or "",
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
            "page": page,
        }
        return urlencode({k: v for k, v in pairs.items() if v not in ("", None)})


def parse_filters(params) -> AuditFilters:
    """Filters from the query string; bad values are reported, not fatal."""
    f = AuditFilters(verb=params.get("verb", "")[:40], user=params.get("user", "").strip()[:80])
    team = params.get("team_id", "")
    if team.isascii() and team.isdigit() and len(team) < 10:  # int('²') fails
        f.team_id = int(team)
    for name in ("since", "until"):
        value, problem = parse_date(params.get(name, "")[:40])
        setattr(f, name, value)
        if problem:
            f.problems[name] = problem
    page = params.get("page", "1")
    f.page = max(1, int(page)) if page.isascii() and page.isdigit() and len(page) < 7 else 1
    return f


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON).astimezone(UTC)


def search(session: Session, f: AuditFilters) -> tuple[list[AuditEvent], int]:
    """One page of events, newest first, and how many match in all."""
    query = select(AuditEvent)
    if f.verb:
        query = query.where(AuditEvent.verb == f.verb)
    if f.user:
        query = query.where(func.lower(AuditEvent.actor) == f.user.lower())
    if f.team_id:
        query = query.where(AuditEvent.team_id == f.team_id)
    if f.since:
        query = query.where(AuditEvent.at >= _start_of(f.since))
    if f.until:
        query = query.where(AuditEvent.at < _start_of(f.until + timedelta(days=1)))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset((f.page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return list(rows), total


def verbs(session: Session) -> list[str]:
    return list(session.exec(select(AuditEvent.verb).distinct().order_by(AuditEvent.verb)).all())


def team_names(session: Session) -> dict[int, str]:
    return {t.id: t.name for t in session.exec(select(Team).order_by(Team.name)).all()}
