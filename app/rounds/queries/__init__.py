"""Rounds' read models. Other domains read rounds through this module only:

from app.rounds import queries as rounds_queries
rounds_queries.published_spreads(session, round_id)
rounds_queries.section_levels(session, round_id)
"""

from app.rounds.queries.levels import previous_round, section_levels, statement_levels
from app.rounds.queries.publications import (
    KEPT_REASON,
    TOO_FEW_YET,
    CellsByRound,
    CloseOutcome,
    kept_message,
    published_cells,
    published_heads,
    published_spreads,
    snapshot_for_projector,
)
from app.rounds.queries.results import RoundResults, build_results
from app.rounds.queries.rounds import (
    MODES,
    STATUS_LABELS,
    agreed_ratings,
    default_framework,
    find_agreed,
    framework_statements,
    round_statements,
    sections_for_round,
    statement_in_round,
    team_rounds,
)
from app.rounds.queries.summaries import CountsByStatement, live_counts, stored_counts

__all__ = [
    "KEPT_REASON",
    "MODES",
    "STATUS_LABELS",
    "TOO_FEW_YET",
    "CellsByRound",
    "CloseOutcome",
    "CountsByStatement",
    "RoundResults",
    "agreed_ratings",
    "build_results",
    "default_framework",
    "find_agreed",
    "framework_statements",
    "kept_message",
    "live_counts",
    "previous_round",
    "published_cells",
    "published_heads",
    "published_spreads",
    "round_statements",
    "section_levels",
    "sections_for_round",
    "snapshot_for_projector",
    "statement_in_round",
    "statement_levels",
    "stored_counts",
    "team_rounds",
]
