"""The results page, and the geometry of its accessible SVG chart of section levels (drawn
in the template with classes only, no inline styles)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response
from sqlmodel import Session

from app.core.i18n import N_
from app.rounds.deps import RoundAccess
from app.rounds.pages.common import common, level_labels, page_title
from app.rounds.pages.projector_words import ProjectorWords, page_words, read_framework
from app.rounds.queries.results import RoundResults, build_results
from app.web import render

LABEL_WIDTH = 56
BAR_WIDTH = 480
ROW_HEIGHT = 40
BAR_HEIGHT = 26
TOP = 30
MAX_LEVEL = 4


@dataclass(frozen=True)
class Bar:
    code: str
    title: str
    shown: str
    y: float
    width: float
    rests_on: int


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int
    ticks: list[tuple[int, float]]  # (level, x)


def section_chart(results: RoundResults, words: ProjectorWords) -> Chart:
    bars = []
    for index, section in enumerate(results.sections):
        mean = section.level.mean or 0.0
        bars.append(
            Bar(
                code=section.section.code,
                title=words.section(section.section),
                shown=section.level.shown,
                y=TOP + index * ROW_HEIGHT,
                width=round(BAR_WIDTH * mean / MAX_LEVEL, 1),
                rests_on=section.level.n,
            )
        )
    return Chart(
        bars=bars,
        width=LABEL_WIDTH + BAR_WIDTH + 48,
        height=TOP + len(bars) * ROW_HEIGHT + 8,
        label_width=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
        ticks=[(level, LABEL_WIDTH + BAR_WIDTH * level / MAX_LEVEL) for level in range(5)],
    )


def show_results(request: Request, session: Session, loaded: RoundAccess, small: bool) -> Response:
    """Open: its facilitators only, live (floored unless small groups are shown on this
    screen); closed: from the round's publications. Comments only for the team's own people."""
    round_, access = loaded.round, loaded.access
    small = small and access.is_facilitator
    results = build_results(session, round_, with_comments=access.inside, show_small=small)
    context = common(session, round_, access.team)
    words = page_words(request, session, context["framework"])  # the reader's language
    framework = read_framework(words)
    context.update(
        page_title=page_title(request, N_("Results – %(title)s"), title=round_.title),
        access=access,
        results=results,
        chart=section_chart(results, words),
        words=words,
        framework=framework,
        level_labels=level_labels(framework),
    )
    return render(request, "rounds/results.html", context)
