"""Figures that are not counts (divergence) and head counts, under the same rule."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.core.floor.cells import Spread
from app.core.floor.counts import FEWER_THAN_3, FLOOR, GROUPS, OTHER
from app.core.floor.figures import Figure, Ratio

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
