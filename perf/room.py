"""Benchmark (not a test): a led round, the whole room, against the real app under uvicorn.

One uvicorn worker; a temp SQLite file by default, PostgreSQL with --database-url. A
signed-in facilitator moves the room to the next statement every 20 s for 10 minutes of room
time, and polls their page (/rounds/{id}/counts?v=N) every 2 s; a projector (present mode,
/rounds/{id}/present?v=N&s=M, a second signed-in client: answered 204, with its counts alone
or with the whole screen) polls every 2 s; 40 phones (each its own
cookie jar, joined through POST /r/{code} with a mix of perspectives) poll /r/{code}/room?v=N
every 2 s, go to the room's statement when the poll shows a move (as workshop.js does), and
answer it 2–15 s after the move (seeded random spread; one answer in ten is changed a few
seconds later, with a higher `seq`, so "the last answer wins" is checked too).

Time is compressed by --speed: every room interval (moves, answer delays, the 2 s polls) is
divided by it, so at --speed 10 ten minutes of room take one minute and each client polls
every 0.2 s: ten times the request rate of a real room. --poll-seconds sets the polls'
interval in wall-clock seconds instead (e.g. 2 to keep the real interval while moves are
compressed). The phone's lag seeing a move is measured in wall-clock time from the move's
POST returning to a phone's poll first showing the new statement; it is mostly the wait for
the next poll, so its room-time equivalent is about lag × (2 s / poll interval).

    .venv/bin/python perf/room.py                            # SQLite, 10 min of room at 10×
    .venv/bin/python perf/room.py --speed 3                  # 10 min of room in 200 s
    .venv/bin/python perf/room.py --database-url \\
        postgresql+psycopg://postgres@127.0.0.1:5432/trip_perf --speed 3

On PostgreSQL the tables are made if missing and the benchmark adds its own team and round
(nothing is dropped). Budgets (issue 12): 0 lost answers and 0 errors; save p95 ≤ 50 ms;
poll p95 ≤ 20 ms; a phone sees a move within 3 s at real speed.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import os
import random
import re
import shlex
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.db import make_engine, normalise_url  # noqa: E402
from perf.workshop import (  # noqa: E402
    CSRF,
    PERSPECTIVES,
    SAME_ORIGIN,
    cpu_ms,
    free_port,
    lost_ratings,
    pct,
    serve_app,
    setup,
    sign_in,
)

HTMX = {"HX-Request": "true"}
PHONE_POLL = re.compile(r'id="room-poll"[^>]*data-hx-get="[^"]*\?v=(\d+)[^"]*"[^>]*'
                        r'data-room-number="(\d+)"')  # fmt: skip
# a screen's poll address as its page writes it (present mode: ?v=N&s=M; the facilitator: ?v=N)
ROOM_POLL = re.compile(r'data-hx-get="(/rounds/\d+/(?:counts|present)\?v=\d+[^"]*)"')
LEVEL_NAME = re.compile(r'name="level-(\d+)"')
LEVELS = ["1", "2", "3", "4", "dk"]


class Stats:
    """Everything measured, shared by all the room's clients."""

    def __init__(self) -> None:
        self.saves: list[float] = []
        self.polls: dict[str, list[float]] = {"phone": [], "projector": [], "facilitator": []}
        self.unchanged: dict[str, int] = {"phone": 0, "projector": 0, "facilitator": 0}
        self.counts_only: dict[str, int] = {"phone": 0, "projector": 0, "facilitator": 0}
        self.errors: dict[str, int] = {}
        self.acked: dict[tuple[str, int], str] = {}  # (alias, statement id) → last level
        self.moves: dict[int, float] = {}  # statement number → when its move POST returned
        self.lags: list[float] = []  # seconds, wall clock
        self.moving: int | None = None  # the statement a move POST is out for

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


