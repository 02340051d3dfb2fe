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


GROUPS_DOC = (
    "staff_side (staff and peer support workers), service_user, carer, community, other "
    "(the groups under 3 together)"
)


class CountsOut(BaseModel):
    levels: dict[str, int] = Field(description='People per level, keyed "1" to "4".')
    dont_know: int
    matters_most: int
    people: int = Field(description="People who answered (a level or don't know)")
    mean: float | None = Field(
        description="Mean level of those who gave one, rounded to one decimal; null when "
        "no one gave a level"
    )


class FiguresOut(BaseModel):
    total: CountsOut = Field(description="Everyone who answered (3 or more)")
    groups: dict[str, CountsOut] | None = Field(
        description=f"By group ({GROUPS_DOC}), as published: groups under 3 people merge "
        "into 'other'; null when even that is under 3, so only the total is given. A group "
        "that is not published is absent."
    )


class SummaryOut(BaseModel):
    statement_id: int
    statement_code: str
    figures: FiguresOut | None = Field(
        description="The statement's published figures; null when it has none (see hidden)"
    )
    hidden: str | None = Field(
        description='Why there are no figures ("fewer than 3 answers"); null when there are'
    )


class PeopleOut(BaseModel):
    """Head counts of who took part, under the same rule as a breakdown (never a number
    under 3, never a name)."""

    total: int | None = Field(description="How many took part; null when fewer than 3")
    groups: dict[str, int] | None = Field(
        description=f"By group ({GROUPS_DOC}): groups under 3 merge into 'other'; null when "
        "'other' would still be under 3 (or the total is hidden)"
    )
    hidden: str | None = Field(
        description='What is not shown and why: "fewer than 3 people" (no total), "no '
        'breakdown: a group would be under 3" (total only); null when both are shown'
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
    people: PeopleOut = Field(description="Head counts of who took part, as published")
    section_levels: list[SectionLevelOut]
    agreed_ratings: list[AgreedOut]
    summaries: list[SummaryOut] = Field(
        description="One per statement of the round's framework, from the round's published "
        "figures (anonymity floor applied)"
    )


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
    staff_co_lead: str | None = Field(
        description="The co-lead's perspective (never a name); null when none counts today"
    )
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


class PublishedCellOut(BaseModel):
    """One figure of one published cell (the analysts' long format): no participant ids,
    no times."""

    round_id: int
    round_held_on: date
    team_setting: str
    framework_key: str
    framework_version: str
    statement_code: str
    group: str = Field(description="all, staff_side, service_user, carer, community or other")
    level: str = Field(description="1 to 4, or dont_know")
    count: int


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
    people: PeopleOut | None = Field(
        description="Who took part in the team's latest closed round; null without one"
    )
    people_who_use_the_service_or_family: int | None = Field(
        description="Of them, people who use the service or are family or carers, where the "
        "published head counts give it; null otherwise"
    )


class ErrorOut(BaseModel):
    error: str
    detail: str | list | None
