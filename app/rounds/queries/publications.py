"""A round's publications, read: the only figures anyone outside the facilitator's screen
sees. `published_cells` / `published_heads` are what every reader uses (results, compare,
the API, suggestions); `snapshot_for_projector` is the projector's frozen spread. Written
only by app.rounds.service.publications (append-only).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from app.core.floor import Cell, Counts, HeadCount, Spread, spread_of
from app.core.i18n import N_, _
from app.models import Publication, PublishedCell, Round

CellsByRound = dict[int, dict[int, list[Cell]]]  # round → statement → cells

# Said when a round closes (in the language in use: the close route sets the reader's).
KEPT_REASON_ONE = N_(
    "%(n)s statement kept the figures from when this round first closed. Showing new ones "
    "would let someone work out how one or two people answered — for example someone who "
    "joined or changed an answer after the first close. Ask at least 3 more people to add "
    "their answers if you want new figures."
)
KEPT_REASON = N_(
    "%(n)s statements kept the figures from when this round first closed. Showing new ones "
    "would let someone work out how one or two people answered — for example someone who "
    "joined or changed an answer after the first close. Ask at least 3 more people to add "
    "their answers if you want new figures."
)
TOO_FEW_YET = "Too few answers to show the spread yet."


@dataclass(frozen=True)
class CloseOutcome:
    publication: Publication
    kept: int  # statements that kept their earlier figures

    @property
    def message(self) -> str | None:
        if not self.kept:
            return None
        return _(KEPT_REASON_ONE if self.kept == 1 else KEPT_REASON) % {"n": self.kept}


def kept_message(session: Session, round_: Round) -> str | None:
    """Why some statements kept their earlier figures at the last close (or None)."""
    if round_.publication_id is None:
        return None
    pub = session.get(Publication, round_.publication_id)
    return CloseOutcome(pub, pub.kept).message


# --- reading --------------------------------------------------------------------------------


def cell_of(row) -> Cell:
    return Cell(
        publication_id=row.publication_id,
        statement_id=row.statement_id,
        group=row.group,
        perspectives=tuple(row.perspectives.split(",")) if row.perspectives else (),
        counts=Counts(
            levels=(row.level_1, row.level_2, row.level_3, row.level_4),
            dont_know=row.dont_know,
            matters_most=row.matters_most,
            n=row.n,
        ),
    )


def published_cells(
    session: Session, round_ids: list[int], statement_ids: list[int] | None = None
) -> CellsByRound:
    """The cells of each round's current close publication (one query for all rounds)."""
    if not round_ids:
        return {}
    query = (
        select(PublishedCell)
        .join(Round, Round.publication_id == PublishedCell.publication_id)
        .where(Round.id.in_(round_ids))
    )
    if statement_ids is not None:
        query = query.where(PublishedCell.statement_id.in_(statement_ids))
    result: CellsByRound = defaultdict(lambda: defaultdict(list))
    for row in session.exec(query).scalars():
        result[row.round_id][row.statement_id].append(cell_of(row))
    return result


def published_spreads(session: Session, round_id: int) -> dict[int, Spread]:
    """{statement id: Spread} for one closed round (statements without figures left out)."""
    cells = published_cells(session, [round_id]).get(round_id, {})
    return {statement_id: spread_of(c) for statement_id, c in cells.items()}


def published_heads(session: Session, round_ids: list[int]) -> dict[int, HeadCount]:
    """How many took part, per round, as published at its current close."""
    if not round_ids:
        return {}
    rows = session.exec(
        select(Round.id, Publication.heads)
        .join(Publication, Publication.id == Round.publication_id)
        .where(Round.id.in_(round_ids))
    ).all()
    found = {round_id: HeadCount.from_json(heads) for round_id, heads in rows}
    return {round_id: found.get(round_id, HeadCount(None, None)) for round_id in round_ids}


def snapshot_for_projector(session: Session, round_: Round) -> Spread | None:
    """The frozen spread the projector shows (None: none shown, or too few answers yet)."""
    if not round_.spread_shown or round_.snapshot_id is None:
        return None
    rows = session.exec(
        select(PublishedCell).where(PublishedCell.publication_id == round_.snapshot_id)
    ).scalars()
    return spread_of(cell_of(row) for row in rows)
