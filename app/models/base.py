"""Shared pieces of the tables: naming convention, time, enumerations."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import MetaData
from sqlmodel import SQLModel

from app.core.i18n import N_

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def utcnow() -> datetime:
    """Now, in UTC, timezone-aware (SQLModel stores and returns aware UTC datetimes)."""
    return datetime.now(UTC)


class Perspective(StrEnum):
    staff = "staff"
    peer_worker = "peer_worker"
    service_user = "service_user"
    carer = "carer"
    community = "community"


PERSPECTIVE_LABELS: dict[str, str] = {
    "staff": N_("Staff"),
    "peer_worker": N_("Peer support worker"),
    "service_user": N_("Person using the service"),
    "carer": N_("Family, friend or carer"),
    "community": N_("Community partner"),
}

# For comparisons between staff and people using the service: peer workers count with
# staff; family and community partners are shown on their own.
STAFF_SIDE = ("staff", "peer_worker")
SERVICE_USER_SIDE = ("service_user",)


class Setting(StrEnum):
    community = "community"
    inpatient = "inpatient"
    rehabilitation = "rehabilitation"
    secure = "secure"
    crisis = "crisis"
    voluntary_sector = "voluntary-sector"
    corporate = "corporate"
    other = "other"


SETTING_LABELS: dict[str, str] = {
    "community": "Community",
    "inpatient": "Inpatient ward",
    "rehabilitation": "Rehabilitation",
    "secure": "Secure",
    "crisis": "Crisis",
    "voluntary-sector": "Voluntary sector",
    "corporate": "Corporate or non-clinical",
    "other": "Other",
}


class GlobalRole(StrEnum):
    user = "user"
    recovery_lead = "recovery_lead"
    admin = "admin"


class TeamRole(StrEnum):
    facilitator = "facilitator"
    member = "member"
