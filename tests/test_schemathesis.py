"""Bad input everywhere: schemathesis, in-process, over two schemas.

a. the reporting API (the app's own /api/v1/openapi.json) with a recovery lead's token;
b. every page and form of the app (tests/openapi_full.py), signed in as an admin and as a
   facilitator of the seeded team, with the CSRF token and `Sec-Fetch-Site: same-origin`
   supplied by hooks so posts reach their handlers.

Operations are grouped by the module of their endpoint; each group is one test with a freshly
seeded world (team, people, framework, an open round with a known join code, a closed round
with summaries, an agreed plan with priorities and actions, a review, an asset, an
invitation, another team). Ids in paths, queries and forms are drawn mostly from that world,
sometimes random, sometimes numbers no id column holds. Between examples the signed-in person
is put back (signed out, deactivated or demoted by an example) rather than excluding those
routes. Checks: no 5xx, and every error a clear 4xx (an HTML page with a heading; under /api
JSON with "error"). Bounded (10 examples an operation, no shrinking) and seeded per operation,
so runs repeat exactly. TRIP_FUZZ_STATS=path appends the status codes seen per operation.
"""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

import pytest
import schemathesis
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from sqlalchemy import create_engine
from sqlmodel import Session, select

from app.accounts import service as accounts_service
from app.config import Settings
from app.main import create_app
from app.models import (
    Action,
    ActionUpdate,
    Asset,
    Celebration,
    LoginSession,
    Participant,
    Plan,
    Priority,
    PriorityStatement,
    Rating,
    Review,
    Statement,
    TeamMember,
    User,
)
from app.plans.service import calendar as calendar_service
from app.plans.service import plans as plans_service
from app.rounds import service as rounds_service
from app.rounds.service import record_agreed_rating
from app.security.csrf import token_for
from app.security.sessions import cookie_name, start_session
from app.security.tokens import hash_token
from app.workshop.service import save_rating
from tests import openapi_full
from tests.factories import (
    make_api_token,
    make_member,
    make_person,
    make_team,
    make_user,
    small_framework,
)

MAX_EXAMPLES = 10
OPEN_CODE = "QZB7KD"
HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


# --- the operations, read once from an app built only to list its routes ---------------


@lru_cache
def _route_app():
    fake = Settings(
        database_url="sqlite://", secret_key="x" * 48, trip_env="development", _env_file=None
    )
    return create_app(fake, create_engine("sqlite://"))


def _labels(doc: dict) -> list[str]:
    return [f"{m.upper()} {p}" for p, ops in doc["paths"].items() for m in ops]


FULL_LABELS = _labels(openapi_full.build(_route_app()))
API_LABELS = _labels(_route_app().openapi())


# --- the world ------------------------------------------------------------------------


@dataclass
class World:
    ids: dict[str, list[int]] = field(default_factory=dict)
    codes: list[str] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    statement_ids: list[int] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)
    api_token: str = ""
    participant: dict[str, str] = field(default_factory=dict)  # a cookie of the open round


def _add(session: Session, *rows):
    for row in rows:
        session.add(row)
    session.commit()
    return rows[0]


def _participant(session, round_, perspective, n):
    return _add(
        session,
        Participant(
            round_id=round_.id, token_hash=hash_token(f"p-{round_.id}-{n}"), perspective=perspective
        ),
    )


