"""A round's life: draft → open → closed (→ open again). Each verb writes its change with
its audit event and flushes (the request commits)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app import audit
from app.core.codes import new_join_code
from app.core.i18n import N_
from app.core.refused import Refused
from app.models import Framework, Round, Team, User, utcnow
from app.rounds.queries.rounds import MODES, framework_statements, round_statements
from app.rounds.service.publications import publish_close
from app.rounds.service.room import bump_room_version
from app.rounds.service.summaries import delete_summaries, write_summaries


def create_round(
    session: Session,
    *,
    team: Team,
    framework: Framework,
    title: str,
    held_on: date,
    mode: str = "led",
    actor: User | None = None,
) -> Round:
    """A draft round with a join code no other round has ever had (unique + retry)."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    for _attempt in range(50):
        code = new_join_code()
        if session.exec(select(Round.id).where(Round.join_code == code)).first():
            continue
        round_ = Round(
            team_id=team.id,
            framework_id=framework.id,
            title=title.strip(),
            held_on=held_on,
            mode=mode,
            join_code=code,
            created_by_user_id=actor.id if actor else None,
        )
        try:
            with session.begin_nested():
                session.add(round_)
                session.flush()
        except IntegrityError:
            if session.exec(select(Round.id).where(Round.join_code == code)).first():
                continue  # taken between our look and our insert: try another
            raise
        audit.record(
            session,
            verb="round.created",
            entity="round",
            entity_id=round_.id,
            actor=actor,
            team_id=team.id,
            detail={"title": round_.title, "framework": f"{framework.key} {framework.version}"},
        )
        session.flush()
        return round_
    raise RuntimeError("could not find a free join code")


def log(session: Session, round_: Round, verb: str, actor: User | None, **detail) -> None:
    audit.record(
        session,
        verb=verb,
        entity="round",
        entity_id=round_.id,
        actor=actor,
        team_id=round_.team_id,
        detail=detail or None,
    )


def open_round(
    session: Session, round_: Round, *, actor: User | None = None, now: datetime | None = None
) -> Round:
    if round_.status == "open":
        return round_
    if round_.status != "draft":
        raise Refused(
            N_("Only a round that has not started can be opened. Reopen it instead."), status=409
        )
    round_.status = "open"
    round_.opened_at = now or utcnow()
    if round_.current_statement_id is None:
        first = round_statements(session, round_)
        round_.current_statement_id = first[0].id if first else None
    session.add(round_)
    log(session, round_, "round.opened", actor)
    bump_room_version(session, round_)
    return round_


def close_round(
    session: Session, round_: Round, *, actor: User | None = None, now: datetime | None = None
) -> Round:
    """Freeze ratings and agreed ratings, write the summaries and publish, together."""
    if round_.status == "closed":
        return round_
    if round_.status != "open":
        raise Refused(
            N_("This round has not started yet, so there is nothing to close."), status=409
        )
    round_.status = "closed"
    round_.closed_at = now or utcnow()
    round_.spread_shown = False
    round_.snapshot_id = None
    round_.shown_comment_id = None
    session.add(round_)
    session.flush()
    written = write_summaries(session, round_.id)
    ids = [s.id for s in framework_statements(session, round_.framework_id)]
    outcome = publish_close(session, round_, ids)
    log(
        session,
        round_,
        "round.closed",
        actor,
        summaries=written,
        publication=outcome.publication.id,
        kept=outcome.kept,
    )
    bump_room_version(session, round_)
    return round_


def reopen_round(
    session: Session, round_: Round, *, actor: User | None = None, now: datetime | None = None
) -> Round:
    """Open a closed round again; its summaries go (rewritten when it closes again)."""
    if round_.status != "closed":
        raise Refused(N_("Only a closed round can be reopened."), status=409)
    if round_.purged_at is not None:
        raise Refused(
            N_(
                "This round cannot be reopened: its individual ratings were removed for privacy, "
                "so only its summary figures are kept."
            ),
            status=409,
        )
    round_.status = "open"
    round_.closed_at = None
    session.add(round_)
    delete_summaries(session, round_.id)
    log(session, round_, "round.reopened", actor)
    bump_room_version(session, round_)
    return round_
