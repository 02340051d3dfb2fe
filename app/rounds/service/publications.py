"""A round's publications, written (append-only: nothing here updates or deletes a
published cell).

- `publish_close` runs when a round closes. The first close publishes the safe cells of
  every statement (app.core.floor). A later close (after a reopen), and a projector snapshot,
  publish a statement's new cells only if the disclosure check (app.core.disclosure) passes
  over all of this round's publications together; otherwise that statement keeps its earlier
  figures and the facilitator is told why.
- `snapshot_spread` freezes one statement's spread for the projector, under the same check.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, insert, select
from sqlmodel import Session

from app.core.disclosure import find_disclosures
from app.core.floor import FIELDS, Cell, HeadCount, Spread, head_count, safe_cells, spread_of
from app.models import Participant, Publication, PublicationMember, PublishedCell, Rating, Round
from app.rounds.queries.publications import CloseOutcome, cell_of, published_cells
from app.rounds.queries.summaries import live_counts

# --- the disclosure check over a round's publications ---------------------------------------


def _forms(cells: list[Cell]) -> list[dict]:
    return [c.figure(name).form for c in cells for name in FIELDS]


def _earlier(session: Session, round_id: int, statement_ids: list[int]):
    """All cells and answer versions this round has published, per statement."""
    cells: dict[int, list[Cell]] = defaultdict(list)
    for row in session.exec(
        select(PublishedCell).where(
            PublishedCell.round_id == round_id, PublishedCell.statement_id.in_(statement_ids)
        )
    ).scalars():
        cells[row.statement_id].append(cell_of(row))
    members: dict[tuple, list] = defaultdict(list)
    rows = session.exec(
        select(
            PublicationMember.publication_id,
            PublicationMember.statement_id,
            Participant.perspective,
            PublicationMember.participant_id,
            PublicationMember.revision,
        )
        .join(Participant, Participant.id == PublicationMember.participant_id)
        .join(Publication, Publication.id == PublicationMember.publication_id)
        .where(Publication.round_id == round_id, PublicationMember.statement_id.in_(statement_ids))
    ).all()
    for pub, statement, perspective, participant, revision in rows:
        members[(pub, statement, perspective)].append((participant, revision))
    return cells, members


def _answers_now(session: Session, round_id: int, statement_ids: list[int]):
    """{statement: [(perspective, participant, revision)]} of the answers saved now."""
    rows = session.exec(
        select(Rating.statement_id, Participant.perspective, Rating.participant_id, Rating.revision)
        .join(Participant, Participant.id == Rating.participant_id)
        .where(Rating.round_id == round_id, Rating.statement_id.in_(statement_ids))
    ).all()
    result: dict[int, list] = defaultdict(list)
    for statement, perspective, participant, revision in rows:
        result[statement].append((perspective, participant, revision))
    return result


def passes(earlier_cells, earlier_members, candidate: list[Cell], answers, pub_id) -> bool:
    """True if publishing `candidate` beside everything published before gives no one away."""
    members = dict(earlier_members)
    for perspective, participant, revision in answers:
        members.setdefault((pub_id, candidate[0].statement_id, perspective), []).append(
            (participant, revision)
        )
    return not find_disclosures(_forms(earlier_cells + candidate), members)


def _choose(statement_id, counts, answers, earlier_cells, earlier_members, pub_id, current):
    """The cells to publish for one statement: new ones if safe, else the earlier ones."""
    candidate = safe_cells(counts, publication_id=pub_id, statement_id=statement_id)
    if not earlier_cells or not candidate:
        return candidate, answers if candidate else [], False
    if passes(earlier_cells, earlier_members, candidate, answers, pub_id):
        return candidate, answers, False
    if current:  # keep the figures of the last close, unchanged
        return current, None, True
    total_only = safe_cells(
        counts, publication_id=pub_id, statement_id=statement_id, breakdown=False
    )
    if total_only and passes(earlier_cells, earlier_members, total_only, answers, pub_id):
        return total_only, answers, False
    return [], [], True


def _write(session: Session, pub: Publication, round_id: int, cells: list[Cell]) -> None:
    if not cells:
        return
    session.execute(
        insert(PublishedCell),
        [
            {
                "publication_id": pub.id,
                "round_id": round_id,
                "statement_id": c.statement_id,
                "group": c.group,
                "perspectives": ",".join(c.perspectives),
                "level_1": c.counts.levels[0],
                "level_2": c.counts.levels[1],
                "level_3": c.counts.levels[2],
                "level_4": c.counts.levels[3],
                "dont_know": c.counts.dont_know,
                "matters_most": c.counts.matters_most,
                "n": c.counts.n,
            }
            for c in cells
        ],
    )


def _write_members(session: Session, pub: Publication, rows: list[dict]) -> None:
    if rows:
        session.execute(insert(PublicationMember), rows)


def _publish(session: Session, round_: Round, kind: str, statement_ids: list[int]):
    """Make one publication over the given statements. Returns it and the statements kept."""
    pub = Publication(round_id=round_.id, kind=kind)
    if kind == "snapshot":
        pub.statement_id = statement_ids[0]
    session.add(pub)
    session.flush()
    counts = live_counts(session, round_.id)
    answers = _answers_now(session, round_.id, statement_ids)
    earlier_cells, earlier_members = _earlier(session, round_.id, statement_ids)
    current_members = _current_members(session, round_)
    current = (
        published_cells(session, [round_.id]).get(round_.id, {}) if round_.publication_id else {}
    )
    cells: list[Cell] = []
    members: list[dict] = []
    kept = 0
    for statement_id in statement_ids:
        chosen, counted, was_kept = _choose(
            statement_id,
            counts.get(statement_id, {}),
            answers.get(statement_id, []),
            earlier_cells.get(statement_id, []),
            earlier_members,
            pub.id,
            current.get(statement_id, []) if kind == "close" else [],
        )
        kept += was_kept
        if counted is None:  # kept: the same cells and answer versions, in this publication
            chosen = [_moved(c, pub.id) for c in chosen]
            counted = current_members.get(statement_id, [])
        cells.extend(chosen)
        if chosen:
            members.extend(
                {
                    "publication_id": pub.id,
                    "statement_id": statement_id,
                    "participant_id": participant,
                    "revision": revision,
                }
                for _, participant, revision in counted
            )
    _write(session, pub, round_.id, cells)
    _write_members(session, pub, members)
    return pub, cells, kept


def _moved(cell: Cell, pub_id: int) -> Cell:
    return Cell(pub_id, cell.statement_id, cell.group, cell.perspectives, cell.counts)


def _current_members(session: Session, round_: Round) -> dict[int, list]:
    if round_.publication_id is None:
        return {}
    rows = session.exec(
        select(
            PublicationMember.statement_id,
            PublicationMember.participant_id,
            PublicationMember.revision,
        ).where(PublicationMember.publication_id == round_.publication_id)
    ).all()
    result: dict[int, list] = defaultdict(list)
    for statement, participant, revision in rows:
        result[statement].append((None, participant, revision))
    return result


def _head_counts(session: Session, round_id: int) -> HeadCount:
    rows = session.exec(
        select(Participant.perspective, func.count())
        .where(Participant.round_id == round_id)
        .group_by(Participant.perspective)
    ).all()
    return head_count({perspective: n for perspective, n in rows})


# --- writing --------------------------------------------------------------------------------


def publish_close(session: Session, round_: Round, statement_ids: list[int]) -> CloseOutcome:
    """Publish a closing round's figures (inside the caller's transaction)."""
    earlier_heads = None
    if round_.publication_id is not None:
        earlier_heads = session.get(Publication, round_.publication_id).heads
    pub, _, kept = _publish(session, round_, "close", statement_ids)
    heads = _head_counts(session, round_.id)
    pub.heads = _safe_heads(heads, earlier_heads)
    pub.kept = kept
    session.add(pub)
    round_.publication_id = pub.id
    session.add(round_)
    session.flush()
    return CloseOutcome(pub, kept)


def _safe_heads(heads: HeadCount, earlier: dict | None) -> dict:
    """Head counts change only in steps of 3 or more per group between closes; otherwise the
    earlier published head counts stay."""
    if earlier is None:
        return heads.as_json()
    before = HeadCount.from_json(earlier)
    if before.total is not None and heads.total is not None:
        if heads.total != before.total and abs(heads.total - before.total) < 3:
            return earlier
    if before.groups and heads.groups:
        for group in set(before.groups) | set(heads.groups):
            change = abs(heads.groups.get(group, 0) - before.groups.get(group, 0))
            if 0 < change < 3:
                return {"total": heads.total, "groups": None}
    return heads.as_json()


def snapshot_spread(session: Session, round_: Round, statement_id: int) -> Spread | None:
    """Freeze the spread of one statement for the projector, if the check allows it.

    Returns the frozen spread, or None ("too few answers to show the spread yet"); either
    way the round shows its spread area until the facilitator hides it."""
    pub, cells, kept = _publish(session, round_, "snapshot", [statement_id])
    round_.spread_shown = True
    round_.snapshot_id = pub.id if cells else None
    session.add(round_)
    session.flush()
    return spread_of(cells) if cells else None