def seed_world(session: Session, now: datetime) -> World:
    """The seeded world, dated from `now` (the app's clock)."""
    world = World()
    team = make_team(session, "Riverside Recovery Team", framework_key="small")
    other = make_team(session, "Hilltop Crisis Team")
    framework = small_framework(session)
    statements = session.exec(select(Statement).where(Statement.framework_id == framework.id)).all()
    admin = make_user(session, "ada", role="admin")
    lead = make_user(session, "lee", role="recovery_lead")
    fay_user, fay = make_person(session, team, "fay", role="facilitator", perspective="staff")
    sam_user, sam = make_person(session, team, "sam", perspective="service_user")
    _cara_user, cara = make_person(session, team, "cara", perspective="carer")
    nina = make_member(session, team, "Nina New", perspective="service_user")
    bob_user, bob = make_person(session, other, "bob", role="facilitator")
    world.users = {"admin": admin, "facilitator": fay_user, "lead": lead, "sam": sam_user}

    # a closed round with summaries, an open round with a known code, a draft round
    closed = rounds_service.create_round(
        session, team=team, framework=framework, title="Baseline", held_on=date(2026, 5, 1)
    )
    rounds_service.open_round(session, closed)
    for n, perspective in enumerate(("staff", "service_user", "carer")):
        participant = _participant(session, closed, perspective, n)
        for i, statement in enumerate(statements):
            level = None if (i + n) % 5 == 4 else 1 + (i + n) % 4
            save_rating(
                session,
                participant=participant,
                round=closed,
                statement_id=statement.id,
                level=level,
                comment=f"comment {n}-{i}",
            )
    record_agreed_rating(session, round_=closed, statement=statements[0], level=2)
    rounds_service.close_round(session, closed)
    opened = rounds_service.create_round(
        session, team=team, framework=framework, title="Autumn", held_on=date(2026, 11, 1)
    )
    opened.join_code = OPEN_CODE
    session.add(opened)
    session.commit()
    rounds_service.open_round(session, opened)
    participant = _participant(session, opened, "staff", 9)
    world.participant = {f"trip_p_{OPEN_CODE}": f"p-{opened.id}-9"}
    save_rating(
        session,
        participant=participant,
        round=opened,
        statement_id=statements[1].id,
        level=3,
        comment="we listen",
    )
    record_agreed_rating(session, round_=opened, statement=statements[1], level=3)
    draft = rounds_service.create_round(
        session, team=team, framework=framework, title="Spring", held_on=date(2027, 3, 1)
    )
    other_round = rounds_service.create_round(
        session, team=other, framework=framework, title="Hilltop", held_on=date(2026, 6, 1)
    )
    rounds_service.open_round(session, other_round)
    rounds_service.close_round(session, other_round)

    # an agreed plan: three co-led priorities, an action each; a review, a celebration
    plan = _add(session, Plan(team_id=team.id, source_round_id=closed.id, title="Our plan"))
    priorities, actions = [], []
    for n, statement in enumerate(statements[:3]):
        priority = _add(
            session,
            Priority(
                plan_id=plan.id,
                title=f"Priority {n}",
                staff_colead_id=fay.id,
                service_user_colead_id=sam.id,
                position=n,
            ),
        )
        _add(session, PriorityStatement(priority_id=priority.id, statement_id=statement.id))
        action = _add(
            session, Action(priority_id=priority.id, what=f"Action {n}", owner_member_id=sam.id)
        )
        _add(session, ActionUpdate(action_id=action.id, author_user_id=fay_user.id, note="Added"))
        priorities.append(priority.id)
        actions.append(action.id)
    assert plans_service.agree_plan(session, plan, actor=fay_user, today=date(2026, 5, 2)) == []
    session.commit()
    other_plan = _add(session, Plan(team_id=other.id, title="Hilltop plan"))
    review = _add(session, Review(plan_id=plan.id, held_on=date(2026, 8, 1), notes="Going well"))
    celebration = _add(session, Celebration(team_id=team.id, text="A garden", on=date(2026, 6, 1)))
    asset = _add(
        session,
        Asset(
            team_id=team.id,
            holder_member_id=sam.id,
            perspective="service_user",
            kind="talent",
            description="Plays the fiddle",
        ),
    )
    invitation, invite_token = accounts_service.create_invitation(
        session, team=team, member=nina, actor=fay_user, now=now
    )
    calendar = calendar_service.make_token(session, fay_user)
    session.commit()
    api_row, world.api_token = make_api_token(session, lead, "reports")
    admin_api_row, _ = make_api_token(session, admin, "mine")

    world.ids = {
        "team_id": [team.id, other.id],
        "round_id": [closed.id, opened.id, draft.id, other_round.id],
        "statement_id": [s.id for s in statements],
        "plan_id": [plan.id, other_plan.id],
        "priority_id": priorities,
        "action_id": actions,
        "review_id": [review.id],
        "celebration_id": [celebration.id],
        "asset_id": [asset.id],
        "member_id": [fay.id, sam.id, cara.id, nina.id, bob.id],
        "invitation_id": [invitation.id],
        "user_id": [admin.id, fay_user.id, sam_user.id, bob_user.id, lead.id],
        "framework_id": [framework.id],
        "service_id": [team.service_id],
        "token_id": [api_row.id, admin_api_row.id],
        "number": [1, 2],
        "rating_id": list(session.exec(select(Rating.id)).all())[:4],
    }
    world.codes = [OPEN_CODE, closed.join_code, draft.join_code]
    world.tokens = [invite_token, calendar]
    world.statement_ids = [s.id for s in statements]
    session.commit()  # end the read: on SQLite an open transaction holds the write lock
    return world


