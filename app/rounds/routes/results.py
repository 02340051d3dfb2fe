"""Results of a round (page and CSV). Open: its facilitators only, computed live (floored
unless `?small=1`: "show small groups on this screen only", the page only, never the CSV).
Closed: everyone who may see the team, from the round's publications only; the outside view
(recovery leads) never sees comments or names."""

from __future__ import annotations

from fastapi import Request

from app.db import SessionDep
from app.downloads import download, slug
from app.rounds.deps import ResultsRound, ShowSmall
from app.rounds.exports import ratings_csv
from app.rounds.pages.results import show_results
from app.rounds.queries import build_results
from app.rounds.routes import router


@router.get("/rounds/{round_id}/results")
def results_page(request: Request, session: SessionDep, loaded: ResultsRound, small: ShowSmall):
    return show_results(request, session, loaded, small)


@router.get("/rounds/{round_id}/ratings.csv")
def results_csv(session: SessionDep, loaded: ResultsRound):
    round_, access = loaded.round, loaded.access
    results = build_results(session, round_, with_comments=access.inside)
    body = ratings_csv(results, with_comments=access.inside)
    return download(
        body,
        f"round-{round_.id}-{slug(round_.title, 'round')}.csv",
        "text/csv; charset=utf-8",
        headers={"Cache-Control": "no-store"},
    )
