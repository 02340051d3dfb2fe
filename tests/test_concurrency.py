"""Two worker processes, many clients editing the same agreed rating and the same action:
every stale edit is refused with 409 and no acknowledged edit is silently overtaken.

A *lost update* is an acknowledged edit (2xx/303) whose change was overwritten by another
acknowledged edit made from the same version. With versioned compare-and-set saves, the
acknowledged edits' starting versions are all different, the final version is the first
version plus the number of acknowledged edits, and the final content is the last one's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlmodel import Session, create_engine

from app.config import Settings
from app.db import normalise_url
from app.models import Action, AgreedRating, Plan, Priority, Statement
from app.security.csrf import token_for
from app.security.sessions import cookie_name
from tests.conftest import POSTGRES, SECRET, _free_port
from tests.factories import PASSWORD, make_person, make_round, make_team, small_framework

# `python -m app.cli` is the `trip` command, independent of how the package is installed
TRIP = [sys.executable, "-m", "app.cli"]
ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 8 if POSTGRES else 6  # threads per target (SQLite: one writer at a time)
EDITS = 5  # edits per thread


@dataclass
class Outcome:
    acked: list[tuple[int, str]] = field(default_factory=list)  # (version seen, what was saved)
    refused: int = 0
    other: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def world(session, database_url):
    framework = small_framework(session)
    team = make_team(session, "Riverside CMHT")
    fay, _ = make_person(session, team, "fay", role="facilitator")
    sam, sam_m = make_person(session, team, "sam", perspective="staff")
    una, una_m = make_person(session, team, "una", perspective="service_user")
    statement = (
        session.exec(
            select(Statement).where(Statement.framework_id == framework.id).order_by(Statement.id)
        )
        .scalars()
        .first()
    )
    round_ = make_round(session, team, framework, status="open", code="CONCUR")
    plan = Plan(team_id=team.id, title="Our plan", status="agreed")
    session.add(plan)
    session.flush()
    priority = Priority(
        plan_id=plan.id,
        title="Ask what matters",
        staff_colead_id=sam_m.id,
        service_user_colead_id=una_m.id,
    )
    session.add(priority)
    session.flush()
    action = Action(priority_id=priority.id, what="Start", owner_member_id=sam_m.id)
    session.add(action)
    session.commit()
    settings = Settings(
        database_url=database_url, secret_key=SECRET, public_url="http://x", _env_file=None
    )
    cookies: dict[str, tuple[str, str]] = {}  # filled by signing in through the server
    return {
        "round_id": round_.id,
        "statement_id": statement.id,
        "action_id": action.id,
        "plan_id": plan.id,
        "cookies": cookies,
        "cookie_name": cookie_name(settings),
    }


@pytest.fixture
def two_workers(world, database_url, tmp_path):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET,
        "PUBLIC_URL": base,
        "TRIP_ENV": "development",
        "LOG_LEVEL": "warning",
    }
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [*TRIP, "serve", "--port", str(port), "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60  # importing the app can be slow on a busy machine
        while True:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "trip serve --workers 2 did not start"
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        for username in ("fay", "sam", "una"):
            world["cookies"][username] = _sign_in(base, username, world["cookie_name"])
        yield base, tmp_path / "serve.log"
    finally:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()
        log.close()


def _sign_in(base: str, username: str, session_cookie: str) -> tuple[str, str]:
    """Sign in through the server (its clock, not the test's, dates the session): the
    session cookie and its CSRF token."""
    with httpx.Client(base_url=base, headers={"Sec-Fetch-Site": "same-origin"}) as client:
        client.get("/login")
        anon = next(v for k, v in client.cookies.items() if k.endswith("trip_anon"))
        answer = client.post(
            "/login",
            data={
                "username": username,
                "password": PASSWORD,
                "csrf_token": token_for(SECRET, anon),
            },
        )
        assert answer.status_code == 303, answer.text
        token = client.cookies[session_cookie]
    return token, token_for(SECRET, token)


def _client(base: str, world, username: str) -> tuple[httpx.Client, str]:
    token, csrf = world["cookies"][username]
    client = httpx.Client(
        base_url=base,
        cookies={world["cookie_name"]: token},
        headers={"Sec-Fetch-Site": "same-origin"},
        timeout=30,
    )
    return client, csrf


def _edit_agreed(base, world, engine, outcome: Outcome, n: int) -> None:
    client, csrf = _client(base, world, "fay")
    url = f"/rounds/{world['round_id']}/statements/{world['statement_id']}/agree"
    with client, Session(engine) as session:
        for k in range(EDITS):
            row = (
                session.exec(
                    select(AgreedRating).where(
                        AgreedRating.round_id == world["round_id"],
                        AgreedRating.statement_id == world["statement_id"],
                    )
                )
                .scalars()
                .first()
            )
            seen = row.version if row else 0
            session.rollback()
            note = f"client {n} edit {k}"
            form = {
                "csrf_token": csrf,
                "level": str(1 + (n + k) % 4),
                "well_notes": note,
                "could_notes": "",
                "version": str(seen),
            }
            _record(outcome, lambda f=form: client.post(url, data=f), seen, note)


def _edit_action(base, world, engine, outcome: Outcome, n: int) -> None:
    client, csrf = _client(base, world, ("sam", "una")[n % 2])
    url = f"/actions/{world['action_id']}/update"
    with client, Session(engine) as session:
        for k in range(EDITS):
            action = session.get(Action, world["action_id"])
            seen, owner = action.version, action.owner_member_id
            session.rollback()
            session.expunge_all()
            what = f"client {n} edit {k}"
            form = {
                "csrf_token": csrf,
                "what": what,
                "owner_member_id": str(owner),
                "due_on": "",
                "status": ("not_started", "in_progress", "stuck")[k % 3],
                "note": what,
                "version": str(seen),
            }
            _record(outcome, lambda f=form: client.post(url, data=f), seen, what)


def _record(outcome: Outcome, send, seen: int, saved: str) -> None:
    try:
        response = send()
    except httpx.HTTPError as exc:
        with outcome.lock:
            outcome.other.append(f"{type(exc).__name__}: {exc}")
        return
    with outcome.lock:
        if response.status_code in (200, 204, 303):
            outcome.acked.append((seen, saved))
        elif response.status_code == 409:
            outcome.refused += 1
        else:
            outcome.other.append(f"{response.status_code} {response.text[:300]}")


def _lost_updates(outcome: Outcome, first_version: int, final_version: int) -> int:
    bases = [seen for seen, _ in outcome.acked]
    overtaken = len(bases) - len(set(bases))
    missing = (first_version + len(outcome.acked)) - final_version
    return max(overtaken, abs(missing))


def _errors(log_path: Path) -> str:
    """The last lines of each error traceback the server logged."""
    found = []
    for line in log_path.read_text().splitlines():
        if line.startswith("{") and '"error"' in line:
            error = json.loads(line)["error"].strip().splitlines()
            where = [x.strip() for x in error if x.strip().startswith('File "/work/main/app')]
            found.append(f"{error[-3][:200] if len(error) > 2 else ''} at {where[-1:]}")
        elif "worker" in line.lower() or "died" in line.lower():
            found.append(line[:300])
    return "\n".join(sorted(set(found)))


def test_no_lost_updates_with_two_workers(two_workers, world, database_url):
    base, log_path = two_workers
    # the test reads versions with plain transactions (no BEGIN IMMEDIATE), so on SQLite its
    # reads never queue behind the server's writes
    engine = create_engine(normalise_url(database_url), pool_size=CLIENTS * 2)
    agreed, action = Outcome(), Outcome()
    threads = [
        threading.Thread(target=_edit_agreed, args=(base, world, engine, agreed, n))
        for n in range(CLIENTS)
    ] + [
        threading.Thread(target=_edit_action, args=(base, world, engine, action, n))
        for n in range(CLIENTS)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    elapsed = time.perf_counter() - started
    try:
        with Session(engine) as session:
            row = (
                session.exec(select(AgreedRating).where(AgreedRating.round_id == world["round_id"]))
                .scalars()
                .one()
            )
            saved_action = session.get(Action, world["action_id"])
            final = {
                "agreed": (row.version, row.well_notes),
                "action": (
                    saved_action.version,
                    saved_action.what,
                ),
            }
    finally:
        engine.dispose()

    total = CLIENTS * EDITS
    for name, outcome, first in (("agreed", agreed, 0), ("action", action, 1)):
        assert not outcome.other, f"{name}: {len(outcome.other)} failed: {_errors(log_path)}"
        assert len(outcome.acked) + outcome.refused == total
        assert outcome.acked, f"{name}: no edit was saved"
        version, content = final[name]
        assert _lost_updates(outcome, first, version) == 0, (name, outcome.acked, version)
        last = max(outcome.acked)  # the edit made from the highest version is what is saved
        assert content == last[1], name
    assert agreed.refused > 0 and action.refused > 0, "the clients never collided"
    assert elapsed < 30, f"took {elapsed:.1f} s"
