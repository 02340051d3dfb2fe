"""Trend charts as SVG drawn on the server (no JavaScript): an XmR chart in the NHS "Making
Data Count" way — the points joined by a line, the mean, and the process limits (mean ±
2.66 × mean moving range, app.core.xmr) — or, with too few points for limits, a plain
line. A signalling point is marked by colour, by shape (a triangle pointing up for a rise,
down for a fall) and in words in the table beside the chart, never by colour alone.

Only geometry is here; templates/compare/_chart.html writes the SVG."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.core.i18n import N_, _
from app.core.xmr import RUN, TREND, XmR, xmr

# app.core.xmr's SIGNAL_WORDS, marked for the Welsh catalogue (the numbers as placeholders)
SIGNAL_WORDS = {
    "outside": N_("outside the process limits"),
    "run": N_("%(run)s or more in a row on one side of the average"),
    "trend": N_("%(trend)s or more in a row rising or falling"),
}
SIGNAL_COUNTS = {"run": RUN, "trend": TREND}

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 44


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    label: str  # "2026 Q1", or a round's date
    value: float
    kinds: tuple[str, ...]
    side: str  # "high", "low" or ""

    @property
    def words(self) -> str:
        """The signals in words ("" when none), for the table beside the chart."""
        if not self.kinds:
            return ""
        head = _("Signal (higher):") if self.side == "high" else _("Signal (lower):")
        return head + " " + "; ".join(_(SIGNAL_WORDS[k]) % SIGNAL_COUNTS for k in self.kinds)


@dataclass(frozen=True)
class Chart:
    points: tuple[ChartPoint, ...]
    chart: XmR
    y_ticks: tuple[tuple[float, str], ...]
    mean_y: float | None
    upper_y: float | None
    lower_y: float | None
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def line(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def left(self) -> int:
        return LEFT

    @property
    def right(self) -> int:
        return WIDTH - RIGHT

    @property
    def x_labels(self) -> list[ChartPoint]:
        """At most 8 labels under the axis, evenly spread."""
        step = max(1, -(-len(self.points) // 8))
        return [p for i, p in enumerate(self.points) if i % step == 0]

    @property
    def signalling(self) -> list[ChartPoint]:
        return [p for p in self.points if p.kinds]


def build_chart(labels: Sequence[str], values: Sequence[float], *, min_points: int = 2) -> Chart:
    """The chart of values (levels 1 to 4) in order, labelled; limits from `min_points`."""
    chart = xmr(values, min_points=min_points)
    low, high = 1.0, 4.0
    if chart.has_limits:
        low, high = min(low, chart.lower), max(high, chart.upper)
    low, high = max(0.0, low), min(5.0, high)

    def y_of(value: float) -> float:
        value = min(high, max(low, value))
        return TOP + (high - value) / (high - low) * (HEIGHT - TOP - BOTTOM)

    inner = WIDTH - LEFT - RIGHT
    count = len(chart.points)
    points = tuple(
        ChartPoint(
            LEFT + (inner * i / (count - 1) if count > 1 else inner / 2),
            y_of(p.value),
            labels[i],
            p.value,
            p.signals,
            p.side,
        )
        for i, p in enumerate(chart.points)
    )
    ticks = tuple((y_of(level), str(level)) for level in (1, 2, 3, 4))
    return Chart(
        points,
        chart,
        ticks,
        None if chart.mean is None else y_of(chart.mean),
        y_of(chart.upper) if chart.has_limits else None,
        y_of(chart.lower) if chart.has_limits else None,
    )
