"""The co-lead rule as it holds *today*: each priority of a plan has one staff-side co-lead
and one co-lead who uses the service, each still on the team (not left, account not
deactivated) with that perspective now. Read by the plan, team home, My part, the
facilitator's home and /compare (`coled_today`), so a change made elsewhere — a co-lead
leaving, changing perspective, being deactivated — shows everywhere at once."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, case, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from app.core.i18n import N_
from app.models import Priority, TeamMember, User
from app.models.base import SERVICE_USER_SIDE, STAFF_SIDE

NEEDS_STAFF = N_("needs a staff co-lead")
NEEDS_SERVICE_USER = N_("needs a co-lead who uses the service")


def _holds(member, account, side):
    """SQL: this joined member is, today, a co-lead on this side."""
    return and_(
        member.id.is_not(None),
        member.left_at.is_(None),
        member.perspective.in_(side),
        or_(member.user_id.is_(None), account.active.is_(True)),
    )


def _joined(query, staff, user, staff_acct, user_acct):
    return (
        query.outerjoin(staff, staff.id == Priority.staff_colead_id)
        .outerjoin(staff_acct, staff_acct.id == staff.user_id)
        .outerjoin(user, user.id == Priority.service_user_colead_id)
        .outerjoin(user_acct, user_acct.id == user.user_id)
    )


def _needs(staff_ok, user_ok) -> list[str]:
    return [need for need, ok in ((NEEDS_STAFF, staff_ok), (NEEDS_SERVICE_USER, user_ok)) if not ok]


def _with_needs(column, where):
    staff, user = aliased(TeamMember), aliased(TeamMember)
    staff_acct, user_acct = aliased(User), aliased(User)
    query = select(
        column,
        _holds(staff, staff_acct, STAFF_SIDE).label("staff_ok"),
        _holds(user, user_acct, SERVICE_USER_SIDE).label("user_ok"),
    )
    return _joined(query, staff, user, staff_acct, user_acct).where(where)


def colead_needs(session: Session, priority_ids: Iterable[int]) -> dict[int, list[str]]:
    """{priority_id: what it needs today} (an empty list when the rule holds). One query."""
    ids = set(priority_ids)
    if not ids:
        return {}
    rows = session.exec(_with_needs(Priority.id, Priority.id.in_(ids))).all()
    return {priority_id: _needs(staff_ok, user_ok) for priority_id, staff_ok, user_ok in rows}


def plan_needs(session: Session, plan_id: int) -> list[tuple[Priority, list[str]]]:
    """A plan's priorities (not removed), in order, each with what it needs today. One query."""
    where = (Priority.plan_id == plan_id) & Priority.removed_at.is_(None)
    rows = session.exec(_with_needs(Priority, where).order_by(Priority.position, Priority.id)).all()
    return [(priority, _needs(staff_ok, user_ok)) for priority, staff_ok, user_ok in rows]


def coled_today(session: Session, plan_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """{plan_id: (priorities co-led today, priorities)} — removed priorities left out. One
    query; plans without priorities are absent. /compare counts only what holds today."""
    ids = set(plan_ids)
    if not ids:
        return {}
    staff, user = aliased(TeamMember), aliased(TeamMember)
    staff_acct, user_acct = aliased(User), aliased(User)
    both = and_(_holds(staff, staff_acct, STAFF_SIDE), _holds(user, user_acct, SERVICE_USER_SIDE))
    query = select(Priority.plan_id, func.sum(case((both, 1), else_=0)), func.count(Priority.id))
    rows = session.exec(
        _joined(query, staff, user, staff_acct, user_acct)
        .where(Priority.plan_id.in_(ids), Priority.removed_at.is_(None))
        .group_by(Priority.plan_id)
    ).all()
    return {plan_id: (int(coled or 0), int(total)) for plan_id, coled, total in rows}


def coleads_today(
    session: Session, priority_ids: Iterable[int]
) -> dict[int, tuple[str | None, str | None]]:
    """{priority_id: (staff co-lead's perspective, service-user co-lead's)}, each None unless
    that co-lead counts today: one who left, changed side or was switched off is not shown
    (for /compare and the API, which show only what holds today). One query."""
    ids = set(priority_ids)
    if not ids:
        return {}
    staff, user = aliased(TeamMember), aliased(TeamMember)
    staff_acct, user_acct = aliased(User), aliased(User)
    query = select(
        Priority.id,
        staff.perspective,
        _holds(staff, staff_acct, STAFF_SIDE),
        user.perspective,
        _holds(user, user_acct, SERVICE_USER_SIDE),
    )
    rows = session.exec(
        _joined(query, staff, user, staff_acct, user_acct).where(Priority.id.in_(ids))
    ).all()
    return {
        pid: (staff_p if staff_ok else None, user_p if user_ok else None)
        for pid, staff_p, staff_ok, user_p, user_ok in rows
    }
