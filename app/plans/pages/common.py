"""What several plan forms share: the people to choose from, the statements grouped by
section, and whether a form's problems ask about naming someone."""

from __future__ import annotations

from sqlmodel import Session, select

from app.core import i18n, naming
from app.models import Plan, Section, TeamMember
from app.models.base import PERSPECTIVE_LABELS
from app.plans.queries.plans import plan_statements
from app.plans.queries.views import team_members
from app.web import language_of

_ASKS = naming.message(["NAME"]).split("NAME")[0]  # "This can be seen … and names "


def asks_names(errors: dict | None) -> bool:
    """Show the "Yes, this can be seen outside the team" box: a problem asks about a name."""
    return any(str(m).startswith(_ASKS) for m in (errors or {}).values())


def member_options(
    session: Session, team_id: int, request=None
) -> dict[str, list[tuple[int, str]]]:
    """Choices for co-leads, owners and helpers (people still on the team's list), their
    kind of person in the page's language (read from `request` now, as render will)."""
    if request is not None:
        i18n.use_language(language_of(request))
    members = team_members(session, team_id, include_left=False)

    def label(m: TeamMember) -> str:
        return f"{m.display_name} ({i18n._(PERSPECTIVE_LABELS.get(m.perspective, m.perspective))})"

    return {
        "staff": [(m.id, label(m)) for m in members if m.perspective in ("staff", "peer_worker")],
        "service_user": [(m.id, label(m)) for m in members if m.perspective == "service_user"],
        "everyone": [(m.id, label(m)) for m in members],
    }


def statement_groups(session: Session, plan: Plan) -> list[tuple[object, list]]:
    """The plan's framework statements, grouped by section, for the priority form."""
    statements = plan_statements(session, plan)
    if not statements:
        return []
    sections = {
        s.id: s
        for s in session.exec(
            select(Section).where(Section.framework_id == statements[0].framework_id)
        )
    }
    groups: dict[int, list] = {}
    for statement in statements:
        groups.setdefault(statement.section_id, []).append(statement)
    ordered = sorted(groups, key=lambda sid: (sections[sid].position, sid))
    return [(sections[sid], groups[sid]) for sid in ordered]


def titled(request, sentence: str, **values) -> str:
    """A page title with the team's words in it, in the page's language (set now, as render
    will): `titled(request, N_("History: %(what)s"), what=action.what)`."""
    i18n.use_language(language_of(request))
    return i18n._(sentence) % values
