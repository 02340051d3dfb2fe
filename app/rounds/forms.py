"""The rounds forms, as pydantic models (app.forms.form_for shows a form again on a
problem), and the paper sheet, whose fields are named after the round's statements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.models import Statement
from app.models.base import PERSPECTIVE_LABELS


class NewRoundForm(BaseModel):
    framework_id: int = Field(title="Framework")
    title: str = Field(min_length=1, max_length=120, title="Name of the round")
    held_on: date = Field(title="Date of the workshop")
    mode: Literal["led", "self_paced", "group"] = Field(title="How people will rate")

    @field_validator("title")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("Enter a name for the round, like Baseline, Nov 2026")
        return value


class AgreeForm(BaseModel):
    level: Literal["1", "2", "3", "4", "dont_know"] = Field(title="The agreed level")
    well_notes: str = Field(default="", max_length=2000, title="What we do well")
    could_notes: str = Field(default="", max_length=2000, title="What we could do")
    version: int = Field(default=0, ge=0, title="Version")

    @property
    def level_value(self) -> int | None:
        return None if self.level == "dont_know" else int(self.level)

    @property
    def notes(self) -> dict[str, str]:
        return {"well_notes": self.well_notes, "could_notes": self.could_notes}


class StatementChoice(BaseModel):
    statement_id: int = Field(title="Statement")


class CommentChoice(BaseModel):
    rating_id: int = Field(title="Comment")


class ModeChoice(BaseModel):
    mode: Literal["led", "self_paced", "group"] = Field(title="How people rate")


class ProjectorChoice(BaseModel):
    """The projector's language: English, Cymraeg or both (app.rounds.pages.projector_words)."""

    projector: Literal["en", "cy", "both"] = Field(title="Projector language")


# --- paper sheets -------------------------------------------------------------------------

DONT_KNOW = "dont_know"
LEVEL_CHOICES = ("1", "2", "3", "4", DONT_KNOW)
ALIAS_MAX = 40
COMMENT_MAX = 500  # as on a phone
SHEET_MAX = 9999


class PaperForm(BaseModel):
    """The fixed fields of a typed-in sheet; level_<id>, matters_<id> and comment_<id> come
    with it and are read by `parse_sheet` against the round's statements."""

    model_config = ConfigDict(extra="allow")

    sheet_number: str = Field(default="", title="Sheet number")
    perspective: str = Field(default="", title="Perspective")
    alias: str = Field(default="", title="Name or alias")


@dataclass
class PaperSheet:
    perspective: str
    alias: str | None
    answers: dict[int, int | None] = field(default_factory=dict)  # statement id → level
    matters: set[int] = field(default_factory=set)
    sheet_number: int | None = None  # printed on every page of the sheet
    comments: dict[int, str] = field(default_factory=dict)  # statement id → comment


def parse_sheet(values: dict[str, Any], statements: list[Statement]) -> PaperSheet | dict:
    """The typed-in form → a PaperSheet, or {field: message} for each problem."""
    errors: dict[str, str] = {}
    number = str(values.get("sheet_number") or "").strip()
    if not number:
        errors["sheet_number"] = "Enter the sheet number printed at the top of the sheet"
    elif not number.isdigit() or not 1 <= int(number) <= SHEET_MAX:
        errors["sheet_number"] = f"The sheet number is a whole number from 1 to {SHEET_MAX}"
    perspective = str(values.get("perspective") or "")
    if perspective not in PERSPECTIVE_LABELS:
        errors["perspective"] = "Choose the perspective ticked on the sheet"
    alias = str(values.get("alias") or "").strip()
    if len(alias) > ALIAS_MAX:
        errors["alias"] = f"The name or alias must be {ALIAS_MAX} characters or fewer"
    sheet = PaperSheet(perspective=perspective, alias=alias or None)
    if "sheet_number" not in errors:
        sheet.sheet_number = int(number)
    for statement in statements:
        raw = str(values.get(f"level_{statement.id}") or "")
        if raw == "":
            continue
        if raw not in LEVEL_CHOICES:
            errors[f"level_{statement.id}"] = f"Choose a level for {statement.code} from the list"
            continue
        sheet.answers[statement.id] = None if raw == DONT_KNOW else int(raw)
    for statement in statements:
        if values.get(f"matters_{statement.id}"):
            if statement.id not in sheet.answers:
                errors[f"level_{statement.id}"] = (
                    f"{statement.code} is ticked as mattering most: choose its level too"
                )
            else:
                sheet.matters.add(statement.id)
    for statement in statements:
        comment = str(values.get(f"comment_{statement.id}") or "").replace("\r\n", "\n").strip()
        if not comment:
            continue
        name = f"comment_{statement.id}"
        if len(comment) > COMMENT_MAX:
            errors[name] = (
                f"The comment on {statement.code} must be {COMMENT_MAX} characters or fewer"
            )
        elif statement.id not in sheet.answers:
            errors.setdefault(
                f"level_{statement.id}",
                f"{statement.code} has a comment: choose its level too "
                "(“Don't know” if nothing was ticked)",
            )
        else:
            sheet.comments[statement.id] = comment
    if not sheet.answers and not errors:
        errors["__all__"] = "Enter at least one rating from the sheet"
    return errors or sheet
