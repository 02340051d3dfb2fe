"""What a signed-in person sees first."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import Service, Team, User
from app.security.access import teams_of


def home_context(*, session: Session, user: User) -> dict:
    memberships = teams_of(session, user)
    context: dict = {"memberships": memberships}
    if user.role == "admin":
        context["all_teams"] = session.exec(
            select(Team, Service)
            .join(Service, Service.id == Team.service_id)
            .where(Team.archived_at.is_(None))
            .order_by(Service.name, Team.name)
        ).all()
    return context
