"""Team home's read models: a timeline of the team's work and the trend of section levels
(with the chart's coordinates)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from app.core.i18n import N_
from app.models import Celebration, Plan, Review, Round, Section
from app.rounds import queries as rounds_queries

# the chart's drawing area (SVG user units)
WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 64, 16, 40


@dataclass
class TimelineItem:
    on: date
    kind: str  # round | review | celebration | plan
    title: str
    href: str | None = None
    detail: str = ""


def timeline(session: Session, team_id: int, *, inside: bool) -> list[TimelineItem]:
    items: list[TimelineItem] = []
    for r in session.exec(select(Round).where(Round.team_id == team_id)):
        status = {
            "draft": N_("Benchmarking round, being set up"),
            "open": N_("Benchmarking round, open now"),
            "closed": N_("Benchmarking round, finished"),
        }
        items.append(
            TimelineItem(
                r.held_on,
                "round",
                r.title,
                f"/rounds/{r.id}/results" if r.status == "closed" else None,
                status.get(r.status, r.status),
            )
        )
    plans = list(session.exec(select(Plan).where(Plan.team_id == team_id)))
    for p in plans:
        if p.agreed_on:
            items.append(
                TimelineItem(p.agreed_on, "plan", p.title, f"/plans/{p.id}", N_("Plan agreed"))
            )
    plan_ids = [p.id for p in plans]
    if plan_ids:
        for review in session.exec(select(Review).where(Review.plan_id.in_(plan_ids))):
            items.append(
                TimelineItem(
                    review.held_on, "review", N_("Plan review"), f"/reviews/{review.id}", ""
                )
            )
    if inside:
        for c in session.exec(select(Celebration).where(Celebration.team_id == team_id)):
            items.append(TimelineItem(c.on, "celebration", c.text, None, "Celebration"))
    order = {"celebration": 0, "review": 1, "plan": 2, "round": 3}
    items.sort(key=lambda i: (i.on, -order[i.kind]), reverse=True)
    return items


@dataclass
class Series:
    code: str
    title: str
    values: list[float | None]
    counts: list[int]
    points: list[tuple[float, float, str]] = field(default_factory=list)
    path: str = ""
    index: int = 0


@dataclass
class Trend:
    rounds: list[Round]
    series: list[Series]
    xs: list[float]
    gridlines: list[tuple[int, float]]
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def empty(self) -> bool:
        return not self.rounds


def _y(level: float) -> float:
    return TOP + (4 - level) / 3 * (HEIGHT - TOP - BOTTOM)


def trend(session: Session, team_id: int) -> Trend:
    rounds = list(
        session.exec(
            select(Round)
            .where(Round.team_id == team_id, Round.status == "closed")
            .order_by(Round.held_on, Round.id)
        )
    )
    gridlines = [(level, _y(level)) for level in (1, 2, 3, 4)]
    if not rounds:
        return Trend([], [], [], gridlines)
    levels = [rounds_queries.section_levels(session, r.id) for r in rounds]
    titles: dict[str, str] = {}
    for r in rounds:  # later rounds' titles win
        for s in session.exec(select(Section).where(Section.framework_id == r.framework_id)):
            titles[s.code] = s.title
    codes = sorted(titles, key=lambda c: (len(c), c))
    span = WIDTH - LEFT - RIGHT
    xs = [
        LEFT + (span / 2 if len(rounds) == 1 else span * i / (len(rounds) - 1))
        for i in range(len(rounds))
    ]
    series = []
    for index, code in enumerate(codes):
        values = [lv[code].mean if code in lv else None for lv in levels]
        counts = [lv[code].n if code in lv else 0 for lv in levels]
        s = Series(code, titles[code], values, counts, index=index % 10)
        s.points = [
            (x, _y(v), f"{v:.1f}") for x, v in zip(xs, values, strict=True) if v is not None
        ]
        s.path = " ".join(
            f"{'M' if i == 0 else 'L'} {x:.1f} {y:.1f}" for i, (x, y, _) in enumerate(s.points)
        )
        series.append(s)
    return Trend(rounds, series, xs, gridlines)
