"""The access matrix's world and visitors (helpers only; pytest collects no tests here):
team A and team B with B's records of every kind, every route of the app with its path
filled from that world, and a visitor signed in as each kind of person. Used by
tests/test_access_matrix.py and tests/test_html_valid.py."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest
from fastapi.routing import iter_route_contexts
from sqlalchemy import select as sa_select
from sqlmodel import Session
from starlette.routing import Mount

from app.models import (
    Action,
    ActionHelper,
    ActionUpdate,
    AgreedRating,
    ApiToken,
    Asset,
    Celebration,
    Invitation,
    Participant,
    Plan,
    Priority,
    PriorityHelper,
    PriorityStatement,
    Rating,
    Review,
    Section,
    Service,
    Statement,
    StatementSummary,
    Team,
    TeamMember,
    User,
    metadata,
)
from app.security.csrf import token_for
from app.security.sessions import cookie_name, start_session
from app.security.tokens import hash_token
from tests.conftest import SECRET, START
from tests.factories import make_member, make_round, make_user, small_framework

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SKIPPED_PREFIXES = ("/static", "/docs", "/redoc", "/openapi")
# Path parameters that name one of a team's records: outsiders must be refused there.
TEAM_SCOPED = {
    "team_id",
    "round_id",
    "plan_id",
    "priority_id",
    "action_id",
    "review_id",
    "celebration_id",
    "asset_id",
    "member_id",
    "invitation_id",
}
# Links that carry their own permission (a join code, an invitation token): anyone holding
# one may use it, so they are checked only for names and 5xx.
CAPABILITY = {"code", "token"}
# Answering 503 is these routes' job when the database is not migrated (tests use create_all).
MAY_BE_UNAVAILABLE = {"/readyz"}
# Tables that change on any request and belong to no team.
UNOWNED_TABLES = {"audit_event", "rate_limit_hit"}
# Owned rows pull these referenced rows in with them (B's service, accounts, framework).
FOLLOW_OUT = {("team", "service_id"), ("teammember", "user_id"), ("round", "framework_id")}

B_JOIN_CODE = "QZB7KD"
B_INVITE_TOKEN = "b-invitation-token-only-the-invitee-holds-0123456789"


@dataclass
class World:
    params: dict[str, object]
    users: dict[str, User]
    names: list[str]  # B's people: never outside B, except to admins
    inside_only: list[str]  # B's assets and comments: never in the outside view
    private: list[str]  # everything else of B's: only B, recovery leads and admins
    b_team_id: int = 0
    form: dict[str, str] = field(default_factory=dict)


def _add(session: Session, *rows):
    for row in rows:
        session.add(row)
    session.flush()
    return rows[0] if len(rows) == 1 else rows


def world(session: Session, now: datetime = START) -> World:
    """Team A and team B, people in both, and B's records of every kind (direct inserts),
    dated from `now` (the test's clock)."""
    # --- team A: the people who look at B ---
    a_service = _add(session, Service(name="Ashdown Trust"))
    a_team = _add(session, Team(service_id=a_service.id, name="Ashdown Team", setting="community"))
    session.commit()
    users = {
        "member": make_user(session, "a-member"),
        "facilitator": make_user(session, "a-facilitator"),
        "colead": make_user(session, "a-colead"),
        "owner": make_user(session, "a-owner"),
        "recovery_lead": make_user(session, "lead", role="recovery_lead"),
        "admin": make_user(session, "ada", role="admin"),
    }
    a_people = {
        key: make_member(session, a_team, f"A {key}", role=role, user=users[key])
        for key, role in (
            ("member", "member"),
            ("facilitator", "facilitator"),
            ("colead", "member"),
            ("owner", "member"),
        )
    }
    a_framework = small_framework(session, "v2")
    a_round = make_round(
        session, a_team, a_framework, title="A baseline", held_on=date(2026, 10, 1),
        status="closed", code="AAA111",
    )  # fmt: skip
    a_plan = _add(session, Plan(team_id=a_team.id, source_round_id=a_round.id, title="A plan"))
    a_priority = _add(
        session,
        Priority(plan_id=a_plan.id, title="A priority", staff_colead_id=a_people["colead"].id),
    )
    _add(
        session,
        Action(priority_id=a_priority.id, what="A action", owner_member_id=a_people["owner"].id),
    )

    # --- team B: every kind of record, with distinctive words ---
    framework = small_framework(session)
    section = (
        session.exec(sa_select(Section).where(Section.framework_id == framework.id))
        .scalars()
        .first()
    )
    statement = (
        session.exec(sa_select(Statement).where(Statement.framework_id == framework.id))
        .scalars()
        .first()
    )
    service = _add(session, Service(name="Bramblecombe Trust zq"))
    team = _add(
        session, Team(service_id=service.id, name="Bramblecombe Outreach zq", setting="community")
    )
    b_fac_user = _add(session, User(username="zephyrine.q", password_hash="x", role="user"))
    b_mem_user = _add(session, User(username="balthazar.op", password_hash="x", role="user"))
    people = [
        ("Zephyrine Quarrington", "staff", "facilitator", b_fac_user.id),
        ("Balthazar Oyelaran-Pike", "service_user", "member", b_mem_user.id),
        ("Ottoline Vasquez-Brume", "service_user", "member", None),
        ("Peregrine Thistlewood", "staff", "member", None),
        ("Isadora Kettleborough", "carer", "member", None),
    ]
    b_fac, b_mem, b_colead, b_owner, b_invitee = (
        _add(session, TeamMember(team_id=team.id, display_name=n, perspective=p, role=r, user_id=u))
        for n, p, r, u in people
    )
    invitation = _add(
        session,
        Invitation(
            token_hash=hash_token(B_INVITE_TOKEN),
            team_id=team.id,
            team_member_id=b_invitee.id,
            created_by_user_id=b_fac_user.id,
            expires_at=now + timedelta(days=7),
        ),
    )
    round_ = make_round(
        session, team, framework, title="Bramblecombe baseline zq", held_on=date(2026, 11, 1),
        status="open", code=B_JOIN_CODE,
    )  # fmt: skip
    round_.opened_at, round_.created_by_user_id = now, b_fac_user.id
    _add(session, round_)
    participant = _add(
        session,
        Participant(
            round_id=round_.id,
            token_hash=hash_token("b-participant"),
            perspective="staff",
            alias="Quillon Brackenfeld",
        ),
    )
    _add(
        session,
        Rating(
            round_id=round_.id,
            participant_id=participant.id,
            statement_id=statement.id,
            level=3,
            comment="zq-comment the night staff really listen",
        ),
        AgreedRating(
            round_id=round_.id, statement_id=statement.id, level=3, well_notes="zq-well-notes"
        ),
        StatementSummary(
            round_id=round_.id, statement_id=statement.id, perspective="staff", level_3=1, n=1
        ),
    )
    plan = _add(
        session,
        Plan(
            team_id=team.id,
            source_round_id=round_.id,
            title="Bramblecombe plan zq",
            status="agreed",
        ),
    )
    priority = _add(
        session,
        Priority(
            plan_id=plan.id,
            title="zq-priority peer support in every review",
            why="zq-why",
            staff_colead_id=b_fac.id,
            service_user_colead_id=b_colead.id,
        ),
    )
    action = _add(
        session,
        Action(
            priority_id=priority.id,
            what="zq-action invite the peer network",
            owner_member_id=b_owner.id,
            due_on=date(2026, 12, 1),
        ),
    )
    _add(
        session,
        PriorityStatement(priority_id=priority.id, statement_id=statement.id),
        PriorityHelper(priority_id=priority.id, member_id=b_mem.id),
        ActionHelper(action_id=action.id, member_id=b_mem.id),
        ActionUpdate(action_id=action.id, author_member_id=b_owner.id, note="zq-update-note"),
    )
    review = _add(
        session,
        Review(plan_id=plan.id, held_on=date(2026, 11, 20), notes="zq-review-notes"),
    )
    celebration = _add(
        session,
        Celebration(team_id=team.id, text="zq-celebration the garden group", on=date(2026, 11, 2)),
    )
    asset = _add(
        session,
        Asset(
            team_id=team.id,
            holder_member_id=b_mem.id,
            perspective="service_user",
            kind="talent",
            description="zq-asset plays the fiddle",
        ),
    )
    api_token = _add(
        session,
        ApiToken(user_id=b_fac_user.id, name="zq reporting", token_hash=hash_token("b-api")),
    )
    session.commit()
    params = {
        "team_id": team.id,
        "round_id": round_.id,
        "statement_id": statement.id,
        "plan_id": plan.id,
        "priority_id": priority.id,
        "action_id": action.id,
        "review_id": review.id,
        "celebration_id": celebration.id,
        "asset_id": asset.id,
        "member_id": b_mem.id,
        "invitation_id": invitation.id,
        "user_id": b_mem_user.id,
        "framework_id": framework.id,
        "service_id": service.id,
        "token_id": api_token.id,
        "code": B_JOIN_CODE,
        # the invitee's link is theirs alone: nobody in the matrix holds it
        "token": "an-invitation-token-nobody-here-holds",
        "number": section.position + 1,
        "language": "cy",
    }
    form = {
        "display_name": "Matrix Person",
        "perspective": "staff",
        "role": "member",
        "then": "list",
        "title": "Matrix title",
        "name": "Matrix name",
        "text": "Matrix text",
        "note": "Matrix note",
        "notes": "Matrix notes",
        "why": "Matrix why",
        "what": "Matrix what",
        "description": "Matrix description",
        "comment": "Matrix comment",
        "well_notes": "Matrix well",
        "could_notes": "Matrix could",
        "learnt": "Matrix learnt",
        "level": "2",
        "status": "done",
        "impact": "high",
        "effort": "low",
        "kind": "skill",
        "setting": "community",
        "mode": "self_paced",
        "held_on": "2026-11-20",
        "on": "2026-11-20",
        "due_on": "2026-12-20",
        "review_due": "2027-01-20",
        "version": "1",
        "confirm": "yes",
        "service_id": str(service.id),
        "framework_id": str(framework.id),
        "member_id": str(b_mem.id),
        "owner_member_id": str(b_owner.id),
        "staff_colead_id": str(b_fac.id),
        "service_user_colead_id": str(b_colead.id),
        "statement_ids": str(statement.id),
        "username": "matrix-user",
        "password": "matrix password long enough",
        "password_again": "matrix password long enough",
        "current_password": "not the password",
        "new_password": "another long matrix password",
    }
    names = [p[0] for p in people] + ["zephyrine.q", "balthazar.op", "Quillon Brackenfeld"]
    inside_only = ["zq-asset", "zq-comment"]
    private = [
        "Bramblecombe",
        "zq-priority",
        "zq-why",
        "zq-action",
        "zq-update-note",
        "zq-review-notes",
        "zq-celebration",
        "zq-well-notes",
    ]
    return World(params, users, names, inside_only, private, team.id, form)


# --- B's rows, to prove nobody outside changed them -------------------------------------


def _key(table, row: dict):
    pk = [c.name for c in table.primary_key.columns]
    return (table.name, tuple(row[c] for c in pk))


def b_rows(engine, team_id: int) -> frozenset:
    """Every row that belongs to team B: reached from B's team by foreign keys."""
    with engine.connect() as conn:
        data = {
            t.name: [dict(r._mapping) for r in conn.execute(sa_select(t))]
            for t in metadata.sorted_tables
            if t.name not in UNOWNED_TABLES
        }
    tables = {t.name: t for t in metadata.sorted_tables}
    owned = {("team", (team_id,))}
    changed = True
    while changed:
        changed = False
        for name, rows in data.items():
            table = tables[name]
            for row in rows:
                key = _key(table, row)
                mine = key in owned
                for column in table.columns:
                    for fk in column.foreign_keys:
                        target = (fk.column.table.name, (row[column.name],))
                        if not mine and target in owned:
                            owned.add(key)
                            mine = changed = True
                        if mine and (name, column.name) in FOLLOW_OUT and row[column.name]:
                            if target not in owned:
                                owned.add(target)
                                changed = True
    snapshot = []
    for name, rows in data.items():
        for row in rows:
            if _key(tables[name], row) in owned:
                snapshot.append((name, tuple(sorted((k, repr(v)) for k, v in row.items()))))
    return frozenset(snapshot)


# --- the routes ---------------------------------------------------------------------------

PARAM = re.compile(r"{(\w+)(?::\w+)?}")


def app_routes(app) -> list[tuple[str, str]]:
    """(method, path) for every route, read from the app itself."""
    found = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        path = context.path
        if isinstance(route, Mount) or path is None or path.startswith(SKIPPED_PREFIXES):
            continue
        for method in sorted((context.methods or {"GET"}) - {"HEAD", "OPTIONS"}):
            found.append((method, path))
    return sorted(set(found))


def fill(path: str, params: dict) -> str:
    def one(match):
        name = match.group(1)
        if name not in params:
            pytest.fail(
                f"The route {path} has a path parameter {{{name}}} the access matrix does not "
                "know. Add it (and, if it is a new kind of record, one of team B's records) to "
                "world() in tests/test_access_matrix.py."
            )
        return str(params[name])

    return PARAM.sub(one, path)


def kind_of(path: str) -> str:
    names = set(PARAM.findall(path))
    if names & CAPABILITY:
        return "capability"
    if names & TEAM_SCOPED:
        return "team"
    return "global"


# --- the people ---------------------------------------------------------------------------

PEOPLE = ["anonymous", "member", "facilitator", "colead", "owner", "recovery_lead", "admin"]


class Visitor:
    def __init__(self, client, engine, user: User | None):
        self.client, self.engine, self.user = client, engine, user
        self.token: str | None = None
        self.sign_in()

    def sign_in(self) -> None:
        """A fresh sign-in session, made directly (no password hashing: fast)."""
        self.client.cookies.clear()
        if self.user is None:
            self.csrf = self.client.csrf_token()
            return
        settings = self.client.app.state.settings
        with Session(self.engine) as s:
            self.token = start_session(
                s, self.user, now=self.client.app.state.clock(), settings=settings
            )
            s.commit()
        self.client.cookies.set(cookie_name(settings), self.token, domain="testserver.local")
        self.csrf = token_for(SECRET, self.token)

    def still_signed_in(self) -> bool:
        from app.models import LoginSession

        if self.token is None:
            return True
        with Session(self.engine) as s:
            found = s.exec(
                sa_select(LoginSession).where(LoginSession.token_hash == hash_token(self.token))
            ).first()
        return found is not None
