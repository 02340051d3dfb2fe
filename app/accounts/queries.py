"""Accounts' read models: accounts for the admin pages, a team's people and their links,
the invitation behind a link, and the audit log's filters and pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, func, select

from app.core.dates import parse_date
from app.core.i18n import N_
from app.models import AuditEvent, Invitation, LoginSession, Team, TeamMember, User
from app.security.access import access_for
from app.security.tokens import hash_token

PAGE_SIZE = 50
LONDON = ZoneInfo("Europe/London")
ASK = N_("Ask your team's facilitator for a new link.")
LINK_PROBLEMS = {
    "unknown": f"This invitation link is not right. {ASK}",
    "used": f"This invitation link has already been used. {ASK}",
    "stopped": f"This invitation link has been replaced by a newer one. {ASK}",
    "expired": f"This invitation link has expired (links last 7 days). {ASK}",
    "left": f"This invitation link no longer works. {ASK}",
    "inactive": N_("This account has been switched off. Ask an administrator."),
}


# --- accounts -----------------------------------------------------------------------------


def accounts_list(session: Session, q: str) -> list[tuple[User, int | None, int | None]]:
    """Every account (or those whose username contains `q`) with its sign-in and team counts."""
    sessions = (
        select(LoginSession.user_id, func.count().label("n"))
        .group_by(LoginSession.user_id)
        .subquery()
    )
    teams = (
        select(TeamMember.user_id, func.count().label("n"))
        .where(TeamMember.left_at.is_(None), TeamMember.user_id.is_not(None))
        .group_by(TeamMember.user_id)
        .subquery()
    )
    query = (
        select(User, sessions.c.n, teams.c.n)
        .join(sessions, sessions.c.user_id == User.id, isouter=True)
        .join(teams, teams.c.user_id == User.id, isouter=True)
        .order_by(User.username)
    )
    if q:
        query = query.where(User.username.contains(q))
    return list(session.exec(query).all())


def memberships_of(session: Session, account: User) -> list[tuple[TeamMember, Team]]:
    """Every team the account is (or was) on."""
    return list(
        session.exec(
            select(TeamMember, Team)
            .join(Team, Team.id == TeamMember.team_id)
            .where(TeamMember.user_id == account.id)
            .order_by(Team.name)
        ).all()
    )


def count_sessions(session: Session, user_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(LoginSession).where(LoginSession.user_id == user_id)
    ).one()


# --- a team's people and their links --------------------------------------------------------


@dataclass
class PersonRow:
    member: TeamMember
    user: User | None
    open_invitation: Invitation | None

    @property
    def has_account(self) -> bool:
        return self.user is not None


def list_people(session: Session, team_id: int, *, now: datetime) -> list[PersonRow]:
    """Everyone on the list (people who have left last), with account and open invitation."""
    rows = session.exec(
        select(TeamMember, User)
        .join(User, User.id == TeamMember.user_id, isouter=True)
        .where(TeamMember.team_id == team_id)
        .order_by(TeamMember.left_at.is_not(None), TeamMember.display_name)
    ).all()
    invitations = open_invitations(session, team_id, now=now)
    return [PersonRow(m, u, invitations.get(m.id)) for m, u in rows]


def open_invitations(session: Session, team_id: int, *, now: datetime) -> dict[int, Invitation]:
    found = session.exec(
        select(Invitation).where(
            Invitation.team_id == team_id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
    ).all()
    return {i.team_member_id: i for i in found}


def get_person(session: Session, team_id: int, member_id: int) -> TeamMember | None:
    member = session.get(TeamMember, member_id)
    if member is None or member.team_id != team_id:
        return None
    return member


def invitations_of(session: Session, member: TeamMember) -> list[Invitation]:
    """Every link made for the person, newest first."""
    return list(
        session.exec(
            select(Invitation)
            .where(Invitation.team_member_id == member.id)
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        ).all()
    )


def reissue_refusal(session: Session, *, actor: User, member: TeamMember) -> str | None:
    """Why `actor` may not make a link for `member`, or None.

    A link for someone who already has an account sets a new password for it, so a
    facilitator may make one only for a plain account on teams they facilitate.
    """
    if member.left_at is not None:
        return N_("This person has left the team. Add them back before making a link.")
    if member.user_id is None or actor.role == "admin":
        return None
    user = session.get(User, member.user_id)
    if user is None:
        return None
    if not user.active:
        return N_("This person's account is switched off. Ask an administrator.")
    if user.role != "user":
        return N_("Only an administrator can make a new link for this person.")
    teams = session.exec(
        select(TeamMember.team_id).where(
            TeamMember.user_id == user.id, TeamMember.left_at.is_(None)
        )
    ).all()
    for team_id in teams:
        access = access_for(session, actor, team_id)
        if access is None or not access.is_facilitator:
            return (
                "Only an administrator can make a new link for this person, because they "
                "are on another team too."
            )
    return None


def status_of(invitation: Invitation, *, now: datetime) -> str:
    if invitation.used_at is not None:
        return "used"
    if invitation.revoked_at is not None:
        return "stopped"
    if invitation.expires_at <= now:
        return "expired"
    return "open"


@dataclass
class OpenInvitation:
    invitation: Invitation
    member: TeamMember
    team: Team
    user: User | None  # the account already attached to the person, if any


@dataclass
class LinkProblem:
    """Why a link cannot be used, in plain words: 404 unknown, 410 used, replaced, expired."""

    kind: str
    status: int

    @property
    def message(self) -> str:
        return LINK_PROBLEMS[self.kind]


def open_invitation(session: Session, token: str, *, now: datetime) -> OpenInvitation | LinkProblem:
    """The open invitation behind a link, or why it cannot be used."""
    invitation = session.exec(
        select(Invitation).where(Invitation.token_hash == hash_token(token))
    ).first()
    if invitation is None:
        return LinkProblem("unknown", 404)
    state = status_of(invitation, now=now)
    if state != "open":
        return LinkProblem(state, 410)
    member = session.get(TeamMember, invitation.team_member_id)
    team = session.get(Team, invitation.team_id)
    if member is None or team is None or member.left_at is not None:
        return LinkProblem("left", 410)
    user = session.get(User, member.user_id) if member.user_id else None
    if user is not None and not user.active:
        return LinkProblem("inactive", 410)
    return OpenInvitation(invitation, member, team, user)


# --- the audit log --------------------------------------------------------------------------


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
