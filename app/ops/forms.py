"""Ops' one form: the team's name typed to delete it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class DeleteForm(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    confirm_name: str = Field(title="the team's name", min_length=1, max_length=200)
