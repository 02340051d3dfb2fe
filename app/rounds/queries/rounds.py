"""Rounds and their statements, as read by the pages and by other domains."""

from __future__ import annotations

from sqlmodel import Session, select

from app.core.i18n import N_
from app.frameworks.queries import default_framework_for, sections_with_statements
from app.models import AgreedRating, Framework, Round, Section, Statement, Team

MODES = {
    "led": N_("The facilitator leads and phones follow the screen"),
    "self_paced": N_("Everyone rates on their phones at their own pace"),
    "group": N_("The group agrees together, no phones"),
}
PHONE_MODES = ("led", "self_paced")
STATUS_LABELS = {"draft": N_("Not started"), "open": N_("Open"), "closed": N_("Closed")}


def round_statements(session: Session, round_: Round) -> list[Statement]:
    """The round's statements in framework order."""
    return framework_statements(session, round_.framework_id)


def framework_statements(session: Session, framework_id: int) -> list[Statement]:
    return list(
        session.exec(
            select(Statement)
            .where(Statement.framework_id == framework_id)
            .order_by(Statement.position)
        ).all()
    )


def sections_for_round(session: Session, round_: Round) -> list[tuple[Section, list[Statement]]]:
    """[(section, [statements])] in framework order."""
    return sections_with_statements(session, round_.framework_id)


def statement_in_round(session: Session, round_: Round, statement_id: int) -> Statement | None:
    statement = session.get(Statement, statement_id)
    if statement is None or statement.framework_id != round_.framework_id:
        return None
    return statement


def team_rounds(session: Session, team_id: int) -> list[Round]:
    """A team's rounds, newest first."""
    return list(
        session.exec(
            select(Round)
            .where(Round.team_id == team_id)
            .order_by(Round.held_on.desc(), Round.id.desc())
        ).all()
    )


def default_framework(session: Session, team: Team) -> Framework | None:
    return default_framework_for(session, team)  # the team's choice, or its setting's


def framework_choices(
    session: Session, label: str = "%(title)s (version %(version)s)"
) -> list[tuple[int, str]]:
    """Every framework version, for the new-round form (`label`: in the page's language)."""
    frameworks = session.exec(select(Framework).order_by(Framework.key, Framework.id)).all()
    return [(f.id, label % {"title": f.title, "version": f.version}) for f in frameworks]


def agreed_ratings(session: Session, round_id: int) -> dict[int, AgreedRating]:
    """{statement_id: agreed rating} for a round."""
    rows = session.exec(select(AgreedRating).where(AgreedRating.round_id == round_id)).all()
    return {row.statement_id: row for row in rows}


def find_agreed(session: Session, round_id: int, statement_id: int) -> AgreedRating | None:
    return session.exec(
        select(AgreedRating).where(
            AgreedRating.round_id == round_id, AgreedRating.statement_id == statement_id
        )
    ).first()
