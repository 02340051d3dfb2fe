"""Shapes of the JSON the API answers (they document themselves at /docs).

People appear only by perspective; there are no names, comments or notes."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class TeamOut(BaseModel):
    id: int
    name: str
    service_id: int
    service: str
    setting: str
    archived: bool


class RoundOut(BaseModel):
    id: int
    team_id: int
    framework_key: str
    framework_version: str
    title: str
    held_on: date
    status: str
    closed_at: datetime | None


class CountsOut(BaseModel):
    levels: dict[str, int] = Field(description='People per level, keyed "1" to "4".')
    dont_know: int
    matters_most: int
    people: int


class SummaryOut(BaseModel):
    statement_id: int
    statement_code: str
    total: CountsOut
    groups: dict[str, CountsOut] | None = Field(
        description="By group (staff_side, service_user, carer, community, other) with the "
        "anonymity floor applied: groups under 3 people merge into 'other'; null when even "
        "that is under 3, so only the total is given."
    )


class AgreedOut(BaseModel):
    statement_id: int
    statement_code: str
    section_code: str
    level: int | None = Field(description="null: the team said don't know, or did not agree one")


class SectionLevelOut(BaseModel):
    code: str
    level: float | None = Field(description="Mean of the section's agreed levels")
    statements: int = Field(description="How many statements the level rests on")


class RoundDetail(RoundOut):
    people: dict[str, int] = Field(description="Head counts of who took part, by perspective")
    section_levels: list[SectionLevelOut]
    agreed_ratings: list[AgreedOut]
    summaries: list[SummaryOut]


class HistoryOut(BaseModel):
    at: datetime
    status_from: str | None
    status_to: str | None
    by_perspective: str | None


class ActionOut(BaseModel):
    id: int
    what: str
    owner_perspective: str | None
    due_on: date | None
    status: str
    history: list[HistoryOut]


class PriorityOut(BaseModel):
    id: int
    title: str
    why: str
    impact: str
    effort: str
    statement_codes: list[str]
    statement_ids: list[int]
    staff_co_lead: str | None = Field(description="The co-lead's perspective (never a name)")
    service_user_co_lead: str | None
    actions: list[ActionOut]


class PlanOut(BaseModel):
    id: int
    team_id: int
    title: str
    status: str
    source_round_id: int | None
    agreed_on: date | None
    review_due: date | None
    reviews_held_on: list[date]
    priorities: list[PriorityOut]


class CompareRowOut(BaseModel):
    team_id: int
    team: str
    service: str
    setting: str
    framework_key: str | None
    last_round_on: date | None
    section_levels: dict[str, float | None]
    section_changes: dict[str, float | None]
    no_round_for_12_months: bool
    last_review_on: date | None
    review_overdue: bool
    actions: int
    actions_done: int
    actions_overdue: int
    actions_owned_by_service_users: int
    priorities: int
    priorities_with_both_co_leads: int
    people: int
    people_who_use_the_service_or_family: int


class ErrorOut(BaseModel):
    error: str
    detail: str | list | None
