"""`trip backup`, `trip restore` and `trip purge` (registered in app/cli.py)."""

from __future__ import annotations

from pathlib import Path

import typer


def _fail(message: str, code: int = 1) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def _database_url() -> str:
    from app.config import get_settings

    return get_settings().database_url


def backup(
    path: Path = typer.Argument(..., help="Where to write the backup file."),
    force: bool = typer.Option(False, "--force", help="Overwrite the file if it exists."),
    run_pg_dump: bool = typer.Option(
        False, "--run-pg-dump", help="PostgreSQL: run pg_dump (it must be installed here)."
    ),
) -> None:
    """Back up the database while the app runs (SQLite online backup; PostgreSQL: pg_dump)."""
    from app.ops import backup as ops

    url = _database_url()
    try:
        if ops.is_sqlite(url):
            written = ops.backup_sqlite(url, path, force=force)
        elif run_pg_dump:
            written = ops.run_pg_dump(url, path, force=force)
        else:
            _fail(ops.pg_dump_recipe(url, path), code=2)
            return
    except ops.BackupError as exc:
        _fail(str(exc))
        return
    typer.echo(f"Backup written to {written} ({written.stat().st_size:,} bytes).")


def restore(
    path: Path = typer.Argument(..., help="The backup file to restore."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Replace the database with a backup. Stop the app first."""
    from app.ops import backup as ops

    url = _database_url()
    if not ops.is_sqlite(url):
        _fail(ops.pg_restore_recipe(url, path), code=2)
        return
    try:
        info = ops.check_backup(path)
        target = ops.sqlite_path(url)
    except ops.BackupError as exc:
        _fail(str(exc))
        return
    typer.echo(
        f"{path}: a TRIP database with {info.teams} team(s) and {info.rounds} round(s), "
        f"at migration {info.revision}."
    )
    if not yes:
        typer.confirm(
            f"This replaces everything in {target}. Is the app stopped, and do you want to go on?",
            abort=True,
        )
    try:
        ops.restore_sqlite(path, url)
    except ops.BackupError as exc:
        _fail(str(exc))
        return
    typer.echo(f"Restored {path} into {target}.")
    if not info.at_head:
        typer.echo("The backup is from an older version: run `trip migrate` before starting.")


def purge(
    individual_ratings_older_than: int = typer.Option(
        ...,
        "--individual-ratings-older-than",
        metavar="DAYS",
        min=0,
        help="Remove the individual ratings of rounds closed more than DAYS days ago.",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only say what would be removed."),
) -> None:
    """Remove individual ratings of closed rounds past retention; every figure stays."""
    from sqlmodel import Session

    from app.db import make_engine
    from app.ops.retention import purge_individual_ratings

    engine = make_engine(_database_url(), pool_size=1)
    try:
        with Session(engine) as session:
            report = purge_individual_ratings(
                session,
                older_than_days=individual_ratings_older_than,
                dry_run=dry_run,
                actor_label="trip purge",
            )
    finally:
        engine.dispose()
    verb = "Would remove" if dry_run else "Removed"
    for r in report.rounds:
        extra = " (summaries written first)" if r.summaries_written else ""
        typer.echo(
            f"round {r.round_id} (team {r.team_id}, {r.title!r}, closed {r.closed_at:%Y-%m-%d}): "
            f"{verb.lower()} {r.ratings} rating(s) of {r.participants} participant(s){extra}"
        )
    typer.echo(
        f"{verb} {report.ratings} rating(s) of {report.participants} participant(s) in "
        f"{len(report.rounds)} round(s) closed before {report.cutoff:%Y-%m-%d %H:%M} UTC."
        + (" Nothing was changed." if dry_run else " Every figure stays the same.")
    )
