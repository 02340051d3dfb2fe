"""Demo for compare and the API: the recovery lead has one API token (made, used, then
revoked) so the tokens page shows what a used token looks like. No new token is printed:
make a real one on /account/tokens."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from app.api import service as api_service
from app.models import User, utcnow


def load(session: Session, context: dict) -> None:
    lead = session.exec(select(User).where(User.role == "recovery_lead")).first()
    if lead is None:
        return
    token, _plain = api_service.create_token(
        session, user=lead, name="Board report spreadsheet (demo)"
    )
    token.last_used_at = utcnow() - timedelta(days=3)
    token.revoked_at = utcnow() - timedelta(days=1)
    session.add(token)
    session.flush()
