"""Benchmark (not a test): the one-tap save against a bare endpoint, measured one way.

The app's save (`POST /r/{code}/ratings/{id}`, htmx, 40 participants' cookies) and
perf/bare_app.py (plain def, form fields, one upsert inside BEGIN IMMEDIATE … COMMIT, WAL,
synchronous=NORMAL) each run under uvicorn with one worker pinned to core 0 (`taskset -c 0`),
loaded by `wrk -t1 -c40 -d10s` pinned to core 1 (a C client, so the client is not the
limit). Five alternating 10 s pairs; prints each pair's saves/s and ratio, and the median.

    .venv/bin/python perf/save_ratio.py                 # SQLite, 5 pairs of 10 s
    .venv/bin/python perf/save_ratio.py --pairs 3 --seconds 5
    .venv/bin/python perf/save_ratio.py --database-url \\
        postgresql+psycopg://postgres@127.0.0.1:5432/trip_perf   # + PostgreSQL, 2 workers

On PostgreSQL the app and a bare endpoint on PostgreSQL run with 2 workers each (no
budget yet: both are printed). Budget (SQLite, one worker): median ratio ≥ 0.5.
Needs wrk (Debian: apt-get install wrk) and taskset (util-linux).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import Session  # noqa: E402

from app.db import make_engine  # noqa: E402
from app.models import Participant  # noqa: E402
from app.security.csrf import token_for  # noqa: E402
from app.security.tokens import hash_token, new_token  # noqa: E402
from app.workshop.deps import cookie_name  # noqa: E402
from perf.workshop import SECRET, free_port, setup, wait_healthy  # noqa: E402

PHONES = 40
CMD = "perf/save_ratio.py"


def _lua(entries: list[tuple[str, str, str]]) -> str:
    """A wrk script: each request a random phone (cookie + CSRF header) and body."""
    rows = ",\n".join(f'  {{"{path}", "{headers}", "{body}"}}' for path, headers, body in entries)
    return f"""
local entries = {{
{rows}
}}
math.randomseed(2026)
request = function()
  local e = entries[math.random(#entries)]
  local headers = {{}}
  for pair in string.gmatch(e[2], "[^|]+") do
    local k, v = pair:match("([^:]+):(.*)")
    headers[k] = v
  end
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  return wrk.format("POST", e[1], headers, e[3])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout, summary.duration, latency:percentile(95)))
end
"""


def _app_entries(engine, code: str, round_id: int, statements: list[int]) -> list:
    entries = []
    perspectives = ["staff", "peer_worker", "service_user", "carer", "community"]
    with Session(engine) as s:
        for i in range(PHONES):
            token = new_token()
            s.add(
                Participant(
                    round_id=round_id, token_hash=hash_token(token), perspective=perspectives[i % 5]
                )
            )
            csrf = token_for(SECRET, token)
            headers = (
                f"Cookie:{cookie_name(code)}={token}|X-CSRF-Token:{csrf}|HX-Request:true"
                "|Sec-Fetch-Site:same-origin"
            )
            for sid in random.Random(i).sample(statements, 10):
                level = random.Random(sid * 100 + i).randint(1, 4)
                entries.append((f"/r/{code}/ratings/{sid}", headers, f"level-{sid}={level}"))
        s.commit()
    return entries


def _bare_entries() -> list:
    rng = random.Random(7)
    return [
        (
            "/save",
            "X:1",
            f"participant={p}&statement={rng.randint(1, 45)}&level={rng.randint(1, 4)}",
        )
        for p in range(PHONES)
        for _ in range(10)
    ]


def _serve(args: list[str], env: dict, port: int, workers: int) -> subprocess.Popen:
    command = ["taskset", "-c", "0"] if workers == 1 else []
    command += [sys.executable, "-m", "uvicorn", *args, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
    return wait_healthy(server, f"http://127.0.0.1:{port}/healthz")


def _wrk(port: int, script: Path, seconds: int) -> tuple[float, int, float]:
    out = subprocess.run(
        ["taskset", "-c", "1", "wrk", "-t1", "-c40", f"-d{seconds}s", "-s", str(script)]
        + [f"http://127.0.0.1:{port}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    requests, errors, duration_us, p95_us = map(
        int, re.search(r"RESULT (.*)", out).group(1).split()
    )
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(non2xx.group(1)) if non2xx else 0
    return requests / (duration_us / 1e6), errors, p95_us / 1000


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=10)


def run_pairs(app_env, bare_env, app_script, bare_script, pairs, seconds, workers, label):
    app_port, bare_port = free_port(), free_port()
    app = _serve(["app.main:app_factory", "--factory"], app_env, app_port, workers)
    bare = _serve(["perf.bare_app:app"], bare_env, bare_port, workers)
    ratios = []
    try:
        _wrk(app_port, app_script, 2)  # warm up both
        _wrk(bare_port, bare_script, 2)
        for i in range(pairs):
            app_rps, app_err, app_p95 = _wrk(app_port, app_script, seconds)
            bare_rps, bare_err, bare_p95 = _wrk(bare_port, bare_script, seconds)
            ratios.append(app_rps / bare_rps)
            print(
                f"{label} pair {i + 1}: app {app_rps:7.0f} saves/s (p95 {app_p95:.1f} ms, "
                f"{app_err} errors)  bare {bare_rps:7.0f}/s (p95 {bare_p95:.1f} ms, "
                f"{bare_err} errors)  ratio {ratios[-1]:.2f}",
                flush=True,
            )
    finally:
        _stop(app)
        _stop(bare)
    print(f"{label}: median ratio {statistics.median(ratios):.2f} over {pairs} pairs")
    return statistics.median(ratios)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--database-url", default="")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install wrk")
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="trip-ratio-"))
    url = f"sqlite:///{tmp / 'app.db'}"
    env = {
        "SECRET_KEY": SECRET,
        "TRIP_ENV": "production",  # as deployed: templates are not re-checked on each render
        "LOG_LEVEL": "warning",
        "PUBLIC_URL": "http://127.0.0.1",
    }
    engine = make_engine(url)
    made = setup(engine, "RATIO1")
    app_script, bare_script = tmp / "app.lua", tmp / "bare.lua"
    app_script.write_text(
        _lua(_app_entries(engine, "RATIO1", made["round_id"], made["statements"]))
    )
    bare_script.write_text(_lua(_bare_entries()))
    engine.dispose()
    print(f"# {CMD}: wrk -t1 -c40 -d{options.seconds}s, server on core 0, wrk on core 1")
    median = run_pairs(
        {**env, "DATABASE_URL": url},
        {"BARE_DB": str(tmp / "bare.db")},
        app_script,
        bare_script,
        options.pairs,
        options.seconds,
        1,
        "SQLite, 1 worker",
    )
    if options.database_url:
        engine = make_engine(options.database_url)
        code = "RAT" + str(random.randint(100, 999))
        made = setup(engine, code)
        pg_script = tmp / "pg.lua"
        pg_script.write_text(_lua(_app_entries(engine, code, made["round_id"], made["statements"])))
        engine.dispose()
        run_pairs(
            {**env, "DATABASE_URL": options.database_url},
            {"BARE_PG": options.database_url},
            pg_script,
            bare_script,
            options.pairs,
            options.seconds,
            2,
            "PostgreSQL, 2 workers",
        )
    print(f"budget: median ratio ≥ 0.5 on SQLite → {'met' if median >= 0.5 else 'NOT met'}")
    again = f".venv/bin/python {CMD} --pairs {options.pairs} --seconds {options.seconds}"
    if options.database_url:
        again += f" --database-url {options.database_url}"
    print(f"reproduce: {again}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
