"""Benchmark (not a test): kill the server with SIGKILL in the middle of a workshop, start it
again, let the phones carry on, then check that every acknowledged rating is in the database.

40 participants join through the real pages (POST /r/{code}, with CSRF; the client code is
perf/workshop.py's) and save ratings as fast as a busy room would. Part-way through, the
whole server (supervisor and workers) gets SIGKILL — no graceful shutdown, no chance to
flush anything. It is started again; the phones keep their cookies and carry on. At the end
every save that was acknowledged (HTTP 200 "Saved") must be in the database with the level
last acknowledged (or a later level whose answer was lost in the kill).

    .venv/bin/python perf/kill_restart.py                                   # SQLite, 1 worker
    .venv/bin/python perf/kill_restart.py --workers 2 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/trip_perf

Prints acknowledged, found, lost (must be 0) and the command to reproduce; exits 1 if any
acknowledged rating was lost.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import Session, select  # noqa: E402

from app.db import make_engine, normalise_url  # noqa: E402
from app.models import Participant, Rating  # noqa: E402
from perf.workshop import SECRET, Phone, free_port, pick, setup  # noqa: E402


def start_server(database_url: str, port: int, workers: int, log) -> subprocess.Popen:
    """`trip serve` in its own process group (so SIGKILL reaches every worker)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET,
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "TRIP_ENV": "development",
        "LOG_LEVEL": "warning",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.time() + 90
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server exited while starting; see its log")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    os.killpg(server.pid, signal.SIGKILL)
    raise SystemExit("the server did not start")


class Ledger:
    """What each phone was told. A pair may end on its last acknowledged level, or on a
    later level whose save reached the server but whose answer was lost in the kill."""

    def __init__(self) -> None:
        self.acked: dict[tuple[str, int], str] = {}
        self.unanswered: dict[tuple[str, int], set[str]] = {}
        self.saves = 0
        self.failures = 0

    def before(self, pair, level) -> None:
        self.unanswered.setdefault(pair, set()).add(level)

    def after(self, pair, level, response) -> None:
        self.saves += 1
        if response is not None and response.status_code == 200 and "Saved" in response.text:
            self.acked[pair] = level
            self.unanswered[pair] = set()
        else:
            self.failures += 1


async def phone_loop(phone: Phone, statements, stop: asyncio.Event, ledger: Ledger, seed: int):
    rng = random.Random(seed)
    while not stop.is_set():
        sid, level = pick(statements, rng)
        pair = (phone.alias, sid)
        ledger.before(pair, level)
        try:
            response = await phone.save(sid, level)
        except httpx.HTTPError:
            response = None
        ledger.after(pair, level, response)
        await asyncio.sleep(0.2 if response is None else rng.uniform(0.05, 0.3))


async def run(args) -> int:
    tmp = tempfile.TemporaryDirectory(prefix="trip-kill-")
    database_url = args.database_url or f"sqlite:///{Path(tmp.name) / 'trip.db'}"
    engine = make_engine(normalise_url(database_url), pool_size=2)
    code = "".join(random.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))
    world = setup(engine, code)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(Path(tmp.name) / "serve.log", "w")  # noqa: SIM115
    server = start_server(database_url, port, args.workers, log)
    phones = [Phone(base, code, i) for i in range(args.participants)]
    await asyncio.gather(*(p.join() for p in phones))
    ledger = Ledger()
    stop = asyncio.Event()
    load = asyncio.gather(
        *(phone_loop(p, world["statements"], stop, ledger, seed=i) for i, p in enumerate(phones))
    )
    await asyncio.sleep(args.kill_after)
    acked_before_kill = len(ledger.acked)
    os.killpg(server.pid, signal.SIGKILL)
    server.wait()
    killed_at = time.perf_counter()
    print(f"SIGKILL after {args.kill_after:.0f} s ({acked_before_kill} pairs acknowledged)")
    await asyncio.sleep(0.5)
    server = await asyncio.to_thread(start_server, database_url, port, args.workers, log)
    print(f"restarted after {time.perf_counter() - killed_at:.1f} s; the phones carry on")
    acked_before_restart = len(ledger.acked)
    await asyncio.sleep(args.after_restart)
    stop.set()
    await load
    print(f"pairs newly acknowledged after the restart: {len(ledger.acked) - acked_before_restart}")
    for p in phones:
        await p.client.aclose()
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)
    log.close()

    with Session(engine) as s:
        rows = s.exec(
            select(Participant.alias, Rating.statement_id, Rating.level)
            .join(Participant, Participant.id == Rating.participant_id)
            .where(Rating.round_id == world["round_id"])
        ).all()
    engine.dispose()
    found = {(alias, sid): ("dk" if level is None else str(level)) for alias, sid, level in rows}
    present = sum(1 for pair in ledger.acked if pair in found)
    lost = 0
    for pair, level in ledger.acked.items():
        if pair not in found:
            lost += 1
        elif found[pair] != level and found[pair] not in ledger.unanswered.get(pair, set()):
            lost += 1  # overwritten by something nobody sent after the acknowledgement
    command = f".venv/bin/python perf/kill_restart.py --workers {args.workers}" + (
        f" --database-url {shlex.quote(args.database_url)}" if args.database_url else ""
    )
    print(f"database: {'PostgreSQL' if args.database_url else 'SQLite'}; workers: {args.workers}")
    print(
        f"saves sent: {ledger.saves}; not answered or failed (mostly while down): {ledger.failures}"
    )
    print(f"acknowledged: {len(ledger.acked)}")
    print(f"found: {present}")
    print(f"lost: {lost}")
    print(f"reproduce: {command}")
    tmp.cleanup()
    return 1 if lost else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--kill-after", type=float, default=8, help="seconds before SIGKILL")
    parser.add_argument(
        "--after-restart", type=float, default=8, help="seconds of load after the restart"
    )
    args = parser.parse_args()
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
