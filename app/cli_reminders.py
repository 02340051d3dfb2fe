"""`trip reminders`: the reminder emails' commands (added to `trip` by app/cli.py)."""

from __future__ import annotations

import typer
from sqlmodel import Session

from app.config import get_settings
from app.db import make_engine

reminders_app = typer.Typer(help="Send reminder emails.", no_args_is_help=True)


def with_clock(ctx: typer.Context) -> None:
    """The commands' clock (`ctx.obj["clock"]`): the real time, unless the caller (a test)
    passes obj={"clock": …}; `today(clock)` is then the one "today" (app.core.dates)."""
    from app.core.dates import system_clock

    ctx.ensure_object(dict).setdefault("clock", system_clock)


@reminders_app.command("send")
def reminders_send(
    ctx: typer.Context,
    dry_run: bool = typer.Option(False, "--dry-run", help="Only print what would be sent."),
) -> None:
    """Send today's reminders: at most one email a person, and no notice twice."""
    from app.core.dates import today
    from app.reminders import service

    settings = get_settings()
    sender = None if dry_run else service.sender_for(settings)
    if sender is not None and (problem := service.sender_problem(settings)):
        typer.echo(problem, err=True)
        raise typer.Exit(1)
    engine = make_engine(settings.database_url, pool_size=1)
    try:
        with Session(engine, expire_on_commit=False) as session:
            report = service.send_reminders(
                session,
                today=today(ctx.obj["clock"]),
                settings=settings,
                sender=sender,
                commit=session.commit,
            )
    finally:
        engine.dispose()
    for line, err in service.describe(report, sending=sender is not None, dry_run=dry_run):
        typer.echo(line, err=err)
    if report.failed:
        raise typer.Exit(1)
