"""The accounts forms, as pydantic models (app.forms.form_for shows a form again on a
problem, by its one show_… function in pages.py)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from app.core.i18n import LANGUAGES, N_

EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")


class LoginForm(BaseModel):
    username: str = Field(min_length=1, max_length=64, title="Your username")
    password: str = Field(min_length=1, max_length=256, title="Your password")
    next: str = ""


class PasswordForm(BaseModel):
    current_password: str = Field(min_length=1, max_length=256, title="Your current password")
    new_password: str = Field(min_length=1, max_length=256, title="Your new password")


class LanguageForm(BaseModel):
    language: str = Field(default="", title="Language")

    @field_validator("language")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(N_("Choose English or Cymraeg."))
        return value


class RoleForm(BaseModel):
    role: Literal["user", "recovery_lead", "admin"] = Field(title="Role")


class SsoEmailForm(BaseModel):
    sso_email: str = Field(default="", max_length=254, title="Their NHS email address")

    @field_validator("sso_email")
    @classmethod
    def _an_address(cls, value: str) -> str:
        value = value.strip()
        if value and not EMAIL.match(value):
            raise ValueError("Enter an email address in the right form, like name@nhs.net")
        return value


class ButtonForm(BaseModel):
    """A form that is only a button (switch off, make a link): no fields but its CSRF token;
    declared so a refusal by a field shows the page again."""


class InviteForm(BaseModel):
    username: str = Field(default="", max_length=64, title="Username")
    password: str = Field(min_length=1, max_length=256, title="Password")
    password_again: str = Field(min_length=1, max_length=256, title="Password again")

    @field_validator("password_again")
    @classmethod
    def _the_same(cls, value: str, info: ValidationInfo) -> str:
        password = info.data.get("password")
        if password is not None and value != password:
            raise ValueError("The two passwords are different")
        return value


class PersonForm(BaseModel):
    display_name: str = Field(min_length=1, max_length=80, title="Name")
    perspective: Literal["staff", "peer_worker", "service_user", "carer", "community"] = Field(
        title="Perspective"
    )
    role: Literal["facilitator", "member"] = Field(default="member", title="Role on this team")
    then: str = "list"
