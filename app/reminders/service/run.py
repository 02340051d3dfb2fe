"""`trip reminders send`: one mail per person per run, and no notice ever twice.

A notice's key is (person, kind, subject, due date or ISO week). Each key is claimed (written
and committed) before its mail goes, and given back if the sender fails, so two runs at once,
or a second run the same day, never send it again; a changed due date is a new key.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.config import Settings
from app.core.i18n import current_language, use_language
from app.models import SentNotice
from app.reminders import queries
from app.reminders.service.choices import unsubscribe_token
from app.reminders.service.mail import Mail, compose
from app.reminders.service.senders import Sender

NOTICE_KINDS = ("due_soon", "overdue", "review_due")
log = logging.getLogger(__name__)


@dataclass
class RunReport:
    mails: list[Mail] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # addresses whose mail did not go


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _in_their_language(person, notices, digest, *, public_url: str, token: str):
    """The mail written in the person's own language (User.language), whatever the
    language of the run; the run's language is put back after."""
    before = current_language()
    use_language(person.language)
    try:
        return compose(person, notices, digest, public_url=public_url, token=token)
    finally:
        use_language(before)


def plan_run(session: Session, *, today: date, public_url: str, secret: str):
    """[(person, keys, mail)] for everyone with something new to hear today."""
    people = queries.due_for(session, queries.subscribers(session), today)
    sent = queries.sent_keys(session, [p.user_id for p in people])
    week = iso_week(today)
    planned = []
    for person in people:
        notices = [
            i
            for i in person.items
            if i.kind in NOTICE_KINDS
            and (person.user_id, i.kind, i.subject, i.due.isoformat()) not in sent
        ]
        digest = [i for i in person.items if i.kind.startswith("digest_")]
        if (person.user_id, "digest", "week", week) in sent:
            digest = []
        if not notices and not digest:
            continue
        keys = [(i.kind, i.subject, i.due.isoformat()) for i in notices]
        if digest:
            keys.append(("digest", "week", week))
        token = unsubscribe_token(secret, person.user_id)
        mail = _in_their_language(person, notices, digest, public_url=public_url, token=token)
        planned.append((person, keys, mail))
    return planned


def send_reminders(
    session: Session,
    *,
    today: date,
    settings: Settings,
    sender: Sender | None,
    commit: Callable[[], None],
) -> RunReport:
    """Send (or, with no sender, only list) today's mails. `commit` ends each claim."""
    report = RunReport()
    planned = plan_run(
        session, today=today, public_url=settings.public_url, secret=settings.secret_key
    )
    for person, keys, mail in planned:
        if sender is None:
            report.mails.append(mail)
            continue
        rows = [
            SentNotice(user_id=person.user_id, kind=k, subject=s, due_key=d) for k, s, d in keys
        ]
        try:
            session.add_all(rows)
            commit()
        except IntegrityError:  # another run claimed it first
            session.rollback()
            continue
        try:
            sender.send(mail)
        except Exception as problem:  # the mail did not go: give the keys back for the next run
            # the kind of problem only: its text may carry an address
            log.warning("a reminder was not sent by %s: %s", sender.name, type(problem).__name__)
            session.execute(delete(SentNotice).where(SentNotice.id.in_([r.id for r in rows])))
            commit()
            report.failed.append(mail.to)
            continue
        report.mails.append(mail)
    return report


def describe(report: RunReport, *, sending: bool, dry_run: bool) -> list[tuple[str, bool]]:
    """What `trip reminders send` prints: (line, to standard error)."""
    lines = []
    for mail in report.mails:
        if sending:
            lines.append((f"sent to {mail.to}: {mail.subject}", False))
        else:
            lines.append((f"--- to {mail.to}: {mail.subject}\n{mail.body}", False))
    for address in report.failed:
        lines.append((f"not sent (the sender failed; tried again next run): {address}", True))
    if sending:
        lines.append((f"{len(report.mails)} email(s) sent.", False))
    else:
        why = "" if dry_run else " No sender is set (REMINDERS_SENDER), so nothing was sent."
        lines.append((f"{len(report.mails)} email(s) would go.{why}", False))
    return lines
