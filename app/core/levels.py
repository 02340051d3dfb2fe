"""Numbers from agreed ratings and plans, which need no anonymity floor (docs/privacy.md).

- A section's level: the mean of its statements' agreed levels, "don't know" and unrated
  left out, shown to one decimal with how many statements it rests on.
- A priority's quadrant: impact × effort.

Figures from individual answers are made only by `app.core.floor`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


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
