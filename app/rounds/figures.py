"""The numbers everyone must compute the same way (design.md), as pure functions.

- A section's level: the mean of its statements' agreed levels, "don't know" and unrated
  left out, shown to one decimal with how many statements it rests on.
- Divergence: mean level of staff (with peer workers) minus that of people using the
  service, "don't know" left out; flagged at 1.0 or more when each side has at least 3
  people who gave a level.
- Anonymity floor: a breakdown by perspective shows only groups of at least 3; smaller
  groups merge into "other"; if "other" is still under 3, no breakdown at all, only the total.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from app.models.base import SERVICE_USER_SIDE, STAFF_SIDE

FLOOR = 3
DIVERGENCE_THRESHOLD = 1.0
LEVELS = (1, 2, 3, 4)
OTHER = "other"


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
    def mean(self) -> float | None:
        if not self.given:
            return None
        return sum(level * count for level, count in zip(LEVELS, self.levels, strict=True)) / (
            self.given
        )

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            levels=tuple(a + b for a, b in zip(self.levels, other.levels, strict=True)),
            dont_know=self.dont_know + other.dont_know,
            matters_most=self.matters_most + other.matters_most,
            n=self.n + other.n,
        )


# The groups shown side by side (in the room and in results): peer support workers count
# with staff; family and community partners are shown on their own.
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
    "all": "Everyone",
}


def by_group(groups: Mapping[str, Counts]) -> dict[str, Counts]:
    """Counts per perspective → counts per shown group (GROUPS), empty groups left out."""
    result: dict[str, Counts] = {}
    for name, members in GROUPS.items():
        counts = combine(groups[p] for p in members if p in groups)
        if counts.n:
            result[name] = counts
    return result


def floored(groups: Mapping[str, Counts]) -> Breakdown:
    """The breakdown shown outside the room: by group, with the anonymity floor applied."""
    return apply_floor(by_group(groups))


def combine(counts: Iterable[Counts]) -> Counts:
    total = Counts()
    for c in counts:
        total = total + c
    return total


@dataclass(frozen=True)
class Breakdown:
    """A breakdown by perspective with the anonymity floor applied.

    `groups` is None when no per-group breakdown may be shown (only `total`).
    """

    total: Counts
    groups: dict[str, Counts] | None
    merged: tuple[str, ...] = field(default_factory=tuple)


def apply_floor(groups: Mapping[str, Counts], minimum: int = FLOOR) -> Breakdown:
    total = combine(groups.values())
    shown: dict[str, Counts] = {}
    small: list[str] = []
    for name, counts in groups.items():
        if counts.n == 0:
            continue
        if counts.n >= minimum:
            shown[name] = counts
        else:
            small.append(name)
    if small:
        other = combine(groups[name] for name in small)
        if other.n < minimum:
            return Breakdown(total=total, groups=None, merged=tuple(small))
        shown[OTHER] = other
    return Breakdown(total=total, groups=shown, merged=tuple(small))


@dataclass(frozen=True)
class Divergence:
    staff_mean: float | None
    service_user_mean: float | None
    staff_given: int
    service_user_given: int

    @property
    def difference(self) -> float | None:
        if self.staff_mean is None or self.service_user_mean is None:
            return None
        return self.staff_mean - self.service_user_mean

    @property
    def flagged(self) -> bool:
        diff = self.difference
        return (
            diff is not None
            and abs(diff) >= DIVERGENCE_THRESHOLD - 1e-9
            and self.staff_given >= FLOOR
            and self.service_user_given >= FLOOR
        )

    @property
    def may_show_means(self) -> bool:
        """Outside the room, each side's mean is shown only for 3 or more people."""
        return self.staff_given >= FLOOR and self.service_user_given >= FLOOR


def divergence(groups: Mapping[str, Counts]) -> Divergence:
    staff = combine(groups[p] for p in STAFF_SIDE if p in groups)
    users = combine(groups[p] for p in SERVICE_USER_SIDE if p in groups)
    return Divergence(staff.mean, users.mean, staff.given, users.given)


@dataclass(frozen=True)
class SectionLevel:
    mean: float | None
    n: int  # statements the mean rests on

    @property
    def shown(self) -> str:
        return "–" if self.mean is None else f"{self.mean:.1f}"


def section_level(agreed_levels: Iterable[int | None]) -> SectionLevel:
    """Agreed levels of a section's statements; None ("don't know" or unrated) left out."""
    given = [level for level in agreed_levels if level is not None]
    if not given:
        return SectionLevel(None, 0)
    return SectionLevel(sum(given) / len(given), len(given))


def quadrant(impact: str, effort: str) -> str:
    """Impact × effort → quick win, major project, fill-in, think again."""
    return {
        ("high", "low"): "quick win",
        ("high", "high"): "major project",
        ("low", "low"): "fill-in",
        ("low", "high"): "think again",
    }[(impact, effort)]


def means_shown(groups: Mapping[str, Counts]) -> bool:
    """Outside the room, each side's mean is shown only when each side has 3 or more people
    who gave a level AND the floor allows a breakdown: otherwise a small group (say two
    carers) could be worked out by subtracting both sides from the total."""
    return divergence(groups).may_show_means and floored(groups).groups is not None
