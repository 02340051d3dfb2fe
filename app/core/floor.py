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

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

FLOOR = 3
LEVELS = (1, 2, 3, 4)
OTHER = "other"
ALL = "all"
ANSWER_FIELDS = ("level_1", "level_2", "level_3", "level_4", "dont_know")
FIELDS = (*ANSWER_FIELDS, "matters_most", "n")

STAFF_SIDE = ("staff", "peer_worker")
SERVICE_USER_SIDE = ("service_user",)
# The groups shown side by side: peer support workers count with staff; family and
# community partners are shown on their own.
GROUPS: dict[str, tuple[str, ...]] = {
    "staff_side": STAFF_SIDE,
    "service_user": SERVICE_USER_SIDE,
    "carer": ("carer",),
    "community": ("community",),
}
GROUP_LABELS: dict[str, str] = {
    "staff_side": "Staff and peer support workers",
    "service_user": "People using the service",
    "carer": "Family, friends and carers",
    "community": "Community partners",
    OTHER: "Other perspectives together",
    ALL: "Everyone",
}
FEWER_THAN_3 = "fewer than 3"


# --- counts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """How one group answered one statement."""

    levels: tuple[int, int, int, int] = (0, 0, 0, 0)
    dont_know: int = 0
    matters_most: int = 0
    n: int = 0  # people who answered (a level or "don't know")

    @property
    def given(self) -> int:
        """People who gave a level."""
        return sum(self.levels)

    @property
    def level_total(self) -> int:
        return sum(level * count for level, count in zip(LEVELS, self.levels, strict=True))

    @property
    def mean(self) -> float | None:
        return self.level_total / self.given if self.given else None

    def get(self, name: str) -> int:
        if name.startswith("level_"):
            return self.levels[int(name[6:]) - 1]
        return getattr(self, name)

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            levels=tuple(a + b for a, b in zip(self.levels, other.levels, strict=True)),
            dont_know=self.dont_know + other.dont_know,
            matters_most=self.matters_most + other.matters_most,
            n=self.n + other.n,
        )


def combine(counts: Iterable[Counts]) -> Counts:
    total = Counts()
    for c in counts:
        total = total + c
    return total


# --- figures and their linear forms ---------------------------------------------------------

# A hidden count: (publication id, statement id, perspective, field).
Atom = tuple[int, int, str, str]


@dataclass(frozen=True)
class Figure:
    """A published number and the hidden counts it adds up ({atom: coefficient})."""

    value: int
    form: Mapping[Atom, int] = field(default_factory=dict)

    def __add__(self, other: Figure) -> Figure:
        form = dict(self.form)
        for atom, coefficient in other.form.items():
            form[atom] = form.get(atom, 0) + coefficient
        return Figure(self.value + other.value, {a: c for a, c in form.items() if c})

    def times(self, k: int) -> Figure:
        return Figure(self.value * k, {a: c * k for a, c in self.form.items()})

    @property
    def key(self) -> str:
        """The form, written out for templates (`data-form`): `pub.statement.persp.field*k`
        terms joined by spaces, sorted."""
        return " ".join(
            f"{p}.{s}.{persp}.{name}*{c}" for (p, s, persp, name), c in sorted(self.form.items())
        )


def total_of(figures: Iterable[Figure]) -> Figure:
    result = Figure(0)
    for f in figures:
        result = result + f
    return result


@dataclass(frozen=True)
class Ratio:
    """A mean or share: published as its numerator and denominator (rounding ignored)."""

    numerator: Figure
    denominator: Figure

    @property
    def value(self) -> float | None:
        if not self.denominator.value:
            return None
        return self.numerator.value / self.denominator.value

    @property
    def exact(self) -> Fraction | None:
        if not self.denominator.value:
            return None
        return Fraction(self.numerator.value, self.denominator.value)

    @property
    def shown(self) -> str:
        value = self.value
        return "–" if value is None else f"{value:.1f}"


