"""Recording a review of a plan, and the team's celebrations."""

from __future__ import annotations

from sqlmodel import Session

from app import audit
from app.models import Celebration, Plan, Review, Team, User


def record_review(session: Session, plan: Plan, data, *, actor: User) -> Review:
    review = Review(
        plan_id=plan.id,
        held_on=data.held_on,
        notes=data.notes,
        learnt=data.learnt,
        created_by_user_id=actor.id,
    )
    session.add(review)
    session.flush()
    audit.record(
        session,
        verb="review.recorded",
        entity="review",
        entity_id=review.id,
        actor=actor,
        team_id=plan.team_id,
        detail={"plan_id": plan.id, "held_on": data.held_on.isoformat()},
    )
    return review


def add_celebration(session: Session, team: Team, data, *, actor: User) -> Celebration:
    celebration = Celebration(
        team_id=team.id, text=data.text, on=data.on, created_by_user_id=actor.id
    )
    session.add(celebration)
    session.flush()
    audit.record(
        session,
        verb="celebration.added",
        entity="celebration",
        entity_id=celebration.id,
        actor=actor,
        team_id=team.id,
    )
    return celebration