# --- who is signed in, kept signed in -------------------------------------------------


@dataclass
class Identity:
    user_id: int
    role: str
    cookie_name: str
    cookie: str
    csrf: str
    member_id: int | None = None


def sign_in(session: Session, app, user: User, member_id: int | None = None) -> Identity:
    settings = app.state.settings
    token = start_session(session, user, now=app.state.clock(), settings=settings)
    session.commit()
    return Identity(
        user.id,
        user.role,
        cookie_name(settings),
        token,
        token_for(settings.secret_key, token),
        member_id,
    )


def keep_signed_in(session: Session, app, identity: Identity) -> None:
    """Undo what an example did to the signed-in person (signed out, deactivated, demoted,
    left the team), so later examples still reach the handlers."""
    session.rollback()
    user = session.get(User, identity.user_id)
    session.refresh(user)
    if not user.active or user.role != identity.role:
        user.active, user.role = True, identity.role
        session.add(user)
    if identity.member_id is not None:
        member = session.get(TeamMember, identity.member_id)
        session.refresh(member)
        if member.left_at is not None or member.role != "facilitator":
            member.left_at, member.role = None, "facilitator"
            session.add(member)
    token_hash = hash_token(identity.cookie)
    if (
        session.exec(select(LoginSession).where(LoginSession.token_hash == token_hash)).first()
        is None
    ):
        hours = app.state.settings.session_absolute_hours
        now = app.state.clock()
        session.add(
            LoginSession(
                token_hash=token_hash,
                user_id=user.id,
                created_at=now,
                last_seen_at=now,
                expires_at=now + timedelta(hours=hours),
            )
        )
    session.commit()


# --- the schemas and their hooks ------------------------------------------------------


class Current:
    """What the hooks read: the world and the person of the running test."""

    world: World | None = None
    identity: Identity | None = None
    bearer: str | None = None


def _extra_fields(statement_ids: list[int]) -> dict:
    """Fields some routes read without a form model (names carry statement ids)."""
    level = {"type": "string", "enum": ["1", "2", "3", "4", "dk", "", "5", "x"]}
    text = {"type": "string", "maxLength": 600}
    flag = {"type": "string", "enum": ["", "1", "on"]}
    section, paper = {"go": {"type": "string"}}, {"perspective": {"type": "string"}}
    paper["alias"] = text
    for sid in statement_ids:
        section |= {f"level-{sid}": level, f"matters_most-{sid}": flag, f"comment-{sid}": text}
        paper |= {f"level_{sid}": level, f"matters_{sid}": flag}
    return {
        ("POST", "/r/{code}/ratings/{statement_id}"): {
            "level": level,
            "matters_most": flag,
            "comment": text,
            "seq": {"type": "string", "enum": ["", "1", "7", "x", "-1", "99999999999"]},
        },
        ("POST", "/r/{code}/sections/{number}"): section,
        ("POST", "/r/{code}/statements/{number}"): section,
        ("POST", "/rounds/{round_id}/paper"): paper,
        ("POST", "/plans/{plan_id}/invitations"): {"member_id": {"type": "string"}},
    }


