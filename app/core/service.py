"""What a signed-in person sees first."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from app.models import Service, Team, User, utcnow
from app.plans.labels import local_date
from app.plans.mywork import my_work
from app.security.access import teams_of


def home_context(*, session: Session, user: User, today: date | None = None) -> dict:
    memberships = teams_of(session, user)
    context: dict = {"memberships": memberships}
    # plans: the actions I own and the priorities I co-lead, overdue first
    context.update(my_work(session, user, today or local_date(utcnow())))
    if user.role == "admin":
        context["all_teams"] = session.exec(
            select(Team, Service)
            .join(Service, Service.id == Team.service_id)
            .where(Team.archived_at.is_(None))
            .order_by(Service.name, Team.name)
        ).all()
    return context
