"""A person's reminder choices, and unsubscribing by a signed link."""

from __future__ import annotations

from sqlmodel import Session

from app import audit
from app.core.refused import Refused
from app.models import ReminderChoice, User, utcnow
from app.security.tokens import same, sign

KINDS = ("weekly_digest", "action_notices", "review_notices")


def save_choices(
    session: Session,
    user: User,
    *,
    email: str | None,
    weekly_digest: bool,
    action_notices: bool,
    review_notices: bool,
) -> ReminderChoice:
    if (weekly_digest or action_notices or review_notices) and not email:
        raise Refused("Enter an email address, or choose no reminders.", status=422, field="email")
    choice = session.get(ReminderChoice, user.id) or ReminderChoice(user_id=user.id)
    choice.email = email or None
    choice.weekly_digest = weekly_digest
    choice.action_notices = action_notices
    choice.review_notices = review_notices
    choice.updated_at = utcnow()
    session.add(choice)
    audit.record(
        session,
        verb="reminders.choices_saved",
        entity="user",
        entity_id=user.id,
        actor=user,
        # never the address itself: only whether there is one
        detail={"email": bool(choice.email), **{k: getattr(choice, k) for k in KINDS}},
    )
    session.flush()
    return choice


def unsubscribe_token(secret: str, user_id: int) -> str:
    return f"{user_id}.{sign(secret, 'reminders-unsubscribe', str(user_id))}"


def user_of_token(secret: str, token: str) -> int:
    """The account a signed unsubscribe link is for; a link that does not check out is 404."""
    user_id, _, signature = token.partition(".")
    if not user_id.isdigit() or len(user_id) > 12:
        raise Refused("This unsubscribe link is not right.", status=404)
    if not same(unsubscribe_token(secret, int(user_id)), token):
        raise Refused("This unsubscribe link is not right.", status=404)
    return int(user_id)


def unsubscribe(session: Session, user_id: int, *, how: str) -> bool:
    """Turn every reminder off. True if something was on."""
    choice = session.get(ReminderChoice, user_id)
    if choice is None or not any(getattr(choice, k) for k in KINDS):
        return False
    for kind in KINDS:
        setattr(choice, kind, False)
    choice.updated_at = utcnow()
    session.add(choice)
    audit.record(
        session,
        verb="reminders.unsubscribed",
        entity="user",
        entity_id=user_id,
        actor_label="unsubscribe link",
        detail={"how": how},
    )
    session.flush()
    return True
