"""The anonymity floor: the one module that makes every published figure (docs/privacy.md).

Per round, statement and group it makes the *safe cells*: a group of 3 or more people is
shown; smaller groups merge into "other"; if "other" is still under 3 there is no breakdown,
only the total; a total resting on fewer than 3 answers is not shown at all.

Readers never floor raw counts themselves: they read a round's published cells (see
`app.rounds.publications`) and combine them with the functions here. Every `Figure` carries
its *linear form*: which hidden counts — (publication, statement, perspective, field) — it
adds up, with what coefficient. The disclosure check (`app.core.disclosure`) and the tests
read these forms to prove that no one can work out how one or two people answered.

Across rounds and teams: "Everyone" is the sum of the published totals, a group is the sum of
that group's published cells, and "other" is never added across rounds (its make-up differs
from round to round, so a sum of "other" cells means nothing).
"""

from app.core.floor.cells import (
    Spread,
    Summed,
    group_counts,
    private_breakdown,
    safe_cells,
    spread_of,
    summed,
)
from app.core.floor.counts import (
    ALL,
    ANSWER_FIELDS,
    FEWER_THAN_3,
    FIELDS,
    FLOOR,
    GROUP_LABELS,
    GROUPS,
    LEVELS,
    OTHER,
    SERVICE_USER_SIDE,
    STAFF_SIDE,
    Counts,
    combine,
)
from app.core.floor.figures import Atom, Cell, Figure, Ratio, total_of
from app.core.floor.heads import (
    DIVERGENCE_THRESHOLD,
    Divergence,
    HeadCount,
    add_head_counts,
    divergence_of,
    head_count,
)

__all__ = [
    "ALL",
    "ANSWER_FIELDS",
    "DIVERGENCE_THRESHOLD",
    "FEWER_THAN_3",
    "FIELDS",
    "FLOOR",
    "GROUPS",
    "GROUP_LABELS",
    "LEVELS",
    "OTHER",
    "SERVICE_USER_SIDE",
    "STAFF_SIDE",
    "Atom",
    "Cell",
    "Counts",
    "Divergence",
    "Figure",
    "HeadCount",
    "Ratio",
    "Spread",
    "Summed",
    "add_head_counts",
    "combine",
    "divergence_of",
    "group_counts",
    "head_count",
    "private_breakdown",
    "safe_cells",
    "spread_of",
    "summed",
    "total_of",
]
