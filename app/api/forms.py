"""The API's one form: a name for a new token."""

from __future__ import annotations

from pydantic import BaseModel, Field


class TokenForm(BaseModel):
    name: str = Field(min_length=1, max_length=80, title="A name for the token")