class RoomPhone:
    """One phone in a led round: joins, follows the room, answers each statement."""

    def __init__(self, base: str, code: str, index: int, args, stats: Stats) -> None:
        self.client = httpx.AsyncClient(base_url=base, headers=SAME_ORIGIN, timeout=30)
        self.code = code
        self.alias = f"room{index}"
        self.perspective = PERSPECTIVES[index % len(PERSPECTIVES)]
        self.rng = random.Random(args.seed * 1000 + index)
        self.args = args
        self.stats = stats
        self.csrf = ""
        self.version = 0
        self.at = 0  # the statement number this phone shows
        self.seq = 0
        self.answering: asyncio.Task | None = None
        self.tasks: list[asyncio.Task] = []

    async def join(self) -> None:
        page = await self.client.get(f"/r/{self.code}")
        token = CSRF.search(page.text).group(1)
        data = {"csrf_token": token, "perspective": self.perspective, "alias": self.alias}
        answer = await self.client.post(f"/r/{self.code}", data=data)
        assert answer.status_code == 303, answer.text
        # "Back to the room": a redirect to the statement the room is on
        page = await self.client.get(f"/r/{self.code}/room", follow_redirects=True)
        self.show(page)

    def show(self, page: httpx.Response) -> None:
        self.csrf = CSRF.search(page.text).group(1)
        found = PHONE_POLL.search(page.text)
        self.version, self.at = int(found.group(1)), int(found.group(2))

    async def go_to(self, number: int) -> None:
        """As workshop.js: the poll showed a move, so the phone loads the room's statement."""
        page = await self.client.get(f"/r/{self.code}/statements/{number}")
        if page.status_code != 200:
            self.stats.error("phone page")
            return
        self.show(page)
        sid = int(LEVEL_NAME.search(page.text).group(1))
        self.tasks.append(asyncio.create_task(self.answer(sid)))

    async def answer(self, sid: int) -> None:
        speed = self.args.speed
        await asyncio.sleep(self.rng.uniform(2, 15) / speed)
        await self.save(sid, self.rng.choice(LEVELS))
        if self.rng.random() < 0.1:  # a second thought: the newer answer must win
            await asyncio.sleep(self.rng.uniform(1, 4) / speed)
            await self.save(sid, self.rng.choice(LEVELS))

    async def save(self, sid: int, level: str) -> None:
        self.seq += 1
        started = time.perf_counter()
        try:
            response = await self.client.post(
                f"/r/{self.code}/ratings/{sid}",
                data={f"level-{sid}": level, "seq": str(self.seq)},
                headers={**HTMX, "X-CSRF-Token": self.csrf},
            )
        except httpx.HTTPError:
            response = None
        self.stats.saves.append((time.perf_counter() - started) * 1000)
        if response is not None and response.status_code == 200 and "Saved" in response.text:
            self.stats.acked[(self.alias, sid)] = level
        else:
            self.stats.error("save")

    async def poll(self, until: float) -> None:
        await asyncio.sleep(self.rng.uniform(0, self.args.poll))
        while time.perf_counter() < until:
            started = time.perf_counter()
            try:
                response = await self.client.get(
                    f"/r/{self.code}/room", params={"v": self.version, "at": self.at}, headers=HTMX
                )
            except httpx.HTTPError:
                response = None
            seen = time.perf_counter()
            self.stats.polls["phone"].append((seen - started) * 1000)
            if response is None or response.status_code not in (200, 204):
                self.stats.error("phone poll")
            elif response.status_code == 204:
                self.stats.unchanged["phone"] += 1
            else:
                found = PHONE_POLL.search(response.text)
                self.version, number = int(found.group(1)), int(found.group(2))
                if number != self.at:
                    moved = self.stats.moves.get(number)
                    if number == self.stats.moving:  # seen before the move's POST returned
                        self.stats.lags.append(0.0)
                    elif moved is not None:
                        self.stats.lags.append(max(0.0, seen - moved))
                    await self.go_to(number)
            await asyncio.sleep(max(0.0, self.args.poll - (time.perf_counter() - started)))

    async def finish(self) -> None:
        await asyncio.gather(*self.tasks)
        await self.client.aclose()


