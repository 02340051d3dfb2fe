"""Participants' HTTP routes, one router: the one-tap save first (matched before every other
route, app.main), a part's overview, one statement per screen and a led round's room, then
joining, something to bring, thanks."""

from fastapi import APIRouter

router = APIRouter()

from app.workshop.routes import rating, statements, joining  # noqa: E402, F401, I001  (the save first)
