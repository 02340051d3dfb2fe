"""Rounds' HTTP routes, one router: the team's rounds and a new one, the facilitator's page
and the room's controls, the projector, results and paper sheets (submodules register on
this router)."""

from fastapi import APIRouter

router = APIRouter()

from app.rounds.routes import paper, results, room, rounds  # noqa: E402, F401