async def screen_poll(client, kind: str, url: str, until: float, args, stats):
    """The projector or the facilitator's page: poll the address the screen shows, every 2 s,
    as htmx does (a 204 leaves it; an answer brings the next address: the whole screen, or
    in present mode the counts alone with a new poll element). Like the phones, each screen
    starts at its own point in the 2 s interval (pages opened at different moments)."""
    await asyncio.sleep(random.Random(f"{args.seed}-{kind}").uniform(0, args.poll))
    while time.perf_counter() < until:
        started = time.perf_counter()
        try:
            response = await client.get(url, headers=HTMX)
        except httpx.HTTPError:
            response = None
        stats.polls[kind].append((time.perf_counter() - started) * 1000)
        if response is None or response.status_code not in (200, 204):
            stats.error(f"{kind} poll")
        elif response.status_code == 204:
            stats.unchanged[kind] += 1
        else:
            if "HX-Retarget" in response.headers:
                stats.counts_only[kind] += 1
            url = poll_address(response.text) or url
        await asyncio.sleep(max(0.0, args.poll - (time.perf_counter() - started)))


def poll_address(page: str) -> str | None:
    found = ROOM_POLL.search(page)
    return html.unescape(found.group(1)) if found else None


async def facilitate(client, round_id: int, statements: list[int], moves: int, args, stats):
    """Move the room to the next statement every 20 s of room time."""
    page = await client.get(f"/rounds/{round_id}")
    token = CSRF.search(page.text).group(1)
    for step in range(1, moves + 1):
        await asyncio.sleep(args.move_seconds / args.speed)
        number = step % len(statements) + 1
        stats.moves.pop(number, None)
        stats.moving = number
        try:
            response = await client.post(
                f"/rounds/{round_id}/current",
                data={"csrf_token": token, "statement_id": statements[number - 1]},
            )
            ok = response.status_code in (200, 303)
        except httpx.HTTPError:
            ok = False
        stats.moves[number] = time.perf_counter()
        stats.moving = None
        if not ok:
            stats.error("move")


async def address_of(client, url: str) -> str:
    """The poll address a screen's first load writes."""
    page = await client.get(url)
    return poll_address(page.text)


