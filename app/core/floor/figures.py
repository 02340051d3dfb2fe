"""Published numbers and their linear forms; one published group cell."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from app.core.floor.counts import GROUP_LABELS, LEVELS, Counts

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
