"""Benchmark frameworks: versioned statement sets with their rating scale."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import utcnow


class Framework(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, index=True)
    version: str = Field(max_length=32)
    title: str = Field(max_length=200)
    setting: str = Field(max_length=32)
    scale: list = Field(sa_column=Column(JSON, nullable=False))
    dont_know_label: str = Field(default="Don't know", max_length=40)
    checksum: str = Field(max_length=64)
    source: str = Field(default="", max_length=255)
    imported_at: datetime = Field(default_factory=utcnow)


class Section(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("framework_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    framework_id: int = Field(foreign_key="framework.id", index=True)
    code: str = Field(max_length=8)
    title: str = Field(max_length=200)
    intro: str = Field(default="", max_length=1000)
    position: int = 0


class Statement(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("framework_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    framework_id: int = Field(foreign_key="framework.id", index=True)
    section_id: int = Field(foreign_key="section.id", index=True)
    code: str = Field(max_length=16)
    text: str = Field(max_length=1000)
    hint: str = Field(default="", max_length=1000)
    position: int = 0


class FrameworkText(SQLModel, table=True):
    """A framework version's text in another language (Welsh `cy`, Easy Read `easy_read`).

    Kept outside the version's checksum, keyed by code, so a translation can be added to a
    version rounds already use: ratings hang on the statement, whatever language it was read
    in. kind: statement (text, hint), section (title, intro), scale (code "1".."4": label,
    description), dont_know (code "": label), glossary (code = the word: its meaning).
    """

    __tablename__ = "framework_text"
    __table_args__ = (UniqueConstraint("framework_id", "language", "kind", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    framework_id: int = Field(foreign_key="framework.id", index=True)
    language: str = Field(max_length=16)
    kind: str = Field(max_length=16)
    code: str = Field(max_length=64)
    text: str = Field(max_length=1000)
    hint: str = Field(default="", max_length=1000)
    position: int = 0
