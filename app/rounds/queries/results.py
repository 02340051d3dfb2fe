"""A round's results: section levels, agreed levels, how people rated each statement, the
divergence between staff and people using the service, strengths, gaps and the change since
the team's previous round on the same framework key.

A closed round's figures (everyone who may see the team) come only from its publications
(`queries.publications`): nothing here floors raw counts. An
open round's results are for its facilitators only, worked out live and floored per moment
unless "show small groups on this screen only" is on (`queries.room`). Agreed levels and
section levels (`queries.levels`) come from agreed ratings and need no floor.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from app.core.floor import OTHER, Cell, Divergence, HeadCount, Spread, divergence_of
from app.core.i18n import N_, _
from app.core.levels import SectionLevel, section_level
from app.models import AgreedRating, Framework, Rating, Round, Section, Statement
from app.rounds.queries.levels import previous_round, section_levels, statement_levels
from app.rounds.queries.publications import published_heads, published_spreads
from app.rounds.queries.room import live_heads, live_spreads
from app.rounds.queries.rounds import agreed_ratings, sections_for_round

# --- the results page ----------------------------------------------------------------------

GROUP_ORDER = ("staff_side", "service_user", "carer", "community", OTHER)
# How head counts read in a sentence ("4 staff and peer support workers, 3 …").
# Translated where shown (templates/rounds/results.html: `words | t`).
HEAD_WORDS = {
    "staff_side": N_("staff and peer support workers"),
    "service_user": N_("people using the service"),
    "carer": N_("family, friends and carers"),
    "community": N_("community partners"),
    OTHER: N_("from other groups together"),
}
NO_SPREAD = Spread(None, {})


@dataclass(frozen=True)
class Change:
    before: float
    after: float
    since: str  # the previous round's title

    @property
    def difference(self) -> float:
        return round(self.after - self.before, 1)

    @property
    def arrow(self) -> str:
        return "▲" if self.difference > 0 else "▼" if self.difference < 0 else "="

    @property
    def shown(self) -> str:
        d = self.difference
        return f"{d:+.1f}" if d else "0.0"

    @property
    def words(self) -> str:
        d = self.difference
        if d == 0:
            return _("no change since %(round)s") % {"round": self.since}
        values = {"change": f"{abs(d):.1f}", "round": self.since, "before": f"{self.before:.1f}"}
        if d > 0:
            return _("up %(change)s since %(round)s, from %(before)s") % values
        return _("down %(change)s since %(round)s, from %(before)s") % values


@dataclass
class StatementResult:
    statement: Statement
    agreed: AgreedRating | None
    spread: Spread  # published (closed) or the facilitator's live spread (open)
    comments: list[str] = field(default_factory=list)
    change: Change | None = None

    @property
    def level(self) -> int | None:
        return self.agreed.level if self.agreed else None

    @property
    def divergence(self) -> Divergence:
        return divergence_of(self.spread)

    @property
    def rows(self) -> list[Cell]:
        """The shown cells: "Everyone" first, then each shown group in a fixed order."""
        if self.spread.total is None:
            return []
        groups = self.spread.groups
        return [self.spread.total, *(groups[g] for g in GROUP_ORDER if g in groups)]


@dataclass
class SectionResult:
    section: Section
    level: SectionLevel
    statements: list[StatementResult]
    change: Change | None = None


@dataclass
class RoundResults:
    round: Round
    framework: Framework
    live: bool
    sections: list[SectionResult]
    heads: HeadCount
    previous: Round | None
    small_shown: bool = False  # the facilitator's "show small groups on this screen only"
    strengths: list[StatementResult] = field(default_factory=list)
    gaps: list[StatementResult] = field(default_factory=list)
    diverging: list[StatementResult] = field(default_factory=list)

    @property
    def statements(self) -> list[StatementResult]:
        return [s for section in self.sections for s in section.statements]

    @property
    def took_part(self) -> list[tuple[int, str]]:
        """(count, words) per shown group of the head count (empty: the total only)."""
        groups = self.heads.groups or {}
        return [(groups[g], HEAD_WORDS[g]) for g in GROUP_ORDER if g in groups]


def round_spreads(session: Session, round_: Round, *, show_small: bool) -> dict[int, Spread]:
    """Closed: the published spreads; open: live for its facilitators; draft: nothing."""
    if round_.status == "closed":
        return published_spreads(session, round_.id)
    if round_.status == "open":
        return live_spreads(session, round_.id, show_small=show_small)
    return {}


def round_heads(session: Session, round_: Round, *, show_small: bool) -> HeadCount:
    if round_.status == "closed":
        return published_heads(session, [round_.id])[round_.id]
    if round_.status == "open":
        return live_heads(session, round_.id, show_small=show_small)
    return HeadCount(None, None)


def round_comments(session: Session, round_id: int) -> dict[int, list[str]]:
    """Comments not hidden, by statement (for the team's own people only)."""
    rows = session.exec(
        select(Rating.statement_id, Rating.comment)
        .where(
            Rating.round_id == round_id,
            Rating.comment.is_not(None),
            Rating.comment != "",
            Rating.comment_hidden.is_(False),
        )
        .order_by(Rating.statement_id, Rating.updated_at, Rating.id)
    ).all()
    result: dict[int, list[str]] = {}
    for statement_id, comment in rows:
        result.setdefault(statement_id, []).append(comment)
    return result


def _change(before: float | None, after: float | None, since: str) -> Change | None:
    if before is None or after is None:
        return None
    return Change(float(before), float(after), since)


def build_results(
    session: Session, round_: Round, *, with_comments: bool, show_small: bool = False
) -> RoundResults:
    """`show_small` counts only on an open round (its facilitators' own screen)."""
    show_small = show_small and round_.status == "open"
    spreads = round_spreads(session, round_, show_small=show_small)
    agreed = agreed_ratings(session, round_.id)
    comments = round_comments(session, round_.id) if with_comments else {}
    previous = previous_round(session, round_)
    before_statements = statement_levels(session, previous.id) if previous else {}
    before_sections = section_levels(session, previous.id) if previous else {}
    since = previous.title if previous else ""
    sections: list[SectionResult] = []
    for section, statements in sections_for_round(session, round_):
        results = []
        for statement in statements:
            row = agreed.get(statement.id)
            results.append(
                StatementResult(
                    statement=statement,
                    agreed=row,
                    spread=spreads.get(statement.id, NO_SPREAD),
                    comments=comments.get(statement.id, []),
                    change=_change(
                        before_statements.get(statement.code), row.level if row else None, since
                    ),
                )
            )
        level = section_level(r.level for r in results)
        before = before_sections.get(section.code)
        sections.append(
            SectionResult(
                section=section,
                level=level,
                statements=results,
                change=_change(before.mean if before else None, level.mean, since),
            )
        )
    results = RoundResults(
        round=round_,
        framework=session.get(Framework, round_.framework_id),
        live=round_.status == "open",
        sections=sections,
        heads=round_heads(session, round_, show_small=show_small),
        previous=previous,
        small_shown=show_small,
    )
    _strengths_and_gaps(results)
    return results


def _strengths_and_gaps(results: RoundResults) -> None:
    """Strengths: agreed 4 (or, if none, the highest agreed). Gaps: the lowest agreed, when
    lower than the strengths. Diverging: the flagged statements (only where both sides are
    published and comparable)."""
    rated = [s for s in results.statements if s.level is not None]
    results.diverging = [s for s in results.statements if s.divergence.flagged]
    if not rated:
        return
    top = max(s.level for s in rated)
    low = min(s.level for s in rated)
    results.strengths = [s for s in rated if s.level == top]
    results.gaps = [s for s in rated if s.level == low] if low < top else []
