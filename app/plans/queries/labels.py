"""Words shown for statuses, quadrants and people (plain, the same everywhere)."""

from __future__ import annotations

from app.core.i18n import N_
from app.core.levels import quadrant
from app.models import TeamMember
from app.models.base import PERSPECTIVE_LABELS, SERVICE_USER_SIDE, STAFF_SIDE

STATUS_LABELS = {
    "not_started": N_("Not started"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "stuck": N_("Stuck"),
    "dropped": N_("Stopped"),
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
    "quick win": "Quick win: big difference, little work. Do these first.",
    "major project": "Big project: big difference, lots of work. Plan these over months.",
    "fill-in": "Small job: small difference, little work. Do these when there is time.",
    "think again": "Think again: small difference, lots of work. Is this worth it?",
}
IMPACT_LABELS = {"high": "Big difference", "low": "Small difference"}
EFFORT_LABELS = {"low": "Little work", "high": "Lots of work"}
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
