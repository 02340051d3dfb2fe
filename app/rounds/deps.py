"""Loading a round for a request, with who may do what to it: a route's signature says what
it needs (`FacilitatedRound`, `ResultsRound`, `RoundStatement`, `ShowSmall`), and a round
the person may not see is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from sqlalchemy import and_
from sqlmodel import select

from app.db import SessionDep
from app.models import Round, Statement, Team, TeamMember, User
from app.security.access import CurrentUser, TeamAccess, TeamAccessDep, record_refusal

SMALL_PARAM = "small"  # the query parameter: show small groups on this screen only


@dataclass
class RoundAccess:
    """A round and the viewer's access to its team."""

    round: Round
    access: TeamAccess
    statement: Statement | None = None  # the statement in the address, if in the round

    @property
    def team(self) -> Team:
        return self.access.team

    @property
    def user(self) -> User:
        return self.access.user


def load_round(session, user: User, round_id: int, statement_id: int | None = None) -> RoundAccess:
    """The round, its team, the viewer's membership (and the statement in the address) in
    one query (404 if they may not see the team: the same rule as
    app.security.access.access_for)."""
    query = (
        select(Round, Team, TeamMember)
        .join(Team, Team.id == Round.team_id)
        .outerjoin(
            TeamMember,
            and_(
                TeamMember.team_id == Round.team_id,
                TeamMember.user_id == user.id,
                TeamMember.left_at.is_(None),
            ),
        )
        .where(Round.id == round_id)
    )
    if statement_id is not None:
        query = query.add_columns(Statement).outerjoin(
            Statement,
            and_(Statement.id == statement_id, Statement.framework_id == Round.framework_id),
        )
    row = session.exec(query).first()
    if row is None:
        raise HTTPException(404)
    round_, team, member, statement = (*row, None)[:4]
    if member is None and user.role not in ("admin", "recovery_lead"):
        record_refusal(session, user, team.id, "not on this team")
        raise HTTPException(404)
    access = TeamAccess(team=team, user=user, member=member, session=session)
    return RoundAccess(round_, access, statement)


def _statement_id(request: Request) -> int | None:
    """The statement in the address (…/statements/{statement_id}/…), loaded with the round."""
    raw = request.path_params.get("statement_id")
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def facilitated_round(
    request: Request, round_id: int, session: SessionDep, user: CurrentUser
) -> RoundAccess:
    """Only the team's facilitators (and admins) run a round."""
    loaded = load_round(session, user, round_id, _statement_id(request))
    loaded.access.require_facilitator()
    return loaded


def results_round(round_id: int, session: SessionDep, user: CurrentUser) -> RoundAccess:
    """Closed: everyone who may see the team. Open or not started: its facilitators only."""
    loaded = load_round(session, user, round_id)
    if loaded.round.status != "closed" and not loaded.access.is_facilitator:
        raise HTTPException(
            403,
            "The results are shown to everyone once the round closes. While it is open, only "
            "its facilitators can see them.",
        )
    return loaded


FacilitatedRound = Annotated[RoundAccess, Depends(facilitated_round)]
ResultsRound = Annotated[RoundAccess, Depends(results_round)]


def round_statement(statement_id: int, loaded: FacilitatedRound) -> Statement:
    """A statement of the round's framework (404 otherwise), loaded with the round."""
    if loaded.statement is None or loaded.statement.id != statement_id:
        raise HTTPException(404)
    return loaded.statement


RoundStatement = Annotated[Statement, Depends(round_statement)]


def show_small(small: Annotated[str | None, Query(alias=SMALL_PARAM)] = None) -> bool:
    """ "Show small groups on this screen only": in this screen's own address (`?small=1`),
    so it is per screen, off by default, and carried by its htmx polls, links and forms."""
    return small == "1"


ShowSmall = Annotated[bool, Depends(show_small)]


def team_facilitator(access: TeamAccessDep) -> TeamAccess:
    """A team whose rounds this person runs: its facilitators (and admins)."""
    access.require_facilitator()
    return access


FacilitatorTeam = Annotated[TeamAccess, Depends(team_facilitator)]
