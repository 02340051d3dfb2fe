"""Making the safe cells of one statement, and reading published cells (one round, or
summed across rounds and teams)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.core.floor.counts import ALL, FLOOR, GROUP_LABELS, GROUPS, OTHER, Counts, combine
from app.core.floor.figures import Cell, Figure, Ratio, total_of

# --- making the safe cells of one statement -------------------------------------------------


def group_counts(perspectives: Mapping[str, Counts]) -> dict[str, tuple[tuple[str, ...], Counts]]:
    """Counts per perspective → {group: (perspectives in it, counts)}, empty groups left out."""
    result = {}
    for name, members in GROUPS.items():
        present = tuple(p for p in members if p in perspectives and perspectives[p].n)
        if present:
            result[name] = (present, combine(perspectives[p] for p in present))
    return result


def safe_cells(
    perspectives: Mapping[str, Counts],
    *,
    publication_id: int,
    statement_id: int,
    breakdown: bool = True,
) -> list[Cell]:
    """The cells that may be published for one statement, from raw counts per perspective.

    The total first (only if 3 or more answered), then the groups of 3 or more, then "other"
    (the small groups together) when it reaches 3 — or no groups at all when it does not.
    `breakdown=False` publishes the total only.
    """
    everyone = tuple(p for p, c in perspectives.items() if c.n)
    total = combine(perspectives[p] for p in everyone)
    if total.n < FLOOR:
        return []

    def cell(group: str, members: tuple[str, ...], counts: Counts) -> Cell:
        return Cell(publication_id, statement_id, group, tuple(sorted(members)), counts)

    cells = [cell(ALL, everyone, total)]
    if not breakdown:
        return cells
    groups = group_counts(perspectives)
    small = [g for g, (_, counts) in groups.items() if counts.n < FLOOR]
    shown = [cell(g, *groups[g]) for g in groups if g not in small]
    if small:
        members = tuple(p for g in small for p in groups[g][0])
        other = combine(groups[g][1] for g in small)
        if other.n < FLOOR:
            return cells
        shown.append(cell(OTHER, members, other))
    return cells + shown


def private_breakdown(perspectives: Mapping[str, Counts]) -> dict[str, Counts]:
    """The facilitator's own screen with "show small groups" on: every group, unfloored.
    Not a publication: never used on any page that anyone else can read."""
    return {g: counts for g, (_, counts) in group_counts(perspectives).items()}


# --- reading published cells ----------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    """The published cells of one statement (one round, or summed across rounds)."""

    total: Cell | Summed | None
    groups: dict[str, Cell | Summed]

    @property
    def shown(self) -> bool:
        return self.total is not None

    @property
    def has_breakdown(self) -> bool:
        return bool(self.groups)

    def side(self, group: str) -> Cell | Summed | None:
        return self.groups.get(group)

    @property
    def side_by_side(self) -> list[Cell | Summed]:
        return [self.groups[g] for g in ("staff_side", "service_user") if g in self.groups]

    @property
    def separately(self) -> list[Cell | Summed]:
        return [self.groups[g] for g in ("carer", "community", OTHER) if g in self.groups]


def spread_of(cells: Iterable[Cell]) -> Spread:
    """One round's published cells of one statement → a Spread."""
    total = None
    groups: dict[str, Cell] = {}
    for c in cells:
        if c.group == ALL:
            total = c
        else:
            groups[c.group] = c
    return Spread(total, groups if total is not None else {})


@dataclass(frozen=True)
class Summed:
    """Published cells of one group added up across rounds or teams (never "other")."""

    group: str
    cells: tuple[Cell, ...]

    def figure(self, name: str) -> Figure:
        return total_of(c.figure(name) for c in self.cells)

    @property
    def counts(self) -> Counts:
        return combine(c.counts for c in self.cells)

    @property
    def n(self) -> Figure:
        return self.figure("n")

    @property
    def given(self) -> Figure:
        return total_of(c.given for c in self.cells)

    @property
    def level_total(self) -> Figure:
        return total_of(c.level_total for c in self.cells)

    @property
    def mean(self) -> Ratio:
        return Ratio(self.level_total, self.given)

    def level(self, level: int) -> Figure:
        return self.figure(f"level_{level}")

    @property
    def dont_know(self) -> Figure:
        return self.figure("dont_know")

    @property
    def matters_most(self) -> Figure:
        return self.figure("matters_most")

    @property
    def label(self) -> str:
        return GROUP_LABELS[self.group]


def summed(cells: Iterable[Cell]) -> Spread:
    """Cells of many rounds (one statement code) → "Everyone" = the sum of published totals,
    each group = the sum of that group's published cells; "other" is left out."""
    by_group: dict[str, list[Cell]] = {}
    for c in cells:
        if c.group == OTHER:
            continue
        by_group.setdefault(c.group, []).append(c)
    totals = by_group.pop(ALL, [])
    if not totals:
        return Spread(None, {})
    return Spread(
        Summed(ALL, tuple(totals)), {g: Summed(g, tuple(cs)) for g, cs in by_group.items()}
    )
