"""Backups and restores.

SQLite: an online backup with SQLite's own backup API (consistent while the app runs and
writes; in WAL mode readers never wait for writers). PostgreSQL: `pg_dump --format=custom`
(the recipe is printed, or run with --run-pg-dump when pg_dump is installed).
"""

from __future__ import annotations

import os
import shlex
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from app.db import SQLITE_BUSY_TIMEOUT_MS, normalise_url

# Tables that must be present for a file to count as a TRIP database.
REQUIRED_TABLES = ("alembic_version", "team", "round", "rating", "statement_summary", "user")


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def is_sqlite(url: str) -> bool:
    return normalise_url(url).startswith("sqlite")


def sqlite_path(url: str) -> Path:
    database = make_url(normalise_url(url)).database
    if not database or database == ":memory:":
        raise BackupError("The database is in memory: there is nothing on disk to back up.")
    return Path(database)


def backup_sqlite(url: str, destination: Path, *, force: bool = False) -> Path:
    """Copy the live database to `destination` with SQLite's online backup API.

    The copy is written beside the destination and renamed into place, so a half-written
    backup never has the final name.
    """
    source = sqlite_path(url)
    if not source.exists():
        raise BackupError(f"There is no database at {source}.")
    destination = Path(destination)
    if destination.exists() and not force:
        raise BackupError(f"{destination} already exists. Choose a new name, or add --force.")
    if destination.resolve() == source.resolve():
        raise BackupError("The backup cannot be the database itself.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst, pages=0)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        problem = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if problem != "ok":
            raise BackupError(f"The backup failed its integrity check: {problem}")
    finally:
        dst.close()
        src.close()
    os.replace(partial, destination)
    return destination


@dataclass
class BackupInfo:
    revision: str
    at_head: bool
    head: str
    teams: int
    rounds: int


def check_backup(path: Path) -> BackupInfo:
    """Is this file a sound TRIP database at a migration this code knows? Says why not."""
    from alembic.script import ScriptDirectory

    from app.db import alembic_config

    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no file at {path}.")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            missing = [t for t in REQUIRED_TABLES if t not in tables]
            if check != "ok":
                raise BackupError(f"{path} is damaged: {check}")
            if missing:
                raise BackupError(f"{path} is not a TRIP database (no {', '.join(missing)} table).")
            revisions = [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]
            teams = conn.execute("SELECT count(*) FROM team").fetchone()[0]
            rounds = conn.execute('SELECT count(*) FROM "round"').fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not an SQLite database ({exc}).") from None
    script = ScriptDirectory.from_config(alembic_config())
    heads = set(script.get_heads())
    known = {rev.revision for rev in script.walk_revisions()}
    if len(revisions) != 1 or revisions[0] not in known:
        raise BackupError(
            f"{path} is at migration {', '.join(revisions) or 'none'}, which this version of "
            "the app does not know. Restore it with the version of the app that made it."
        )
    return BackupInfo(
        revision=revisions[0],
        at_head=revisions[0] in heads,
        head=",".join(sorted(heads)),
        teams=teams,
        rounds=rounds,
    )


def restore_sqlite(backup: Path, url: str) -> BackupInfo:
    """Replace the database at `url` with the backup (stop the app first).

    Uses the backup API into the live file, so its WAL is handled by SQLite itself.
    """
    info = check_backup(backup)
    target = sqlite_path(url)
    if target.exists() and target.resolve() == Path(backup).resolve():
        raise BackupError("The backup is the database itself.")
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{Path(backup)}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    try:
        src.backup(dst, pages=0)
        dst.execute("PRAGMA journal_mode=WAL")
        dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        dst.close()
        src.close()
    return info


# --- PostgreSQL -----------------------------------------------------------------------------


def libpq_url(url: str) -> str:
    """The URL without the SQLAlchemy driver name and without the password (for pg_dump)."""
    from sqlalchemy.engine import URL

    parsed = make_url(normalise_url(url))
    plain = URL.create(
        "postgresql",
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    return plain.render_as_string(hide_password=False)


def pg_dump_command(url: str, destination: Path) -> list[str]:
    return [
        "pg_dump",
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        f"--file={destination}",
        f"--dbname={libpq_url(url)}",
    ]


def pg_restore_command(url: str, backup: Path) -> list[str]:
    return [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        f"--dbname={libpq_url(url)}",
        str(backup),
    ]


def pg_dump_recipe(url: str, destination: Path) -> str:
    command = shlex.join(pg_dump_command(url, destination))
    return (
        "This database is PostgreSQL: back it up with pg_dump (consistent while the app "
        "runs; it does not block the app).\n"
        f"  PGPASSWORD=... {command}\n"
        "Or run `trip backup --run-pg-dump PATH` where pg_dump is installed (its major "
        "version must be the server's or newer). See docs/deploy.md, 'Backups'."
    )


def pg_restore_recipe(url: str, backup: Path) -> str:
    command = shlex.join(pg_restore_command(url, backup))
    return (
        "This database is PostgreSQL: stop the app, then restore with pg_restore:\n"
        f"  PGPASSWORD=... {command}\n"
        "then run `trip migrate` and start the app. See docs/deploy.md, 'Restoring'."
    )


def run_pg_dump(url: str, destination: Path, *, force: bool = False) -> Path:
    destination = Path(destination)
    if destination.exists() and not force:
        raise BackupError(f"{destination} already exists. Choose a new name, or add --force.")
    password = make_url(normalise_url(url)).password
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = str(password)
    partial = destination.with_name(destination.name + ".partial")
    command = pg_dump_command(url, partial)
    try:
        subprocess.run(command, check=True, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        message = "pg_dump is not installed here.\n" + pg_dump_recipe(url, destination)
        raise BackupError(message) from None
    except subprocess.CalledProcessError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {exc.stderr.strip()}") from None
    os.replace(partial, destination)
    return destination
