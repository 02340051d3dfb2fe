"""Compare's read models, split by what they read: the teams and their labels (teams), the
matrix rows (matrix, its SQL in matrix_sql), one statement across teams (statement) and
the trend and shared priorities (trend). Other domains use the names below."""

from app.compare.queries.cells import LongRow, long_rows
from app.compare.queries.matrix import COLUMNS, Cell, TeamRow, build_rows, sort_rows
from app.compare.queries.statement import StatementView, build_view
from app.compare.queries.teams import (
    SECTION_CODES,
    TeamFilter,
    labelled_teams,
    section_levels_of_rounds,
)
from app.compare.queries.trend import common_priorities, trend

__all__ = [
    "COLUMNS",
    "SECTION_CODES",
    "Cell",
    "StatementView",
    "TeamFilter",
    "TeamRow",
    "build_rows",
    "build_view",
    "common_priorities",
    "LongRow",
    "labelled_teams",
    "long_rows",
    "section_levels_of_rounds",
    "sort_rows",
    "trend",
]
