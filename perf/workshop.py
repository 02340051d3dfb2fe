"""Benchmark (not a test): a live workshop against the real app under uvicorn (one worker).

Run 1, a workshop at a human pace: 40 participants (each its own cookie jar, joined through
POST /r/{code}) each save about once a second while a signed-in facilitator polls the
projector panel (/rounds/{id}/live) every 2 s. Prints save latency p50/p95/p99, errors, and
lost ratings (acknowledged saves' distinct (participant, statement) pairs with no row in the
database, plus rows whose level is not the last one acknowledged).
Run 2, capacity: 40 clients saving as fast as they can → saves/s; the same load on a bare
FastAPI form POST upserting one SQLite row (perf/bare_app.py) → saves/s, and the ratio.
Also: the participant page's first load, compressed (HTML + CSS + JS, gzip), in KB.

    .venv/bin/python perf/workshop.py                                   # SQLite (temp file)
    .venv/bin/python perf/workshop.py --database-url \\
        postgresql+psycopg://postgres@127.0.0.1:5432/trip_perf            # PostgreSQL

On PostgreSQL the tables are made if missing and the benchmark adds its own team and round
(nothing is dropped). Budgets: 0 lost and 0 errors in both runs; run 1 p95 ≤ 50 ms; run 2
≥ 40% of the bare endpoint; first load ≤ 100 KB.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import Session, select  # noqa: E402

from app.db import make_engine, normalise_url  # noqa: E402
from app.frameworks.service import import_frameworks  # noqa: E402
from app.models import (  # noqa: E402
    Framework,
    Participant,
    Rating,
    Round,
    Service,
    Statement,
    Team,
    TeamMember,
    User,
    metadata,
)
from app.security.passwords import hash_password  # noqa: E402

SECRET = "perf-secret-key-that-is-long-enough-0123456789abcdef"
PASSWORD = "perf facilitator password 2026"
PERSPECTIVES = ["staff", "peer_worker", "service_user", "carer", "community"]
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(server: subprocess.Popen, url: str) -> subprocess.Popen:
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"the server did not start ({url})")


def serve_app(database_url: str, port: int, workers: int = 1) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET,
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "TRIP_ENV": "development",
        "LOG_LEVEL": "warning",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:app_factory",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=ROOT,
        env=env,
    )
    return wait_healthy(server, f"http://127.0.0.1:{port}/healthz")


def serve_bare(path: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "BARE_DB": path}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "perf.bare_app:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=ROOT,
        env=env,
    )
    return wait_healthy(server, f"http://127.0.0.1:{port}/healthz")


def setup(engine, code: str) -> dict:
    """A team, the community framework, a facilitator account and an open round."""
    metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as s:
        import_frameworks(s, [ROOT / "benchmarks" / "community.yaml"])
        framework = s.exec(
            select(Framework).where(Framework.key == "community").order_by(Framework.id.desc())
        ).first()
        statements = list(
            s.exec(
                select(Statement.id)
                .where(Statement.framework_id == framework.id)
                .order_by(Statement.position)
            ).all()
        )
        service = Service(name=f"Perf service {code}")
        s.add(service)
        s.flush()
        team = Team(service_id=service.id, name=f"Perf team {code}", setting="community")
        s.add(team)
        s.flush()
        user = User(username=f"perf-{code.lower()}", password_hash=hash_password(PASSWORD))
        s.add(user)
        s.flush()
        s.add(
            TeamMember(
                team_id=team.id,
                display_name="Perf Facilitator",
                perspective="staff",
                role="facilitator",
                user_id=user.id,
            )
        )
        found = Round(
            team_id=team.id,
            framework_id=framework.id,
            title="Perf workshop",
            held_on=date.today(),
            status="open",
            join_code=code,
            current_statement_id=statements[0],
            created_by_user_id=user.id,
        )
        s.add(found)
        s.commit()
        return {"round_id": found.id, "statements": statements, "username": user.username}


class Phone:
    """One participant: its own cookie jar, joined through the real pages."""

    def __init__(self, base: str, code: str, index: int) -> None:
        self.client = httpx.AsyncClient(base_url=base, headers=SAME_ORIGIN, timeout=30)
        self.code = code
        self.alias = f"perf{index}"
        self.perspective = PERSPECTIVES[index % len(PERSPECTIVES)]
        self.csrf = ""

    async def join(self) -> None:
        page = await self.client.get(f"/r/{self.code}")
        token = CSRF.search(page.text).group(1)
        data = {"csrf_token": token, "perspective": self.perspective, "alias": self.alias}
        answer = await self.client.post(f"/r/{self.code}", data=data)
        assert answer.status_code == 303, answer.text
        page = await self.client.get(f"/r/{self.code}/sections/1")
        self.csrf = CSRF.search(page.text).group(1)

    async def save(self, statement_id: int, level: str) -> httpx.Response:
        return await self.client.post(
            f"/r/{self.code}/ratings/{statement_id}",
            data={f"level-{statement_id}": level},
            headers={"HX-Request": "true", "X-CSRF-Token": self.csrf},
        )


class Tally:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0
        self.acked: dict[tuple[str, int], str] = {}  # (alias, statement) → last level

    def record(self, phone: Phone, sid: int, level: str, response, ms: float) -> None:
        self.latencies.append(ms)
        if response is not None and response.status_code == 200 and "Saved" in response.text:
            self.acked[(phone.alias, sid)] = level
        else:
            self.errors += 1


async def timed_save(phone: Phone, sid: int, level: str, tally: Tally) -> None:
    started = time.perf_counter()
    try:
        response = await phone.save(sid, level)
    except httpx.HTTPError:
        response = None
    tally.record(phone, sid, level, response, (time.perf_counter() - started) * 1000)


def pick(statements: list[int], rng: random.Random) -> tuple[int, str]:
    return rng.choice(statements), rng.choice(["1", "2", "3", "4", "dk"])


async def paced(phone: Phone, statements, seconds: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    await asyncio.sleep(rng.uniform(0, 1))
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        await timed_save(phone, *pick(statements, rng), tally)
        await asyncio.sleep(max(0.0, rng.uniform(0.8, 1.2) - (time.perf_counter() - started)))


async def flat_out(phone: Phone, statements, seconds: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        await timed_save(phone, *pick(statements, rng), tally)


async def sign_in(base: str, username: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, headers=SAME_ORIGIN, timeout=30)
    page = await client.get("/login")
    token = CSRF.search(page.text).group(1)
    data = {"csrf_token": token, "username": username, "password": PASSWORD}
    answer = await client.post("/login", data=data)
    assert answer.status_code == 303, "the facilitator could not sign in"
    return client


async def facilitator(client: httpx.AsyncClient, round_id: int, seconds: float) -> Tally:
    tally = Tally()
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        try:
            response = await client.get(f"/rounds/{round_id}/live", headers={"HX-Request": "true"})
            ok = response.status_code == 200
        except httpx.HTTPError:
            ok = False
        tally.latencies.append((time.perf_counter() - started) * 1000)
        tally.errors += 0 if ok else 1
        await asyncio.sleep(max(0.0, 2 - (time.perf_counter() - started)))
    await client.aclose()
    return tally


def lost_ratings(engine, round_id: int, tally: Tally) -> tuple[int, int]:
    """(acknowledged pairs with no row, rows whose level is not the last acknowledged)."""
    with Session(engine) as s:
        rows = s.exec(
            select(Participant.alias, Rating.statement_id, Rating.level)
            .join(Participant, Participant.id == Rating.participant_id)
            .where(Rating.round_id == round_id)
        ).all()
    found = {(alias, sid): ("dk" if level is None else str(level)) for alias, sid, level in rows}
    missing = sum(1 for pair in tally.acked if pair not in found)
    wrong = sum(1 for pair, level in tally.acked.items() if found.get(pair, level) != level)
    return missing, wrong


def cpu_ms(pid: int) -> float:
    """CPU time (user + system) a process has used so far, in ms (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def first_load_kb(base: str, code: str) -> tuple[float, list[tuple[str, int]]]:
    """Compressed bytes of a new participant's rating page with its CSS and JS."""
    phone = Phone(base, code, 9999)
    await phone.join()
    parts = []
    gzip = {"Accept-Encoding": "gzip"}
    client = phone.client
    try:
        page = await client.get(f"/r/{code}/sections/1", headers=gzip)
        parts.append(("HTML", page.num_bytes_downloaded))
        for url in re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', page.text):
            asset = await client.get(url, headers=gzip)
            parts.append((url, asset.num_bytes_downloaded))
    finally:
        await client.aclose()
    return sum(size for _url, size in parts) / 1024, parts


async def run_load(
    base, code, statements, count, seconds, worker, offset=0, alongside=None
) -> tuple[Tally, float]:
    """Join `count` phones, then run `worker` on each (and `alongside()`, if given)."""
    phones = [Phone(base, code, offset + i) for i in range(count)]
    await asyncio.gather(*(p.join() for p in phones))
    tally = Tally()
    started = time.perf_counter()
    extra = [alongside()] if alongside else []
    work = (worker(p, statements, seconds, tally, i) for i, p in enumerate(phones))
    await asyncio.gather(*work, *extra)
    elapsed = time.perf_counter() - started
    await asyncio.gather(*(p.client.aclose() for p in phones))
    return tally, elapsed


async def run_bare(base: str, count: int, seconds: float) -> tuple[int, int, float]:
    saves = errors = 0

    async def one(index: int) -> None:
        nonlocal saves, errors
        rng = random.Random(index)
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            deadline = time.perf_counter() + seconds
            while time.perf_counter() < deadline:
                data = {
                    "participant": index,
                    "statement": rng.randrange(55),
                    "level": rng.randrange(1, 5),
                }
                try:
                    ok = (await client.post("/save", data=data)).status_code == 200
                except httpx.HTTPError:
                    ok = False
                saves += ok
                errors += not ok

    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(count)))
    return saves, errors, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL (default: a fresh SQLite file)")
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--run1-seconds", type=float, default=30)
    parser.add_argument("--run2-seconds", type=float, default=15)
    parser.add_argument(
        "--no-facilitator", action="store_true", help="run 1 without the polling projector"
    )
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="trip-perf-workshop-")
    url = (
        normalise_url(args.database_url) if args.database_url else (f"sqlite:///{tmp.name}/perf.db")
    )
    engine = make_engine(url)
    code = "".join(random.choice("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for _ in range(6))
    facts = setup(engine, code)
    port, bare_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve_app(url, port, args.workers)
    bare = None
    try:
        where = url.split("@")[-1]
        print(f"database: {where}   round code {code}   uvicorn workers: {args.workers}")
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"machine: {os.cpu_count()} CPUs, load average {load} (client and server share them)")
        kb, parts = asyncio.run(first_load_kb(base, code))
        print(
            f"\nfirst load of the rating page, gzip: {kb:.1f} KB "
            + ", ".join(f"{name.rsplit('/', 1)[-1]} {size / 1024:.1f}" for name, size in parts)
        )

        async def run1():
            # the facilitator signs in first, then polls while the participants save
            client = await sign_in(base, facts["username"])
            polls: list[Tally] = []

            async def poll():
                polls.append(await facilitator(client, facts["round_id"], args.run1_seconds))

            tally, elapsed = await run_load(
                base,
                code,
                facts["statements"],
                args.participants,
                args.run1_seconds,
                paced,
                alongside=None if args.no_facilitator else poll,
            )
            return tally, elapsed, polls[0] if polls else Tally()

        cpu_before = cpu_ms(server.pid)
        tally, elapsed, fac = asyncio.run(run1())
        cpu_run1 = cpu_ms(server.pid) - cpu_before
        missing, wrong = lost_ratings(engine, facts["round_id"], tally)
        print(
            f"\nrun 1 – {args.participants} participants ~1 save/s for {args.run1_seconds:.0f} s"
            + (
                ", no facilitator"
                if args.no_facilitator
                else ", facilitator polling /live every 2 s"
            )
        )
        print(
            f"  saves {len(tally.latencies)} ({len(tally.latencies) / elapsed:.0f}/s)   "
            f"p50 {pct(tally.latencies, 50):.1f} ms   p95 {pct(tally.latencies, 95):.1f} ms   "
            f"p99 {pct(tally.latencies, 99):.1f} ms   max {max(tally.latencies):.1f} ms"
        )
        print(f"  errors {tally.errors}   lost ratings {missing}   wrong final level {wrong}")
        requests = len(tally.latencies) + len(fac.latencies)
        print(f"  server CPU per request {cpu_run1 / requests:.1f} ms")
        print(
            f"  live panel polls {len(fac.latencies)}   p50 {pct(fac.latencies, 50):.1f} ms   "
            f"p95 {pct(fac.latencies, 95):.1f} ms   errors {fac.errors}"
        )

        cpu_before = cpu_ms(server.pid)
        tally2, elapsed2 = asyncio.run(
            run_load(
                base, code, facts["statements"], args.participants, args.run2_seconds, flat_out
            )
        )
        missing2, wrong2 = lost_ratings(engine, facts["round_id"], tally2)
        app_rate = (len(tally2.latencies) - tally2.errors) / elapsed2
        app_cpu = (cpu_ms(server.pid) - cpu_before) / max(1, len(tally2.latencies))
        server.terminate()
        server.wait(10)
        bare = serve_bare(f"{tmp.name}/bare.db", bare_port)
        cpu_before = cpu_ms(bare.pid)
        saves, bare_errors, bare_elapsed = asyncio.run(
            run_bare(f"http://127.0.0.1:{bare_port}", args.participants, args.run2_seconds)
        )
        bare_rate = saves / bare_elapsed
        bare_cpu = (cpu_ms(bare.pid) - cpu_before) / max(1, saves + bare_errors)
        print(
            f"\nrun 2 – {args.participants} clients saving flat out for {args.run2_seconds:.0f} s"
        )
        print(
            f"  app  {app_rate:.0f} saves/s   p50 {pct(tally2.latencies, 50):.1f} ms   "
            f"p95 {pct(tally2.latencies, 95):.1f} ms   errors {tally2.errors}   "
            f"lost ratings {missing2}   wrong final level {wrong2}   "
            f"server CPU per save {app_cpu:.1f} ms"
        )
        print(
            f"  bare {bare_rate:.0f} saves/s   errors {bare_errors}   "
            f"server CPU per save {bare_cpu:.1f} ms"
        )
        print(f"  ratio app/bare {app_rate / bare_rate:.0%}")
    finally:
        for proc in (server, bare):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(10)
        engine.dispose()
    command = [".venv/bin/python", "perf/workshop.py"] + sys.argv[1:]
    print("\nreproduce: " + shlex.join(command))
    return 0


if __name__ == "__main__":
    sys.exit(main())
