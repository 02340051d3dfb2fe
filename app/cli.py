"""The `trip` command."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from sqlmodel import Session

from app.cli_reminders import reminders_app, with_clock
from app.config import get_settings
from app.db import make_engine

app = typer.Typer(
    help="TRIP benchmarking: run the app and look after its data.", no_args_is_help=True
)
frameworks_app = typer.Typer(
    help="Check, import and list benchmark frameworks.", no_args_is_help=True
)
users_app = typer.Typer(help="Manage accounts.", no_args_is_help=True)
app.add_typer(frameworks_app, name="frameworks")
_FRAMEWORK_FILES = typer.Argument(..., help="Framework YAML files.")
app.add_typer(users_app, name="users")
app.add_typer(reminders_app, name="reminders")
app.callback()(with_clock)  # every command's ctx.obj["clock"]


def _engine():
    return make_engine(get_settings().database_url, pool_size=1)


def _fail(message: str, code: int = 1) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


@app.command()
def serve(
    host: str = typer.Option(None, help="Address to listen on (default: HOST or 127.0.0.1)."),
    port: int = typer.Option(None, help="Port (default: PORT or 8000)."),
    workers: int = typer.Option(1, help="Worker processes (use PostgreSQL for more than 1)."),
    reload: bool = typer.Option(False, help="Restart when code changes (development)."),
) -> None:
    """Start the web app with uvicorn."""
    import uvicorn

    from app.logs import uvicorn_log_config

    settings = get_settings()
    uvicorn.run(
        "app.main:app_factory",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        log_config=uvicorn_log_config(settings.log_level, readable=not settings.production),
        timeout_graceful_shutdown=20,
    )


@app.command()
def migrate() -> None:
    """Upgrade the database to the newest migration, and say what was done."""
    from alembic import command

    from app.db import alembic_config

    before = _revisions()
    command.upgrade(alembic_config(), "head")
    after = _revisions()
    if before == after:
        typer.echo(f"Database already up to date (revision {after}).")
    else:
        typer.echo(f"Database upgraded from {before or 'empty'} to {after}.")


def _revisions() -> str:
    """The database's migration revision(s) now ("" for a database never migrated)."""
    from alembic.runtime.migration import MigrationContext

    engine = _engine()
    try:
        with engine.connect() as connection:
            heads = MigrationContext.configure(connection).get_current_heads()
    finally:
        engine.dispose()
    return ", ".join(sorted(heads))


@app.command()
def demo(
    ctx: typer.Context,
    if_empty: bool = typer.Option(False, "--if-empty", help="Only if there are no services yet."),
) -> None:
    """Load the invented demo organisation (never in production)."""
    settings = get_settings()
    if settings.production:
        _fail("The demo organisation is never loaded in production (TRIP_ENV=production).")
    from app.demo.service import load_demo

    with Session(_engine()) as session:
        report = load_demo(session, only_if_empty=if_empty, clock=ctx.obj["clock"])
    if report is None:
        typer.echo("Demo organisation: not loaded (the database already has services).")
        return
    typer.echo(report)


@frameworks_app.command("check")
def frameworks_check(
    paths: list[Path] = _FRAMEWORK_FILES,
    require: str = typer.Option("", help="Languages that must be complete: cy,easy_read."),
) -> None:
    """Check framework files and their translations: file:line: problem for each."""
    from app.frameworks.service import check_with_translations

    found = check_with_translations(paths, require.split(",") if require else [])
    for problem in found:
        typer.echo(str(problem), err=problem.warning)
    if problems := [p for p in found if not p.warning]:
        _fail(f"{len(problems)} problem(s) found; nothing was imported.")
    typer.echo(f"{len(paths)} file(s) checked: no problems.")


@frameworks_app.command("import")
def frameworks_import(paths: list[Path] = _FRAMEWORK_FILES) -> None:
    """Import framework files, all or nothing."""
    from app.frameworks.service import FrameworkFileError, import_frameworks

    with Session(_engine()) as session:
        try:
            results = import_frameworks(session, paths)
        except FrameworkFileError as exc:
            for problem in exc.problems:
                typer.echo(str(problem), err=True)
            _fail(f"{len(exc.problems)} problem(s) found; nothing was imported.")
        session.commit()
    for r in results:
        state = "imported" if r.created else "unchanged"
        typer.echo(f"{r.key} {r.version}: {state} ({r.source}) {' '.join(r.languages)}")


@frameworks_app.command("list")
def frameworks_list() -> None:
    """List imported frameworks and their versions."""
    from app.frameworks.queries import list_frameworks

    with Session(_engine()) as session:
        frameworks = list_frameworks(session)
        if not frameworks:
            typer.echo("No frameworks imported yet.")
        for f in frameworks:
            typer.echo(f"{f.key}\t{f.version}\t{f.title}\t{f.checksum[:12]}")


@users_app.command("create-admin")
def create_admin(
    username: str = typer.Argument(..., help="The new administrator's username."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
) -> None:
    """Create an administrator account (password from a prompt or stdin)."""
    from app.accounts.service import create_user
    from app.core.refused import Refused

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with Session(_engine()) as session:
        try:
            admin = create_user(session, username=username, password=password, role="admin")
            admin.password_fallback = True  # signs in with a password when the provider is down
        except Refused as exc:
            _fail(f"{exc.field}: {exc.message}")
        session.commit()
    typer.echo(f"Administrator {username.strip().lower()} created.")


# --- looking after the data (app.ops.service): backups, restores, retention ---------------


@app.command()
def backup(
    path: Path = typer.Argument(..., help="Where to write the backup file."),
    force: bool = typer.Option(False, "--force", help="Overwrite the file if it exists."),
    run_pg_dump: bool = typer.Option(
        False, "--run-pg-dump", help="PostgreSQL: run pg_dump (it must be installed here)."
    ),
) -> None:
    """Back up the database while the app runs (SQLite online backup; PostgreSQL: pg_dump)."""
    from app.ops.service import backup as ops

    url = get_settings().database_url
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


@app.command()
def restore(
    path: Path = typer.Argument(..., help="The backup file to restore."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Replace the database with a backup. Stop the app first."""
    from app.ops.service import backup as ops

    url = get_settings().database_url
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


@app.command()
def purge(
    ctx: typer.Context,
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
    from app.ops.service.retention import purge_individual_ratings

    engine = make_engine(get_settings().database_url, pool_size=1)
    try:
        with Session(engine) as session:
            report = purge_individual_ratings(
                session,
                older_than_days=individual_ratings_older_than,
                now=ctx.obj["clock"](),
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


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
