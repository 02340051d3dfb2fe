"""The reminders form: an optional address and which notices to get."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field, field_validator

from app.core.i18n import N_

Notice = Literal["weekly_digest", "action_notices", "review_notices"]
EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")


def _list(value):
    if value is None or value == "":
        return []
    return [value] if isinstance(value, str) else [v for v in value if v != ""]


class RemindersForm(BaseModel):
    email: str = Field(default="", max_length=254, title="Email address (optional)")
    notices: Annotated[list[Notice], BeforeValidator(_list)] = Field(
        default_factory=list, title="Which emails you want"
    )

    @field_validator("email")
    @classmethod
    def _an_address(cls, value: str) -> str:
        value = value.strip()
        if value and not EMAIL.match(value):
            raise ValueError(N_("Enter an email address in the right form, like name@nhs.net"))
        return value