@dataclass(frozen=True)
class Cell:
    """One published group cell of one statement in one publication."""

    publication_id: int
    statement_id: int
    group: str  # a key of GROUPS, OTHER or ALL
    perspectives: tuple[str, ...]
    counts: Counts

    def figure(self, name: str) -> Figure:
        form = {(self.publication_id, self.statement_id, p, name): 1 for p in self.perspectives}
        return Figure(self.counts.get(name), form)

    @property
    def n(self) -> Figure:
        return self.figure("n")

    @property
    def given(self) -> Figure:
        return total_of(self.figure(f"level_{level}") for level in LEVELS)

    @property
    def level_total(self) -> Figure:
        return total_of(self.figure(f"level_{level}").times(level) for level in LEVELS)

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


# --- figures that are not counts ------------------------------------------------------------

DIVERGENCE_THRESHOLD = 1.0


@dataclass(frozen=True)
class Divergence:
    """Staff (with peer workers) minus people using the service, from published cells only.

    `comparable` is False when either side is not published or has fewer than 3 people who
    gave a level: then there is no flag and no means ("too few to compare")."""

    staff: Ratio | None
    service_user: Ratio | None

    @property
    def comparable(self) -> bool:
        return (
            self.staff is not None
            and self.service_user is not None
            and self.staff.denominator.value >= FLOOR
            and self.service_user.denominator.value >= FLOOR
        )

    @property
    def difference(self) -> float | None:
        if not self.comparable:
            return None
        return self.staff.value - self.service_user.value

    @property
    def flagged(self) -> bool:
        diff = self.difference
        return diff is not None and abs(diff) >= DIVERGENCE_THRESHOLD - 1e-9

    @property
    def figures(self) -> list[Figure]:
        """What a flag (or the means beside it) publishes: both sides' numerator and
        denominator."""
        if not self.comparable:
            return []
        return [
            self.staff.numerator,
            self.staff.denominator,
            self.service_user.numerator,
            self.service_user.denominator,
        ]


def divergence_of(spread: Spread) -> Divergence:
    staff = spread.side("staff_side")
    users = spread.side("service_user")
    return Divergence(staff.mean if staff else None, users.mean if users else None)


# --- head counts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HeadCount:
    """How many people took part, by group, under the same rule as a breakdown.

    `total` is None when fewer than 3 took part; `groups` is None when no breakdown may be
    shown (then only the total)."""

    total: int | None
    groups: dict[str, int] | None

    @property
    def shown_total(self) -> str:
        return FEWER_THAN_3 if self.total is None else str(self.total)

    def as_json(self) -> dict:
        return {"total": self.total, "groups": self.groups}

    @classmethod
    def from_json(cls, data: Mapping | None) -> HeadCount:
        if not data:
            return cls(None, None)
        return cls(data.get("total"), data.get("groups"))


def head_count(per_perspective: Mapping[str, int]) -> HeadCount:
    total = sum(per_perspective.values())
    if total < FLOOR:
        return HeadCount(None, None)
    groups = {g: sum(per_perspective.get(p, 0) for p in members) for g, members in GROUPS.items()}
    groups = {g: n for g, n in groups.items() if n}
    small = [g for g, n in groups.items() if n < FLOOR]
    shown = {g: n for g, n in groups.items() if g not in small}
    if small:
        other = sum(groups[g] for g in small)
        if other < FLOOR:
            return HeadCount(total, None)
        shown[OTHER] = other
    return HeadCount(total, shown)


def add_head_counts(counts: Iterable[HeadCount]) -> HeadCount:
    """Across rounds: the sum of published totals and of each group's published counts
    ("other" never added)."""
    counts = list(counts)
    totals = [c.total for c in counts if c.total is not None]
    if not totals:
        return HeadCount(None, None)
    groups: dict[str, int] = {}
    for c in counts:
        for g, n in (c.groups or {}).items():
            if g != OTHER:
                groups[g] = groups.get(g, 0) + n
    return HeadCount(sum(totals), groups or None)