def _one_id(name: str, world: World):
    if name == "code":
        return st.sampled_from(world.codes) | st.text(min_size=1, max_size=8)
    if name == "token":
        return st.sampled_from(world.tokens) | st.text(min_size=1, max_size=12)
    known = world.ids.get(name)
    random = st.integers(min_value=-3, max_value=2**31)
    if not known:
        return random
    return st.one_of(st.sampled_from(known), st.sampled_from(known), random)


# Numbers that look like ids but that no id column holds, or that Python's int() refuses.
TRICKY_NUMBERS = ["\u00b2", "\u0661\u0662", "99999999999", "9" * 30, "-1", "0", " 1", "1.5", "1e3"]
ID_FIELDS = {
    "staff_colead_id": "member_id",
    "service_user_colead_id": "member_id",
    "owner_member_id": "member_id",
    "helper_ids": "member_id",
    "carry_action_ids": "action_id",
    "source_round_id": "round_id",
    "statement_ids": "statement_id",
    "service": "service_id",
    "team": "team_id",
}


def _id_field(name: str, value, world: World):
    """A form or query value: as generated, or (for ids) one of the world's, or tricky."""
    key = ID_FIELDS.get(name, name)
    known = world.ids.get(key)
    if not known:
        return st.just(value)
    if name.endswith("_ids"):
        return st.just(value) | st.lists(st.sampled_from(known), max_size=3)
    return st.one_of(
        st.just(value),
        st.sampled_from(known),
        st.sampled_from(known).map(str),
        st.sampled_from(TRICKY_NUMBERS),
    )


def _add_hooks(schema) -> None:
    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        if not path_parameters:
            return st.just(path_parameters)
        world = Current.world
        return st.fixed_dictionaries({n: _one_id(n, world) for n in path_parameters})

    @schema.hook
    def flatmap_query(context, query):
        if not query:
            return st.just(query)
        return st.fixed_dictionaries({n: _id_field(n, v, Current.world) for n, v in query.items()})

    @schema.hook
    def flatmap_body(context, body):
        """Ids in forms: mostly the world's rows, sometimes whatever was generated."""
        if not isinstance(body, dict):
            return st.just(body)
        return st.fixed_dictionaries({n: _id_field(n, v, Current.world) for n, v in body.items()})

    @schema.hook
    def map_case(context, case):
        """The signed-in session (or API token), the CSRF token and same-origin fetch."""
        headers = dict(case.headers or {})
        headers["Sec-Fetch-Site"] = "same-origin"
        identity = Current.identity
        if identity is not None:
            headers["X-CSRF-Token"] = identity.csrf
            cookies = {**Current.world.participant, identity.cookie_name: identity.cookie}
            case.cookies = {**(case.cookies or {}), **cookies}
            if isinstance(case.body, dict) and "csrf_token" in case.body:
                case.body = {**case.body, "csrf_token": identity.csrf}
        if Current.bearer is not None:
            headers["Authorization"] = f"Bearer {Current.bearer}"
        case.headers = headers
        return case


@lru_cache
def full_schema(statement_ids: tuple[int, ...]):
    doc = openapi_full.build(_route_app(), extra_fields=_extra_fields(list(statement_ids)))
    schema = schemathesis.openapi.from_dict(doc)
    _add_hooks(schema)
    return schema


@lru_cache
def api_schema():
    schema = schemathesis.openapi.from_dict(_route_app().openapi())
    _add_hooks(schema)
    return schema


def find_operation(schema, label: str):
    method, path = label.split(" ", 1)
    return schema[path][method]


# --- the checks -----------------------------------------------------------------------


