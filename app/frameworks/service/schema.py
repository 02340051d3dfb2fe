"""The framework file schema: its rules and the checked models (`checker.py` applies the
rules). The models hold only content that passed the checks; nothing here touches the
database. `benchmarks/README.md` describes the same schema for people who write the files.
"""

from __future__ import annotations

import hashlib
import json
import re

from pydantic import BaseModel, ConfigDict

TOP_LEVEL_FIELDS = ("key", "version", "title", "setting", "scale", "dont_know", "sections")
SCALE_FIELDS = ("level", "label", "description")
DONT_KNOW_FIELDS = ("label",)
SECTION_FIELDS = ("code", "title", "intro", "statements")
STATEMENT_FIELDS = ("code", "text", "hint")

SETTINGS = (
    "community",
    "inpatient",
    "rehabilitation",
    "secure",
    "crisis",
    "voluntary-sector",
    "corporate",
    "other",
)
SCALE_LEVELS = (1, 2, 3, 4)
SECTION_CODES = tuple(f"C{n}" for n in range(1, 11))

KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def statement_code_pattern(section_code: str) -> re.Pattern[str]:
    """C3 → matches C3.1, C3.2, … (a whole number from 1, no leading zero)."""
    return re.compile(rf"^{re.escape(section_code)}\.[1-9][0-9]*$")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ScaleLevel(_Frozen):
    level: int
    label: str
    description: str


class LoadedStatement(_Frozen):
    code: str
    text: str
    hint: str


class LoadedSection(_Frozen):
    code: str
    title: str
    intro: str
    statements: list[LoadedStatement]


class LoadedFramework(_Frozen):
    key: str
    version: str
    title: str
    setting: str
    scale: list[ScaleLevel]
    dont_know_label: str
    sections: list[LoadedSection]
    checksum: str
    source: str

    @property
    def statements(self) -> list[LoadedStatement]:
        """Every statement, in file order."""
        return [st for section in self.sections for st in section.statements]


def content_checksum(content: dict) -> str:
    """sha256 hex of the canonical JSON of the content (no checksum, no source path).

    Keys are sorted and separators fixed, so comments, indentation, quoting or key order in
    the YAML file do not change it; any change to a word of content does.
    """
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
