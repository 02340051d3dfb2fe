"""The API's read models: the JSON shapes (schemas), published figures (figures), teams and
rounds (teams), plans (plans), teams side by side (compare), and a person's tokens."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import ApiToken, User

API_ROLES = ("admin", "recovery_lead")


def may_use_api(user: User) -> bool:
    return user.active and user.role in API_ROLES


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.exec(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        ).all()
    )


def own_token(session: Session, user: User, token_id: int) -> ApiToken | None:
    """One of the person's own tokens; None if there is none with this id, or not theirs."""
    token = session.get(ApiToken, token_id)
    return token if token is not None and token.user_id == user.id else None
