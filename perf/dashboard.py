"""Benchmark (not a test): compare pages at organisation scale, over HTTP, beside their SQL.

Builds 300 teams × 4 closed rounds × 45 statements × 20 participants (≈1.08 million
ratings, bulk-inserted: executemany on SQLite, COPY on PostgreSQL) with summaries, agreed
ratings, plans, priorities, actions, updates and reviews; starts the app under uvicorn (a
subprocess, one worker); times /compare, a statement view and /compare.csv; replays the very
SQL those pages run (captured in-process) directly on a connection; prints p50 of each, the
difference, and the server's peak memory (VmHWM from /proc).

    .venv/bin/python perf/dashboard.py                                  # SQLite (temp file)
    .venv/bin/python perf/dashboard.py --database-url \
        postgresql+psycopg://postgres@127.0.0.1:5432/trip_perf            # PostgreSQL

The PostgreSQL database is emptied (all tables dropped and made again): give it a scratch
database of its own, never one in use. Budgets: /compare and the statement view p50 ≤ 300
ms and ≤ 150 ms above their SQL alone; peak server memory ≤ 250 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import shlex
import socket
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import event, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

import app.models  # noqa: E402,F401
from app.config import Settings  # noqa: E402
from app.db import make_engine, normalise_url  # noqa: E402
from app.frameworks.service import import_frameworks  # noqa: E402
from app.models import Framework, Statement, User, metadata  # noqa: E402
from app.security.sessions import cookie_name, start_session  # noqa: E402
from perf.workshop import serve_app  # noqa: E402

SECRET = "perf-secret-key-that-is-long-enough-0123456789"
PERSPECTIVES = ["staff"] * 9 + ["peer_worker"] * 2 + ["service_user"] * 5 + ["carer"] * 3
PERSPECTIVES += ["community"]
NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
BUDGET_MS, OVER_SQL_MS, BUDGET_MB = 300, 150, 250
_LEVELS = ", ".join(
    f"SUM(CASE WHEN r.level {test} THEN 1 ELSE 0 END)"
    for test in ("= 1", "= 2", "= 3", "= 4", "IS NULL")
)
SUMMARIES_SQL = (  # what closing each round writes (app.rounds.summaries), for all at once
    "INSERT INTO statement_summary (round_id, statement_id, perspective, level_1, level_2, "
    "level_3, level_4, dont_know, matters_most, n) "
    f"SELECT r.round_id, r.statement_id, p.perspective, {_LEVELS}, "
    "SUM(CASE WHEN r.matters_most THEN 1 ELSE 0 END), COUNT(*) "
    "FROM rating r JOIN participant p ON p.id = r.participant_id "
    "GROUP BY r.round_id, r.statement_id, p.perspective"
)


# --- bulk loading ------------------------------------------------------------------------


class Loader:
    """Bulk inserts with explicit ids: COPY on PostgreSQL, executemany on SQLite. Columns
    not given take their model default (so new columns with defaults need no change here)."""

    def __init__(self, engine):
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"
        self.next_id: dict[str, int] = {}

    def ids(self, table: str, count: int) -> range:
        start = self.next_id.get(table, 1)
        self.next_id[table] = start + count
        return range(start, start + count)

    def insert(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        t = metadata.tables[table]
        extra_cols, extra_vals = [], []
        for col in t.columns:
            if col.name in columns or col.nullable or (col.primary_key and col.autoincrement):
                continue
            if col.default is None:
                raise SystemExit(f"{table}.{col.name} needs a value in perf/dashboard.py")
            arg = col.default.arg
            extra_cols.append(col.name)
            extra_vals.append(arg(None) if callable(arg) else arg)
        columns = columns + extra_cols
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            if self.postgres:
                names = ", ".join(f'"{c}"' for c in columns)
                with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row((*row, *extra_vals))
            else:
                marks = ", ".join("?" for _ in columns)
                names = ", ".join(f'"{c}"' for c in columns)
                extra = tuple(_sqlite(v) for v in extra_vals)
                cursor.executemany(
                    f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
                    (tuple(_sqlite(v) for v in row) + extra for row in rows),
                )
            raw.commit()
        finally:
            raw.close()

    def fix_sequences(self) -> None:
        if not self.postgres:
            return
        with self.engine.begin() as conn:
            for table in self.next_id:
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                        f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
                    )
                )


def _sqlite(value):
    """Values as SQLAlchemy stores them in SQLite."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def build(engine, teams: int, rounds: int, participants: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    load = Loader(engine)
    with Session(engine) as session:
        import_frameworks(
            session,
            [ROOT / "benchmarks" / "community.yaml", ROOT / "benchmarks" / "inpatient.yaml"],
        )
        frameworks = {f.key: f.id for f in session.exec(select(Framework)).all()}
        statements = {
            key: list(
                session.exec(
                    select(Statement.id).where(Statement.framework_id == f).order_by(Statement.id)
                ).all()
            )
            for key, f in frameworks.items()
        }
        session.commit()
    services = list(load.ids("service", 10))
    load.insert("service", ["id", "name"], [(i, f"Service {i}") for i in services])
    team_rows, member_rows, round_rows, part_rows, rating_rows, agreed_rows = [], [], [], [], [], []
    plan_rows, prio_rows, link_rows, action_rows, update_rows, review_rows = [], [], [], [], [], []
    member_ids = load.ids("teammember", teams * 6)
    round_ids = iter(load.ids("round", teams * rounds))
    part_ids = iter(load.ids("participant", teams * rounds * participants))
    plan_ids = iter(load.ids("plan", teams))
    prio_ids = iter(load.ids("priority", teams * 4))
    action_ids = iter(load.ids("action", teams * 12))
    agreed_ids = iter(load.ids("agreed_rating", teams * rounds * 45))
    rating_next = 1
    today = NOW.date()
    for t, team_id in enumerate(load.ids("team", teams)):
        key = "community" if t % 2 == 0 else "inpatient"
        stmts = statements[key]
        team_rows.append((team_id, services[t % 10], f"Team {t + 1:03d}", key, key))
        members = list(member_ids[t * 6 : t * 6 + 6])
        for m, perspective in zip(
            members,
            ["staff", "staff", "peer_worker", "service_user", "service_user", "carer"],
            strict=True,
        ):
            member_rows.append((m, team_id, f"Person {m}", perspective))
        base = rng.uniform(1.4, 3.0)
        offsets = {s: rng.uniform(-0.8, 0.8) for s in stmts}
        team_rounds = []
        for r in range(rounds):
            round_id = next(round_ids)
            held = date(2024, 1, 15) + timedelta(days=120 * r + t % 60)
            team_rounds.append(round_id)
            round_rows.append(
                (
                    round_id,
                    team_id,
                    frameworks[key],
                    f"Round {r + 1}",
                    held,
                    "closed",
                    f"{round_id:06d}",
                    NOW,
                )
            )
            level_now = base + 0.25 * r
            for s in stmts:
                agreed = (
                    None if rng.random() < 0.03 else max(1, min(4, round(level_now + offsets[s])))
                )
                agreed_rows.append((next(agreed_ids), round_id, s, agreed))
            for p in range(participants):
                pid = next(part_ids)
                part_rows.append(
                    (pid, round_id, f"p{pid:012d}", PERSPECTIVES[p % len(PERSPECTIVES)])
                )
                for s in stmts:
                    noisy = level_now + offsets[s] + rng.gauss(0, 0.7)
                    level = None if rng.random() < 0.05 else max(1, min(4, round(noisy)))
                    rating_rows.append(
                        (rating_next, round_id, pid, s, level, rng.random() < 0.1, False)
                    )
                    rating_next += 1
        plan_id = next(plan_ids)
        due = today + timedelta(days=rng.randint(-90, 120))
        plan_rows.append((plan_id, team_id, team_rounds[-2], "Our plan", "agreed", due))
        review_rows += [(plan_id, today - timedelta(days=d)) for d in (200, rng.randint(10, 150))]
        for n, s in enumerate(rng.sample(stmts, 4)):
            prio = next(prio_ids)
            both = rng.random() < 0.8
            prio_rows.append(
                (prio, plan_id, f"Priority {n + 1}", members[0], members[3] if both else None, n)
            )
            link_rows.append((prio, s))
            for a in range(3):
                action = next(action_ids)
                status = rng.choice(
                    ["not_started", "in_progress", "done", "done", "stuck", "dropped"]
                )
                action_rows.append(
                    (
                        action,
                        prio,
                        f"Step {a + 1}",
                        rng.choice(members),
                        today + timedelta(days=rng.randint(-60, 90)),
                        status,
                    )
                )
                update_rows.append((action, members[3], "in_progress", status, NOW))
        if len(rating_rows) >= 200_000:
            _flush(load, team_rows, member_rows, round_rows, part_rows, rating_rows, agreed_rows)
    _flush(load, team_rows, member_rows, round_rows, part_rows, rating_rows, agreed_rows)
    load.next_id["rating"] = rating_next
    load.insert(
        "plan", ["id", "team_id", "source_round_id", "title", "status", "review_due"], plan_rows
    )
    load.insert(
        "priority",
        ["id", "plan_id", "title", "staff_colead_id", "service_user_colead_id", "position"],
        prio_rows,
    )
    load.insert("priority_statement", ["priority_id", "statement_id"], link_rows)
    load.insert(
        "action", ["id", "priority_id", "what", "owner_member_id", "due_on", "status"], action_rows
    )
    load.insert(
        "action_update",
        ["action_id", "author_member_id", "status_from", "status_to", "at"],
        update_rows,
    )
    load.insert("review", ["plan_id", "held_on"], review_rows)
    load.fix_sequences()
    with engine.begin() as conn:  # the summaries closing each round would write, in one go
        conn.execute(text(SUMMARIES_SQL))
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return prepare(engine)