async def run(base: str, code: str, facts: dict, args, stats: Stats, server_pid: int):
    facilitator = await sign_in(base, facts["username"])
    projector = await sign_in(base, facts["username"])
    round_id = facts["round_id"]
    phones = [RoomPhone(base, code, i, args, stats) for i in range(args.phones)]
    await asyncio.gather(*(p.join() for p in phones))
    counts_url = await address_of(facilitator, f"/rounds/{round_id}")
    present_url = await address_of(projector, f"/rounds/{round_id}/present")
    moves = int(args.minutes * 60 // args.move_seconds)
    room_seconds = moves * args.move_seconds + 15  # the last statement's answers come in
    cpu_before = cpu_ms(server_pid)
    started = time.perf_counter()
    until = started + room_seconds / args.speed
    await asyncio.gather(
        facilitate(facilitator, round_id, facts["statements"], moves, args, stats),
        screen_poll(facilitator, "facilitator", counts_url, until, args, stats),
        screen_poll(projector, "projector", present_url, until, args, stats),
        *(p.poll(until) for p in phones),
    )
    await asyncio.gather(*(p.finish() for p in phones))
    elapsed = time.perf_counter() - started
    cpu = cpu_ms(server_pid) - cpu_before
    await facilitator.aclose()
    await projector.aclose()
    return moves, room_seconds, elapsed, cpu


def report(args, url: str, code: str, moves, room_seconds, elapsed, cpu, stats, lost) -> None:
    where = url.split("@")[-1]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"database: {where}   round code {code}   uvicorn workers: 1")
    print(f"machine: {os.cpu_count()} CPUs, load average {load} (client and server share them)")
    print(
        f"room: {args.phones} phones + projector + facilitator, {moves} moves every "
        f"{args.move_seconds:.0f} s, {room_seconds / 60:.1f} min of room time in {elapsed:.0f} s "
        f"of wall clock (--speed {args.speed:g}: moves and answer delays ÷ {args.speed:g})"
    )
    rate = 2 / args.poll
    print(
        f"polls every {args.poll:.2f} s of wall clock "
        + (
            "(the 2 s poll compressed too)"
            if abs(args.poll - 2 / args.speed) < 1e-9
            else "(not compressed like the moves)"
        )
        + f": {rate:.1f}× the request rate of a real room"
    )
    s = stats.saves
    print(
        f"\nsaves {len(s)}   p50 {pct(s, 50):.1f} ms   p95 {pct(s, 95):.1f} ms   "
        f"p99 {pct(s, 99):.1f} ms   max {max(s, default=float('nan')):.1f} ms"
    )
    every = [x for values in stats.polls.values() for x in values]
    unchanged = sum(stats.unchanged.values())
    print(
        f"polls {len(every)}   p50 {pct(every, 50):.1f} ms   p95 {pct(every, 95):.1f} ms   "
        f"answered 204: {unchanged / max(1, len(every)):.0%}"
    )
    for kind, values in stats.polls.items():
        print(
            f"  {kind:<11} {len(values):>6}   p50 {pct(values, 50):.1f} ms   "
            f"p95 {pct(values, 95):.1f} ms   204: {stats.unchanged[kind] / max(1, len(values)):.0%}"
            + (
                f"   counts alone: {stats.counts_only[kind] / max(1, len(values)):.0%}"
                if kind == "projector"
                else ""
            )
        )
    room_minutes = room_seconds / 60
    per_minute = cpu / 1000 / room_minutes
    if abs(rate - 1) < 1e-9:
        scaled = f"polls at the real rate, saves and moves {args.speed:g}× as dense"
    else:
        scaled = f"≈ {per_minute / rate:.2f} s at real speed if CPU scales with requests"
    print(
        f"server CPU {cpu / 1000:.1f} s in all = {per_minute:.2f} s per minute of room time "
        f"({scaled})"
    )
    # saves, polls and the statement pages phones load when they follow a move: the server's
    # own cost of a request, apart from the wait for a CPU on a shared machine
    requests = len(s) + len(every) + len(stats.lags)
    print(f"server CPU per request ≈ {cpu / max(1, requests):.1f} ms ({requests} requests)")
    errors = sum(stats.errors.values())
    detail = ", ".join(f"{k} {v}" for k, v in sorted(stats.errors.items()))
    missing, wrong = lost
    print(f"errors {errors}{f' ({detail})' if detail else ''}")
    print(
        f"lost answers {missing + wrong} of {len(stats.acked)} acknowledged "
        f"(no row {missing}, not the last level {wrong})"
    )
    lags = stats.lags
    real = 2 / args.poll
    line = (
        f"phone sees a move ({len(lags)} seen): p50 {pct(lags, 50):.2f} s   "
        f"p95 {pct(lags, 95):.2f} s   max {max(lags, default=float('nan')):.2f} s of wall clock"
    )
    if abs(real - 1) < 1e-9:
        line += " with the real 2 s poll"
    else:
        line += (
            f"; with the real 2 s poll ≈ p95 {pct(lags, 95) * real:.2f} s, "
            f"max {max(lags, default=float('nan')) * real:.2f} s (lag × {real:g}, an upper bound)"
        )
    print(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL (default: a fresh SQLite file)")
    parser.add_argument("--phones", type=int, default=40)
    parser.add_argument("--minutes", type=float, default=10, help="room time")
    parser.add_argument("--speed", type=float, default=10, help="room time ÷ wall clock")
    parser.add_argument(
        "--poll-seconds", type=float, help="poll interval, wall clock (default 2 s ÷ speed)"
    )
    parser.add_argument("--move-seconds", type=float, default=20, help="room time per move")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    args.poll = args.poll_seconds or 2 / args.speed
    tmp = tempfile.TemporaryDirectory(prefix="trip-perf-room-")
    url = normalise_url(args.database_url) if args.database_url else f"sqlite:///{tmp.name}/p.db"
    engine = make_engine(url)
    rng = random.Random(args.seed)
    code = "".join(rng.choice("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for _ in range(6))
    if args.database_url:  # a fresh code each run on a kept database
        code = "".join(random.choice("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for _ in range(6))
    facts = setup(engine, code)
    port = free_port()
    server = serve_app(url, port, 1)
    stats = Stats()
    try:
        outcome = asyncio.run(run(f"http://127.0.0.1:{port}", code, facts, args, stats, server.pid))
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(10)
    lost = lost_ratings(engine, facts["round_id"], stats)
    engine.dispose()
    report(args, url, code, *outcome, stats, lost)
    print("\nreproduce: " + shlex.join([".venv/bin/python", "perf/room.py"] + sys.argv[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
