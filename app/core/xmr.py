"""XmR (individuals and moving range) charts, the NHS "Making Data Count" way. Pure: numbers
in, numbers and signals out; no database, no dates.

- the centre line is the mean of the points;
- the moving range is |x[i] - x[i-1]|; its mean is the mean moving range;
- the process limits are mean ± 2.66 × mean moving range;
- signals (special cause variation), each naming the points it covers:
  * "outside": a point above the upper or below the lower process limit;
  * "run": 7 or more points in a row on one side of the mean (a point on the mean
    breaks the run);
  * "trend": 6 or more points in a row each higher (or each lower) than the one
    before (an equal point breaks it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

LIMIT_FACTOR = 2.66
RUN = 7  # points on one side of the mean
TREND = 6  # points rising or falling
MIN_POINTS_FOR_LIMITS = 12  # a team's own chart shows limits only from this many points

SIGNAL_WORDS = {
    "outside": "outside the process limits",
    "run": f"{RUN} or more in a row on one side of the average",
    "trend": f"{TREND} or more in a row rising or falling",
}


@dataclass(frozen=True)
class Point:
    value: float
    signals: tuple[str, ...] = ()  # "outside", "run", "trend" (in that order)
    side: str = ""  # "high" or "low": which way a signal points ("" when none)


@dataclass(frozen=True)
class XmR:
    points: tuple[Point, ...]
    mean: float | None
    mean_moving_range: float | None
    upper: float | None  # upper process limit
    lower: float | None  # lower process limit
    signals: dict[str, list[int]] = field(default_factory=dict)  # kind → point indexes

    @property
    def has_limits(self) -> bool:
        return self.upper is not None


def _sign(number: float) -> int:
    return (number > 0) - (number < 0)


def _runs(values: Sequence[float], mean: float) -> set[int]:
    found: set[int] = set()
    start, side = 0, 0
    for index, value in enumerate(values):
        now = _sign(value - mean)
        if now == 0:  # on the mean: the run is broken
            side = 0
            continue
        if now != side:
            start, side = index, now
        if index - start + 1 >= RUN:
            found.update(range(start, index + 1))
    return found


def _trends(values: Sequence[float]) -> dict[int, int]:
    """{point index: +1 rising or -1 falling} of the points in a trend."""
    found: dict[int, int] = {}
    start, way = 0, 0
    for index in range(1, len(values)):
        step = _sign(values[index] - values[index - 1])
        if step == 0:  # an equal point breaks it
            start, way = index, 0
            continue
        if step != way:
            start, way = index - 1, step
        if index - start + 1 >= TREND:
            found.update(dict.fromkeys(range(start, index + 1), step))
    return found


def xmr(values: Sequence[float], *, min_points: int = 2) -> XmR:
    """The chart of `values` in order; limits and signals only from `min_points` points
    (at least 2: a moving range needs two)."""
    values = [float(v) for v in values]
    if not values:
        return XmR((), None, None, None, None, {})
    mean = sum(values) / len(values)
    if len(values) < max(2, min_points):
        return XmR(tuple(Point(v) for v in values), mean, None, None, None, {})
    ranges = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    mr = sum(ranges) / len(ranges)
    upper, lower = mean + LIMIT_FACTOR * mr, mean - LIMIT_FACTOR * mr
    outside = {i for i, v in enumerate(values) if v > upper or v < lower}
    trends = _trends(values)
    signals = {
        "outside": sorted(outside),
        "run": sorted(_runs(values, mean)),
        "trend": sorted(trends),
    }
    points = []
    for index, value in enumerate(values):
        kinds = tuple(kind for kind in ("outside", "run", "trend") if index in signals[kind])
        side = ""
        if kinds:
            # higher is better here: a signal above the mean (or a rise) is "high"
            up = trends[index] > 0 if kinds == ("trend",) else value > mean
            side = "high" if up else "low"
        points.append(Point(value, kinds, side))
    return XmR(tuple(points), mean, mr, upper, lower, {k: v for k, v in signals.items() if v})