def prepare(engine) -> dict:
    """A signed-in recovery lead (a fresh session), the statement to view and row counts."""
    with Session(engine) as session:
        lead = session.exec(select(User).where(User.username == "perf-lead")).first()
        if lead is None:
            lead = User(username="perf-lead", password_hash="x", role="recovery_lead")
            session.add(lead)
            session.commit()
        settings = Settings(database_url=str(engine.url), secret_key=SECRET, _env_file=None)
        token = start_session(session, lead, now=datetime.now(UTC), settings=settings)
        session.commit()
        community = session.exec(select(Framework.id).where(Framework.key == "community")).first()
        statement_id = session.exec(
            select(Statement.id).where(Statement.framework_id == community).order_by(Statement.id)
        ).first()
        counts = {
            t: session.exec(text(f'SELECT COUNT(*) FROM "{t}"')).one()[0]
            for t in ("rating", "statement_summary", "agreed_rating", "action")
        }
    return {
        "token": token,
        "statement_id": statement_id,
        "counts": counts,
        "cookie": cookie_name(settings),
    }


def _flush(load, team_rows, member_rows, round_rows, part_rows, rating_rows, agreed_rows):
    load.insert("team", ["id", "service_id", "name", "setting", "default_framework_key"], team_rows)
    load.insert("teammember", ["id", "team_id", "display_name", "perspective"], member_rows)
    load.insert(
        "round",
        ["id", "team_id", "framework_id", "title", "held_on", "status", "join_code", "closed_at"],
        round_rows,
    )
    load.insert("participant", ["id", "round_id", "token_hash", "perspective"], part_rows)
    load.insert(
        "rating",
        [
            "id",
            "round_id",
            "participant_id",
            "statement_id",
            "level",
            "matters_most",
            "comment_hidden",
        ],
        rating_rows,
    )
    load.insert("agreed_rating", ["id", "round_id", "statement_id", "level"], agreed_rows)
    for rows in (team_rows, member_rows, round_rows, part_rows, rating_rows, agreed_rows):
        rows.clear()


