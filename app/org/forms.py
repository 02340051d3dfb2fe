"""The org forms, as pydantic models (app.forms.form_for shows a form again on a problem)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class ServiceForm(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(title="the service name", min_length=1, max_length=120)


class TeamForm(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = ""  # checked by the service, with every other problem at once
    service_id: int | None = Field(default=None, title="the service")
    setting: str = ""
    default_framework_key: str = ""

    @field_validator("service_id", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if value in ("", None) else value


class ButtonForm(BaseModel):
    """A form that is only a button (archive, bring back): no fields but its CSRF token."""
