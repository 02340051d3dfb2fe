"""The words a participant's pages show: the framework's English, its Welsh (a phone in
Cymraeg), or its Easy Read text with one shipped picture per scale level and per section
(from framework_text, English where a piece is missing). Easy Read wins over Welsh: there is
no Welsh Easy Read text yet. Only what is shown changes: the ratings hang on the same
statements.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from sqlmodel import Session

from app.core.i18n import N_
from app.frameworks.queries import FrameworkTexts, statement_texts
from app.models import Framework, Section, Statement

EASY_READ = "easy_read"
WELSH = "cy"
PICTURES = Path(__file__).resolve().parents[2] / "static" / "easy-read"
PICTURE_URL = "/static/easy-read/"
SHIPPED = frozenset(path.name for path in PICTURES.glob("*.svg"))


def picture(name: str) -> str | None:
    """The URL of a shipped picture, or None when there is none by that name."""
    return PICTURE_URL + name if name in SHIPPED else None


@dataclass(frozen=True)
class ScaleLevel:
    level: int
    label: str
    description: str
    picture: str | None = None


@dataclass(frozen=True)
class Words:
    """What to show for one framework version, in English or Easy Read."""

    easy_read: bool
    scale: list[ScaleLevel]
    dont_know: str
    glossary: list[tuple[str, str]]
    texts: FrameworkTexts | None = None
    lang: str | None = None  # the words' language when it is not the page's (lang="…")

    def statement(self, statement: Statement) -> tuple[str, str]:
        """(text, hint)."""
        if self.texts is None:
            return statement.text, statement.hint
        return self.texts.statements.get(statement.code, (statement.text, statement.hint))

    def section(self, section: Section) -> tuple[str, str]:
        """(title, intro)."""
        if self.texts is None:
            return section.title, section.intro
        return self.texts.sections.get(section.code, (section.title, section.intro))

    def section_picture(self, section: Section) -> str | None:
        return picture(f"section-{section.code}.svg") if self.easy_read else None


def english_words(framework: Framework) -> Words:
    scale = sorted(framework.scale, key=lambda item: item["level"])
    levels = [ScaleLevel(int(i["level"]), i["label"], i["description"]) for i in scale]
    return Words(False, levels, framework.dont_know_label, [])


def easy_read_words(session: Session, framework: Framework) -> Words:
    texts = statement_texts(session, framework.id, EASY_READ)
    levels = [
        ScaleLevel(level, label, description, picture(f"level-{level}.svg"))
        for level, (label, description) in sorted(texts.scale.items())
    ]
    return Words(True, levels, texts.dont_know, texts.glossary, texts)


def welsh_words(session: Session, framework: Framework) -> Words:
    texts = statement_texts(session, framework.id, WELSH)
    levels = [
        ScaleLevel(level, label, description)
        for level, (label, description) in sorted(texts.scale.items())
    ]
    return Words(False, levels, texts.dont_know, [], texts)


def words_for(
    session: Session, framework: Framework, easy_read: bool, language: str = "en"
) -> Words:
    """The words a participant reads: Easy Read when they chose it at join, else the
    framework's text in the page's language."""
    if easy_read:
        words = easy_read_words(session, framework)
        return replace(words, lang="en-GB") if language == WELSH else words
    if language == WELSH:
        return welsh_words(session, framework)
    return english_words(framework)


def glossary_context(words: Words, code: str, back: str) -> dict:
    """The Easy Read glossary page: the words a framework cannot avoid, explained."""
    return {
        "page_title": N_("What some words mean"),
        "words": words,
        "code": code,
        "back_url": back,
    }
