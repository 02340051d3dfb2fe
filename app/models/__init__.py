"""All tables, imported here so Alembic and create_all see every one."""

from app.models.accounts import (
    ApiToken,
    Invitation,
    LoginSession,
    RateLimitHit,
    TeamMember,
    User,
)
from app.models.assets import Asset
from app.models.audit import AuditEvent
from app.models.base import metadata, utcnow
from app.models.frameworks import Framework, FrameworkText, Section, Statement
from app.models.org import Service, Team
from app.models.plans import (
    Action,
    ActionHelper,
    ActionUpdate,
    Celebration,
    Plan,
    Priority,
    PriorityHelper,
    PriorityStatement,
    Review,
)
from app.models.reminders import ReminderChoice, SentNotice
from app.models.rounds import (
    AgreedRating,
    Participant,
    Publication,
    PublicationMember,
    PublishedCell,
    Rating,
    Round,
    StatementSummary,
)

__all__ = [
    "Action",
    "ActionHelper",
    "ActionUpdate",
    "AgreedRating",
    "ApiToken",
    "Asset",
    "AuditEvent",
    "Celebration",
    "Framework",
    "FrameworkText",
    "Invitation",
    "LoginSession",
    "Participant",
    "Plan",
    "Publication",
    "PublicationMember",
    "PublishedCell",
    "Priority",
    "PriorityHelper",
    "PriorityStatement",
    "RateLimitHit",
    "Rating",
    "ReminderChoice",
    "Review",
    "Round",
    "Section",
    "SentNotice",
    "Service",
    "Statement",
    "StatementSummary",
    "Team",
    "TeamMember",
    "User",
    "metadata",
    "utcnow",
]
