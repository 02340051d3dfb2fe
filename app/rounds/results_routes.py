"""Results of a round (page and CSV). Open: its facilitators only, computed live (floored
unless `?small=1`: "show small groups on this screen only", the page only, never the CSV).
Closed: everyone who may see the team, from the round's publications only; the outside view
(recovery leads) never sees comments or names."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.db import SessionDep
from app.downloads import download, slug
from app.rounds.access import results_round
from app.rounds.chart import section_chart
from app.rounds.export import ratings_csv
from app.rounds.results import build_results
from app.rounds.room import show_small
from app.rounds.views import common
from app.security.access import CurrentUser
from app.web import render

router = APIRouter()


@router.get("/rounds/{round_id}/results")
def results_page(request: Request, round_id: int, session: SessionDep, user: CurrentUser):
    round_, access = results_round(session, user, round_id)
    small = show_small(request) and access.is_facilitator
    results = build_results(session, round_, with_comments=access.inside, show_small=small)
    context = common(session, round_, access.team)
    context.update(
        page_title=f"Results – {round_.title}",
        access=access,
        results=results,
        chart=section_chart(results),
    )
    return render(request, "rounds/results.html", context)


@router.get("/rounds/{round_id}/ratings.csv")
def results_csv(request: Request, round_id: int, session: SessionDep, user: CurrentUser):
    round_, access = results_round(session, user, round_id)
    results = build_results(session, round_, with_comments=access.inside)
    body = ratings_csv(results, with_comments=access.inside)
    return download(
        body,
        f"round-{round_.id}-{slug(round_.title, 'round')}.csv",
        "text/csv; charset=utf-8",
        headers={"Cache-Control": "no-store"},
    )
