"""The plan forms, as typed models. Routes declare them with `app.forms.form_for`: bad
input shows the form again (422) with the message by each field; `refuse_if` does the same
for the rules checked after parsing (people on the team's list, statements of the plan's
round, and asking before saving words that name someone)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field

from app.core import naming
from app.core.dates import check_date, in_window, local_date
from app.forms import Messages, ShowPage, submitted_form


def _blank_none(value):
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _list(value):
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [v for v in value if v != ""]


OptionalInt = Annotated[int | None, BeforeValidator(_blank_none)]
# every date in a plan stays inside the core window (app.core.dates): the calendar feed,
# "overdue" and the exports can all represent it
OptionalDate = Annotated[date | None, BeforeValidator(_blank_none), AfterValidator(in_window())]
PlanDate = Annotated[date, AfterValidator(in_window())]
IdList = Annotated[list[int], BeforeValidator(_list)]
Status = Literal["not_started", "in_progress", "done", "stuck", "dropped"]


def _choose(what: str) -> Messages:
    return Messages(missing=f"Choose {what}", literal_error=f"Choose {what}")


# a list of people or actions: a bad id is a choice not on the list, not "a whole number"
PeopleList = Annotated[IdList, Messages(int_parsing="Choose {label} from the list")]


class NewPlanForm(BaseModel):
    title: str = Field(min_length=1, max_length=120, title="A name for the plan")
    source_round_id: OptionalInt = Field(default=None, title="The round this plan comes from")
    carry_action_ids: Annotated[IdList, Messages(int_parsing="Choose actions from the list")] = (
        Field(default_factory=list, title="Actions to keep from the last plan")
    )
    statement: str = ""


class PriorityForm(BaseModel):
    title: str = Field(min_length=1, max_length=120, title="Priority")
    why: str = Field(default="", max_length=2000, title="Why it matters")
    # plain words (../shared/design.md): impact and effort are the planners' words
    impact: Annotated[Literal["high", "low"], _choose("big difference or small difference")] = (
        Field(title="How much difference it makes")
    )
    effort: Annotated[Literal["low", "high"], _choose("little work or lots of work")] = Field(
        title="How much work it takes"
    )
    staff_colead_id: OptionalInt = Field(default=None, title="Staff co-lead")
    service_user_colead_id: OptionalInt = Field(default=None, title="Co-lead who uses the service")
    statement_ids: IdList = Field(default_factory=list, title="Statements")
    helper_ids: PeopleList = Field(default_factory=list, title="People helping")
    version: int = 0


class ActionForm(BaseModel):
    what: str = Field(min_length=1, max_length=300, title="What needs doing")
    owner_member_id: OptionalInt = Field(default=None, title="Owner")
    helper_ids: PeopleList = Field(default_factory=list, title="People helping")
    due_on: OptionalDate = Field(default=None, title="Due date")
    status: Status = Field(default="not_started", title="Status")
    note: str = Field(default="", max_length=2000, title="Note")
    version: int = 0


class ProgressForm(BaseModel):
    """My part's one-tap update: a status (the button tapped), a progress note, or both."""

    status: Status | None = Field(default=None, title="Status")
    note: str = Field(default="", max_length=2000, title="Progress note")
    version: int = 0


class OwnPriorityForm(BaseModel):
    """What a co-lead may change on their priority."""

    title: str = Field(min_length=1, max_length=120, title="Priority")
    why: str = Field(default="", max_length=2000, title="Why it matters")
    version: int = 0


class ReviewDueForm(BaseModel):
    review_due: PlanDate = Field(title="Review date")


class ReviewForm(BaseModel):
    held_on: PlanDate = Field(title="Date of the review")
    notes: str = Field(default="", max_length=4000, title="Notes")
    learnt: str = Field(default="", max_length=4000, title="What we learnt")


class CelebrationForm(BaseModel):
    text: str = Field(min_length=1, max_length=500, title="What you are celebrating")
    on: PlanDate = Field(title="Date")


class InviteForm(BaseModel):
    member_id: int = Field(title="Person")


def problems(request, texts: dict, display_names, others: dict | None = None) -> dict:
    """{field: message}: the texts that name someone on the team (unless the form said
    "Yes, this can be seen outside the team"), and the other problems found."""
    found = naming.naming_errors(texts, display_names, submitted_form(request))
    return {**found, **(others or {})}


def refuse_if(found: dict, show, **arguments) -> None:
    """Problems found after parsing, several fields at once: the form page shown again
    (422) by its one `show_…`, with what was typed kept. Nothing has been written."""
    if found:
        values = submitted_form(arguments["request"])
        raise ShowPage(show(**arguments, values=values, errors=found, status=422))


def _years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def date_windows(today: date, team) -> dict[str, tuple[date, date, str]]:
    """The window each plan date may fall in, by form field: reviews and celebrations from
    the team's creation to today; due dates from a year ago to five years ahead; the review
    date from tomorrow to two years ahead."""
    created = min(local_date(team.created_at), today)
    return {
        "held_on": (created, today, "the date of the review"),
        "on": (created, today, "the date"),
        "due_on": (_years(today, -1), _years(today, 5), "a due date"),
        "review_due": (today + timedelta(days=1), _years(today, 2), "a review date"),
    }


def window_problems(data, today: date, team, *, unchanged: dict | None = None) -> dict:
    """{field: plain message} for the form's dates outside their window (app.core.dates'
    one check). A date kept as it was saved (`unchanged`) is not asked again."""
    found = {}
    for name, (earliest, latest, label) in date_windows(today, team).items():
        value = getattr(data, name, None)
        if value is None or (unchanged and unchanged.get(name) == value):
            continue
        problem = check_date(value, earliest=earliest, latest=latest, field=label)
        if problem:
            found[name] = problem
    return found
