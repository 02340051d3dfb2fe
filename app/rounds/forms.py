"""The rounds forms, as pydantic models (parse_form turns problems into 422 pages)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, field_validator


class NewRoundForm(BaseModel):
    framework_id: int = Field(title="Framework")
    title: str = Field(min_length=1, max_length=120, title="Name of the round")
    held_on: date = Field(title="Date of the workshop")
    mode: Literal["phones", "group"] = Field(title="How people will rate")

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


class StatementChoice(BaseModel):
    statement_id: int = Field(title="Statement")


class CommentChoice(BaseModel):
    rating_id: int = Field(title="Comment")
