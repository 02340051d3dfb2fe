"""Counts of answers, the groups they are shown in, and their labels."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.core.i18n import N_

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
GROUP_LABELS: dict[str, str] = {  # English here, translated where shown (`| t`)
    "staff_side": N_("Staff and peer support workers"),
    "service_user": N_("People using the service"),
    "carer": N_("Family, friends and carers"),
    "community": N_("Community partners"),
    OTHER: N_("Other perspectives together"),
    ALL: N_("Everyone"),
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
