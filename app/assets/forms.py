"""The asset form. What needs the team's list (is the holder on it? their group) is checked
by the service (app.assets.service.asset_fields), which refuses by the field."""

from __future__ import annotations

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from app.core.i18n import N_
from app.models.assets import ASSET_KINDS
from app.models.base import PERSPECTIVE_LABELS


class AssetForm(BaseModel):
    kind: str = Field(default="", title="Kind")
    description: str = Field(default="", max_length=500, title="What it is")
    holder: str = Field(default="", title="Who holds it")
    alias: str = Field(default="", max_length=40, title="Nickname")
    perspective: str = Field(default="", title="Their group")
    happy_to_share: str = ""

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in ASSET_KINDS:
            raise ValueError(N_("Choose what kind of asset this is"))
        return value

    @field_validator("description")
    @classmethod
    def _description(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(N_("Say what the asset is"))
        return value.strip()

    @field_validator("alias")
    @classmethod
    def _alias(cls, value: str, info: ValidationInfo) -> str:
        if not info.data.get("holder") and not value.strip():
            raise ValueError(N_("Choose a person from the list, or enter a nickname"))
        return value.strip()

    @field_validator("perspective")
    @classmethod
    def _perspective(cls, value: str, info: ValidationInfo) -> str:
        # someone on the list may leave it: their group is used (app.assets.service)
        if value and value not in PERSPECTIVE_LABELS or not value and not info.data.get("holder"):
            raise ValueError(N_("Choose which group they are in"))
        return value