def check_answer(case, response) -> None:
    """No 5xx; every error a clear 4xx: JSON with "error" under /api, else an HTML page."""
    if case.formatted_path == "/readyz" and response.status_code == 503:
        return  # its job when the database is not migrated (tests use create_all)
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: 5xx"
    case.validate_response(response, checks=[not_a_server_error])
    if response.status_code < 400:
        return
    where = f"{case.method} {case.formatted_path} answered {response.status_code}"
    if case.formatted_path.startswith("/api/"):
        assert "error" in json.loads(response.text), where
        return
    if response.headers.get("HX-Redirect"):
        return
    assert response.headers["content-type"].startswith("text/html"), where
    page = BeautifulSoup(response.text, "html.parser")
    assert page.select_one("h1") is not None and page.select_one("title"), where


STATS: dict | None = {} if os.environ.get("TRIP_FUZZ_STATS") else None
LAST_WORDS = ("/delete", "/remove", "/revoke", "/leave", "/close", "/deactivate", "/logout")


def in_order(labels: list[str]) -> list[str]:
    """Reads first, then changes, and the changes that take things away last."""
    return sorted(labels, key=lambda x: (x.startswith("POST"), x.endswith(LAST_WORDS), x))


def run_operations(app, session, schema, labels: list[str], identity: Identity | None) -> None:
    """Each operation's examples in turn; every failure is collected and reported at the end."""
    failures: list[str] = []
    state = {"changed": True, "last": ""}
    if STATS is not None:
        STATS.clear()
    with TestClient(app, base_url="http://testserver") as client:
        for label in in_order(labels):
            operation = find_operation(schema, label)
            state["label"] = label

            @HYPOTHESIS
            @seed(zlib.crc32(label.encode()))  # reproducible, and different for each operation
            @given(case=operation.as_strategy())
            def example(case):
                if identity is not None and state["changed"]:
                    keep_signed_in(session, app, identity)
                kwargs = case.as_transport_kwargs(base_url="http://testserver")
                state["changed"] = case.method != "GET"
                state["last"] = f"{case.method} {kwargs['url']} {kwargs.get('params') or ''} "
                state["last"] += repr(kwargs.get("data") or "")[:2000]
                client.cookies.clear()
                for name, value in (kwargs.pop("cookies", None) or {}).items():
                    client.cookies.set(name, value)
                kwargs.pop("auth", None)
                response = client.request(**kwargs, follow_redirects=False)
                if STATS is not None:
                    STATS.setdefault(state["label"], []).append(response.status_code)
                check_answer(case, response)

            try:
                example()
            except Exception as exc:  # reported below, with the operation
                failures.append(f"{label}: {type(exc).__name__}: {exc}\n  sent: {state['last']}")
    if STATS is not None:
        with open(os.environ["TRIP_FUZZ_STATS"], "a") as out:
            for label in labels:
                out.write(f"{identity and identity.role} {label} {sorted(STATS.get(label, []))}\n")
    assert not failures, "\n\n".join(failures)


# --- the tests ------------------------------------------------------------------------


def _groups(labels: list[str], schema_doc: dict) -> dict[str, list[str]]:
    """Operations grouped by the module of their endpoint (one seeded world per group)."""
    groups: dict[str, list[str]] = {}
    for label in labels:
        method, path = label.split(" ", 1)
        module = schema_doc["paths"][path][method.lower()]["operationId"].split("_", 1)[1]
        groups.setdefault(module.rsplit(".", 1)[0], []).append(label)
    return groups


FULL_GROUPS = _groups(FULL_LABELS, openapi_full.build(_route_app()))
ADMIN_ONLY = ("/admin",)


