"""Words shown for statuses, quadrants and people (plain, the same everywhere)."""

from __future__ import annotations

from app.core.levels import quadrant
from app.models import TeamMember
from app.models.base import PERSPECTIVE_LABELS, SERVICE_USER_SIDE, STAFF_SIDE

STATUS_LABELS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "done": "Done",
    "stuck": "Stuck",
    "dropped": "Dropped",
}
STATUS_COLOURS = {
    "not_started": "grey",
    "in_progress": "blue",
    "done": "green",
    "stuck": "orange",
    "dropped": "white",
}
PLAN_STATUS_LABELS = {"draft": "Draft", "agreed": "Agreed", "closed": "Closed"}
QUADRANTS = ("quick win", "major project", "fill-in", "think again")
QUADRANT_HINTS = {
    "quick win": "High impact, low effort: do these first.",
    "major project": "High impact, high effort: plan these over months.",
    "fill-in": "Low impact, low effort: do these when there is time.",
    "think again": "Low impact, high effort: is this worth it?",
}
IMPACT_LABELS = {"high": "High impact", "low": "Low impact"}
EFFORT_LABELS = {"low": "Low effort", "high": "High effort"}
OUTSIDE_COLEADS = "Co-led by staff and a person using the service"


def quadrant_of(priority) -> str:
    return quadrant(priority.impact, priority.effort)


def is_staff_side(member: TeamMember | None) -> bool:
    return member is not None and member.perspective in STAFF_SIDE


def is_service_user(member: TeamMember | None) -> bool:
    return member is not None and member.perspective in SERVICE_USER_SIDE


def person(member: TeamMember | None, inside: bool, empty: str = "Not named yet") -> str:
    """A name inside the team; a perspective for the outside view."""
    if member is None:
        return empty
    if inside:
        return member.display_name
    return PERSPECTIVE_LABELS.get(member.perspective, member.perspective)