# --- timing --------------------------------------------------------------------------------


def page_work(session: Session, name: str, statement_id: int) -> None:
    """What each route does in-process (the same service calls), to capture its SQL."""
    from app.compare import exports, matrix, queries
    from app.compare import statement as statement_view
    from app.compare.queries import TeamFilter

    where = TeamFilter()
    if name == "statement":
        statement_view.build_view(session, statement_id, where)
        return
    rows = matrix.build_rows(session, where, NOW.date())
    if name == "csv":
        exports.to_csv([exports.matrix_table(rows, False)])
        return
    queries.section_titles(session)
    queries.services(session)
    queries.framework_keys(session)
    queries.statements_by_key(session, None)


def capture_sql(engine, name: str, statement_id: int) -> list[tuple]:
    captured: list[tuple] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", listen)
    try:
        with Session(engine) as session:
            page_work(session, name, statement_id)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    return [(s, p) for s, p in captured if s.lstrip().upper().startswith(("SELECT", "WITH"))]


def time_sql(engine, statements: list[tuple], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        raw = engine.raw_connection()
        try:
            started = time.perf_counter()
            cursor = raw.cursor()
            for statement, parameters in statements:
                cursor.execute(statement, parameters)
                cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
        finally:
            raw.close()
    return times


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory of the server: the largest single process (with several
    workers, each worker is its own process with its own peak)."""
    peaks = []
    children = Path(f"/proc/{pid}/task/{pid}/children")
    pids = [pid] + [int(c) for c in children.read_text().split()] if children.exists() else [pid]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks) if peaks else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a scratch PostgreSQL database (emptied!)")
    parser.add_argument("--teams", type=int, default=300)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--participants", type=int, default=20)
    parser.add_argument("--requests", type=int, default=15, help="timed requests per page")
    parser.add_argument(
        "--reuse", action="store_true", help="time an organisation built by an earlier run"
    )
    parser.add_argument("--sqlite-file", help="where to build the SQLite database (kept)")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="trip-perf-")
    sqlite_file = args.sqlite_file or f"{tmp.name}/perf.db"
    url = normalise_url(args.database_url) if args.database_url else f"sqlite:///{sqlite_file}"
    engine = make_engine(url)
    started = time.perf_counter()
    if args.reuse:
        data = prepare(engine)
    else:
        metadata.drop_all(engine)
        metadata.create_all(engine)
        data = build(engine, args.teams, args.rounds, args.participants)
    built = time.perf_counter() - started
    safe_url = make_url(url).render_as_string(hide_password=True)
    print(f"database: {engine.dialect.name} ({safe_url})")
    print(
        f"built in {built:.0f} s: {args.teams} teams × {args.rounds} rounds × 45 statements × "
        f"{args.participants} people; rows: "
        + ", ".join(f"{k} {v:,}" for k, v in data["counts"].items())
    )
    port = free_port()
    server = serve_app(url, port, args.workers)
    pages = {
        "compare": "/compare",
        "statement": f"/compare/statements/{data['statement_id']}",
        "csv": "/compare.csv",
    }
    http = {}
    try:
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}", cookies={data["cookie"]: data["token"]}, timeout=60
        ) as client:
            for name, path in pages.items():
                for _ in range(2):  # warm up
                    response = client.get(path)
                    assert response.status_code == 200, (path, response.status_code)
                times = []
                for _ in range(args.requests):
                    t0 = time.perf_counter()
                    response = client.get(path)
                    times.append((time.perf_counter() - t0) * 1000)
                    assert response.status_code == 200, (path, response.status_code)
                http[name] = (statistics.median(times), len(response.content))
        peak = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=10)
    results = {}
    for name in pages:  # the same SQL, run directly (after the server has stopped)
        statements = capture_sql(engine, name, data["statement_id"])
        sql_ms = time_sql(engine, statements, args.requests)
        results[name] = (http[name][0], statistics.median(sql_ms), len(statements), http[name][1])
    engine.dispose()
    print(
        f"\n{'page':<10} {'HTTP p50':>10} {'SQL p50':>10} {'diff':>9} {'queries':>8} {'bytes':>9}"
        "  budget"
    )
    ok = True
    for name, (http_p50, sql_p50, queries, size) in results.items():
        diff = http_p50 - sql_p50
        verdict = ""
        if name != "csv":
            passed = http_p50 <= BUDGET_MS and diff <= OVER_SQL_MS
            ok &= passed
            verdict = "ok" if passed else f"OVER (≤{BUDGET_MS} ms, ≤{OVER_SQL_MS} ms above SQL)"
        print(
            f"{name:<10} {http_p50:>8.1f}ms {sql_p50:>8.1f}ms {diff:>7.1f}ms {queries:>8} "
            f"{size:>9,}  {verdict}"
        )
    ok &= peak <= BUDGET_MB
    print(f"\npeak server memory (VmHWM): {peak:.0f} MB (budget ≤ {BUDGET_MB} MB)")
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load} (other work slows every figure)")
    command = " ".join(shlex.quote(a) for a in [sys.executable, "perf/dashboard.py", *sys.argv[1:]])
    print(f"reproduce: {command}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
