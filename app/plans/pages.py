"""What the plan pages show: one context builder shared by the routes."""

from __future__ import annotations

from fastapi import Request
from sqlmodel import Session, select

from app.models import Plan, Round, Section, TeamMember
from app.models.base import PERSPECTIVE_LABELS
from app.plans import reviews as reviews_service
from app.plans import service
from app.plans.labels import QUADRANTS
from app.plans.loading import may_add_action, today
from app.plans.views import plan_view, team_members
from app.security.access import TeamAccess, may_edit_plan, may_update_action


def plan_context(session: Session, request: Request, plan: Plan, access: TeamAccess) -> dict:
    day = today(request)
    views = plan_view(session, plan, day)
    editable = plan.status != "closed"
    for view in views:
        for item in view.actions:
            item.may_update = editable and may_update_action(access, item.action, view.priority)
    may_edit = editable and may_edit_plan(access)
    no_account: list[TeamMember] = []
    if may_edit and access.inside:
        seen: set[int] = set()
        for view in views:
            people = [view.staff_colead, view.service_user_colead, *view.helpers]
            people += [a.owner for a in view.actions]
            for member in people:
                if member and member.user_id is None and member.id not in seen:
                    seen.add(member.id)
                    no_account.append(member)
    current = service.current_plan(session, plan.team_id)
    return {
        "page_title": plan.title,
        "plan": plan,
        "team": access.team,
        "access": access,
        "views": views,
        "grid": {q: [v for v in views if v.quadrant == q] for q in QUADRANTS},
        "today": day,
        "may_edit": may_edit,
        "may_add": {v.priority.id: editable and may_add_action(access, v.priority) for v in views},
        "problems": service.agree_problems(session, plan) if plan.status == "draft" else [],
        "reviews": reviews_service.plan_reviews(session, plan.id),
        "source_round": session.get(Round, plan.source_round_id) if plan.source_round_id else None,
        "is_current": current is not None and current.id == plan.id,
        "no_account": no_account,
        "values": {"review_due": plan.review_due.isoformat() if plan.review_due else ""},
        "errors": {},
    }


def member_options(session: Session, team_id: int) -> dict[str, list[tuple[int, str]]]:
    """Choices for co-leads, owners and helpers (people still on the team's list)."""
    members = team_members(session, team_id, include_left=False)

    def label(m: TeamMember) -> str:
        return f"{m.display_name} ({PERSPECTIVE_LABELS.get(m.perspective, m.perspective)})"

    return {
        "staff": [(m.id, label(m)) for m in members if m.perspective in ("staff", "peer_worker")],
        "service_user": [(m.id, label(m)) for m in members if m.perspective == "service_user"],
        "everyone": [(m.id, label(m)) for m in members],
    }


def statement_groups(session: Session, plan: Plan) -> list[tuple[object, list]]:
    """The plan's framework statements, grouped by section, for the priority form."""
    statements = service.plan_statements(session, plan)
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
