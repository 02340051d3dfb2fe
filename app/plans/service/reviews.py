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


def update_review(session: Session, review: Review, plan: Plan, data, *, actor: User) -> None:
    changed = sorted(
        f for f in ("held_on", "notes", "learnt") if getattr(review, f) != getattr(data, f)
    )
    for name in changed:
        setattr(review, name, getattr(data, name))
    session.add(review)
    session.flush()
    audit.record(
        session,
        verb="review.updated",
        entity="review",
        entity_id=review.id,
        actor=actor,
        team_id=plan.team_id,
        detail={"plan_id": plan.id, "changed": changed},
    )


def remove_review(session: Session, review: Review, plan: Plan, *, actor: User) -> None:
    """Removed for good (a mistake, confirmed first); the audit keeps that it was there."""
    detail = {"plan_id": plan.id, "held_on": review.held_on.isoformat()}
    session.delete(review)
    session.flush()
    audit.record(
        session,
        verb="review.removed",
        entity="review",
        entity_id=review.id,
        actor=actor,
        team_id=plan.team_id,
        detail=detail,
    )


def update_celebration(session: Session, celebration: Celebration, data, *, actor: User) -> None:
    changed = sorted(f for f in ("text", "on") if getattr(celebration, f) != getattr(data, f))
    for name in changed:
        setattr(celebration, name, getattr(data, name))
    session.add(celebration)
    session.flush()
    audit.record(
        session,
        verb="celebration.updated",
        entity="celebration",
        entity_id=celebration.id,
        actor=actor,
        team_id=celebration.team_id,
        detail={"changed": changed},
    )


def remove_celebration(session: Session, celebration: Celebration, *, actor: User) -> None:
    detail = {"on": celebration.on.isoformat()}
    session.delete(celebration)
    session.flush()
    audit.record(
        session,
        verb="celebration.removed",
        entity="celebration",
        entity_id=celebration.id,
        actor=actor,
        team_id=celebration.team_id,
        detail=detail,
    )