@pytest.mark.parametrize("who", ["admin", "facilitator"])
@pytest.mark.parametrize("group", sorted(FULL_GROUPS))
def test_every_page_and_form(app, session, who, group):
    labels = FULL_GROUPS[group]
    if who == "facilitator":
        labels = [x for x in labels if not x.split(" ", 1)[1].startswith(ADMIN_ONLY)]
    if not labels:
        pytest.skip("only administrators may use these pages")
    world = seed_world(session, app.state.clock())
    user = world.users[who]
    member_id = None
    if who == "facilitator":
        member_id = session.exec(select(TeamMember.id).where(TeamMember.user_id == user.id)).one()
        session.commit()
    identity = sign_in(session, app, user, member_id)
    Current.world, Current.identity, Current.bearer = world, identity, None
    try:
        run_operations(app, session, full_schema(tuple(world.statement_ids)), labels, identity)
    finally:
        Current.world = Current.identity = None


def test_reporting_api(app, session):
    world = seed_world(session, app.state.clock())
    Current.world, Current.identity, Current.bearer = world, None, world.api_token
    try:
        run_operations(app, session, api_schema(), API_LABELS, None)
    finally:
        Current.world = Current.bearer = None


def test_the_full_schema_sends_each_declared_forms_fields():
    """POST bodies list the fields of the model each route declares with form_for (read from
    its dependency), not csrf_token alone, so schemathesis reaches the routes' own checks."""
    app = _route_app()
    doc = openapi_full.build(app)
    declared = set()
    for method, path, route in openapi_full.app_operations(app):
        model = openapi_full.form_model(route)
        if model is None:
            continue
        declared.add((method, path))
        template = openapi_full.PARAM.sub(lambda m: "{" + m.group(1) + "}", path)
        body = doc["paths"][template][method.lower()]["requestBody"]
        names = set(body["content"][openapi_full.FORM]["schema"]["properties"])
        fields = {info.alias or name for name, info in model.model_fields.items()}
        assert fields | {"csrf_token"} == names, f"{method} {path}"
    assert len(declared) >= 30
    assert ("POST", "/admin/teams") in declared


# --- what the runs found, pinned so a later change cannot bring it back -------------------


def test_input_no_database_could_hold_is_a_clear_4xx(app, session, client):
    world = seed_world(session, app.state.clock())
    identity = sign_in(session, app, world.users["admin"])
    client.cookies.set(identity.cookie_name, identity.cookie)
    plan_id = world.ids["plan_id"][0]
    service_id = world.ids["service_id"][0]
    answers = {
        "/teams/2147483648": client.get("/teams/2147483648"),
        "/admin/users?q=NUL": client.get("/admin/users", params={"q": "a\x00b"}),
        "/compare?service=²": client.get("/compare", params={"service": "\u00b2"}),
        "/compare?service=huge": client.get("/compare", params={"service": "9" * 12}),
        "/admin/audit?page=²": client.get("/admin/audit", params={"page": "\u00b2"}),
        "invite ²": client.form(f"/plans/{plan_id}/invitations", {"member_id": "\u00b2"}),
        "team, huge service": client.form(
            "/admin/teams", {"name": "T", "setting": "community", "service_id": "9" * 20}
        ),
        "round title with NUL": client.form(
            f"/teams/{world.ids['team_id'][0]}/rounds/new",
            {"framework_id": "1", "title": "a\x00b", "held_on": "2026-11-23", "mode": "self_paced"},
        ),
    }
    client.form("/admin/services", {"name": "Østfold"})
    answers["service renamed to a name in use"] = client.form(
        f"/admin/services/{service_id}", {"name": "Østfold"}
    )
    statuses = {what: response.status_code for what, response in answers.items()}
    assert statuses == {
        "/teams/2147483648": 404,
        "/admin/users?q=NUL": 400,
        "/compare?service=²": 200,
        "/compare?service=huge": 200,
        "/admin/audit?page=²": 200,
        "invite ²": 404,
        "team, huge service": 422,
        "round title with NUL": 400,
        "service renamed to a name in use": 422,
    }
    page = BeautifulSoup(answers["team, huge service"].text, "html.parser")
    assert "too big a number" in page.select_one("#service_id-error").get_text()
