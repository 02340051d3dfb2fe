"""Retention: remove individual ratings of closed rounds once they are past keeping.

Every figure anyone reads (results, plans, compare, the API) comes from the round's
publications (`publication`, `published_cell`), which a purge keeps, so deleting the
individual ratings and participants changes no figure. The round's `publication_member`
rows go too: they link participants to publications and are needed only to check a re-close
(app.rounds.service.publications), and a purged round cannot be reopened. The per-statement
summaries stay as well (written first if missing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from app import audit
from app.models import (
    Participant,
    Publication,
    PublicationMember,
    Rating,
    Round,
    StatementSummary,
    metadata,
    utcnow,
)
from app.ops.queries import owned_rows
from app.ops.service.graph import delete_owned
from app.rounds.service import write_summaries


@dataclass
class PurgedRound:
    round_id: int
    team_id: int
    title: str
    closed_at: datetime
    ratings: int
    participants: int
    summaries_written: bool = False


@dataclass
class PurgeReport:
    cutoff: datetime
    dry_run: bool
    rounds: list[PurgedRound] = field(default_factory=list)

    @property
    def ratings(self) -> int:
        return sum(r.ratings for r in self.rounds)

    @property
    def participants(self) -> int:
        return sum(r.participants for r in self.rounds)


def _past_retention(cutoff: datetime):
    return (
        Round.status == "closed",
        Round.purged_at.is_(None),
        Round.closed_at.is_not(None),
        Round.closed_at < cutoff,
    )


def rounds_past_retention(session: Session, cutoff: datetime) -> list[Round]:
    """Closed, not yet purged rounds that closed before `cutoff`."""
    query = select(Round).where(*_past_retention(cutoff)).order_by(Round.closed_at, Round.id)
    return list(session.exec(query).scalars())


def _count(session: Session, model, round_id: int) -> int:
    query = select(func.count()).select_from(model).where(model.round_id == round_id)
    return session.execute(query).scalar_one()


def _members(session: Session, round_id: int) -> int:
    query = (
        select(func.count())
        .select_from(PublicationMember)
        .join(Publication, Publication.id == PublicationMember.publication_id)
        .where(Publication.round_id == round_id)
    )
    return session.execute(query).scalar_one()


def _individual_rows(round_id: int):
    """Participants, their ratings and the round's publication members (no published cell,
    publication or summary)."""
    participant = metadata.tables["participant"]
    rating = metadata.tables["rating"]
    publication = metadata.tables["publication"]
    member = metadata.tables["publication_member"]
    return owned_rows(
        {
            "participant": participant.c.round_id == round_id,
            "rating": rating.c.round_id == round_id,
            "publication_member": member.c.publication_id.in_(
                select(publication.c.id).where(publication.c.round_id == round_id)
            ),
        }
    )


def purge_round(session: Session, round_: Round, *, now: datetime, actor_label: str) -> PurgedRound:
    """Purge one closed round in the caller's transaction (summaries first if missing)."""
    if round_.status != "closed":
        raise ValueError(f"round {round_.id} is not closed")
    ratings = _count(session, Rating, round_.id)
    participants = _count(session, Participant, round_.id)
    members = _members(session, round_.id)
    written = False
    if ratings and not _count(session, StatementSummary, round_.id):
        write_summaries(session, round_.id)
        written = True
    delete_owned(session, _individual_rows(round_.id))
    round_.purged_at = now
    round_.shown_comment_id = None
    session.add(round_)
    audit.record(
        session,
        verb="purge",
        entity="round",
        entity_id=round_.id,
        actor_label=actor_label,
        team_id=round_.team_id,
        detail={
            "ratings": ratings,
            "participants": participants,
            "publication_members": members,
            "summaries_written": written,
        },
    )
    return PurgedRound(
        round_.id, round_.team_id, round_.title, round_.closed_at, ratings, participants, written
    )


def purge_individual_ratings(
    session: Session,
    *,
    older_than_days: int,
    now: datetime | None = None,
    dry_run: bool = False,
    actor_label: str = "system",
) -> PurgeReport:
    """Purge every closed round that closed more than `older_than_days` days ago.

    Each round is purged and committed on its own, so a long purge holds no lock for long
    and a failure part-way leaves every round either whole or purged.
    """
    if older_than_days < 0:
        raise ValueError("older_than_days must be 0 or more")
    now = now or utcnow()
    report = PurgeReport(cutoff=now - timedelta(days=older_than_days), dry_run=dry_run)
    round_ids = [r.id for r in rounds_past_retention(session, report.cutoff)]
    session.rollback()
    for round_id in round_ids:
        query = select(Round).where(Round.id == round_id, *_past_retention(report.cutoff))
        round_ = session.exec(query.with_for_update()).scalars().first()
        if round_ is None:
            session.rollback()
            continue  # changed since we looked (reopened, deleted or purged elsewhere)
        if dry_run:
            report.rounds.append(
                PurgedRound(
                    round_.id,
                    round_.team_id,
                    round_.title,
                    round_.closed_at,
                    _count(session, Rating, round_id),
                    _count(session, Participant, round_id),
                    summaries_written=bool(
                        _count(session, Rating, round_id)
                        and not _count(session, StatementSummary, round_id)
                    ),
                )
            )
            session.rollback()
            continue
        report.rounds.append(purge_round(session, round_, now=now, actor_label=actor_label))
        session.commit()
    return report
