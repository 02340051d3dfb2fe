"""The projector's language (issue 15, point 1): it follows the facilitator's language, or
shows each sentence in Welsh then English when the facilitator chooses "both languages" on
their page (kept in their browser's cookie `trip_projector`). The statement, the scale and
the section come from the framework's Welsh text where the projector shows Welsh."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from markupsafe import Markup
from sqlmodel import Session

from app.core import i18n
from app.core.i18n import N_
from app.frameworks.queries import FrameworkTexts, statement_texts
from app.models import Framework
from app.web import language_of

COOKIE = "trip_projector"
BOTH = "both"
CHOICES = (i18n.ENGLISH, i18n.WELSH, BOTH)
CHOICE_LABELS = {i18n.ENGLISH: "English", i18n.WELSH: "Cymraeg", BOTH: N_("Both languages")}


def projector_choice(request: Request) -> str:
    """The facilitator's choice for the projector, else their own language."""
    chosen = request.cookies.get(COOKIE)
    return chosen if chosen in CHOICES else language_of(request)


def _bilingual(welsh: str, english: str) -> Markup:
    if welsh == english:
        return Markup('<span lang="cy">{}</span>').format(welsh)
    return Markup(
        '<span lang="cy" class="app-both__cy">{}</span>'
        '<span class="app-both__sep" aria-hidden="true"> / </span>'
        '<span lang="en-GB" class="app-both__en">{}</span>'
    ).format(welsh, english)


@dataclass
class ProjectorWords:
    """`say()` in the template: a sentence in the projector's language(s)."""

    choice: str
    framework: Framework | None = None
    welsh: FrameworkTexts | None = None  # read only when the projector shows Welsh

    @property
    def both(self) -> bool:
        return self.choice == BOTH

    def say(self, message: str, **values: Any) -> Markup | str:
        """A sentence marked with N_() in the template, with its %(name)s values."""
        if not self.both:
            text = i18n.gettext_in(self.choice, message)
            return text % values if values else text
        welsh, english = i18n.gettext_in(i18n.WELSH, message), message
        if values:
            welsh, english = welsh % values, english % values
        return _bilingual(welsh, english)

    def scale(self) -> dict[str, Any]:
        """The scale for the spread's bars (rounds/_macros.html cell_bars): each level's
        name in the projector's language(s), with a plain-text name for its aria-label."""
        levels = sorted(int(i["level"]) for i in self.framework.scale)  # type: ignore[union-attr]
        return {
            "scale": [
                {"level": n, "label": self.level(n), "plain": self.plain_level(n)} for n in levels
            ],
            "dont_know_label": self.level(None),
            "dont_know_plain": self.plain_level(None),
        }

    def _pair(self, kind: str, code: str, fallback: str, hint: bool = False) -> Markup | str:
        index = 1 if hint else 0
        texts = {"statement": "statements", "section": "sections"}[kind]
        welsh = getattr(self.welsh, texts, {}).get(code, (fallback, fallback))[index] or ""
        english = fallback or ""
        if self.both:
            return _bilingual(welsh, english) if welsh or english else ""
        return welsh if self.choice == i18n.WELSH else english

    def statement(self, statement) -> Markup | str:
        return self._pair("statement", statement.code, statement.text)

    def hint(self, statement) -> Markup | str:
        return self._pair("statement", statement.code, statement.hint or "", hint=True)

    def section(self, section) -> Markup | str:
        return self._pair("section", section.code, section.title)

    def level(self, level: int | None) -> Markup | str:
        """A scale level's name ("Don't know" for None), without its number."""
        pairs = [self._welsh_level(level), self._english_level(level)]
        if self.both:
            return _bilingual(*pairs)
        return pairs[0] if self.choice == i18n.WELSH else pairs[1]

    def plain_level(self, level: int | None) -> str:
        """The level's name as plain text (for an aria-label): the page's own language."""
        return self._welsh_level(level) if self.choice == i18n.WELSH else self._english_level(level)

    def _welsh_level(self, level: int | None) -> str:
        if self.welsh is None:
            return ""
        return self.welsh.dont_know if level is None else self.welsh.scale[level][0]

    def _english_level(self, level: int | None) -> str:
        if self.framework is None:
            return ""
        if level is None:
            return self.framework.dont_know_label
        return next(i["label"] for i in self.framework.scale if int(i["level"]) == level)


def page_words(request: Request, session: Session, framework: Framework) -> ProjectorWords:
    """The framework's words in the page's own language (the facilitator's page): in Welsh,
    its Welsh text, English where a sentence has none."""
    words = ProjectorWords(language_of(request), framework)
    if words.choice == i18n.WELSH:
        words.welsh = statement_texts(session, framework.id, i18n.WELSH)
    return words


@dataclass(frozen=True)
class ReadFramework:
    """A framework's name and scale as the page's reader reads them (level_labels,
    level_options and the rounds macros read `scale` and `dont_know_label`)."""

    id: int
    title: str
    version: str
    scale: list[dict[str, Any]]
    dont_know_label: str


def read_framework(words: ProjectorWords) -> Framework | ReadFramework:
    """The framework with its scale's names in the words' language (the framework itself in
    English)."""
    framework = words.framework
    if words.welsh is None or framework is None:
        return framework  # type: ignore[return-value]
    scale = [{**item, "label": words.level(int(item["level"]))} for item in framework.scale]
    return ReadFramework(framework.id, framework.title, framework.version, scale, words.level(None))


def projector_words(request: Request, session: Session, framework: Framework | None):
    choice = projector_choice(request)
    words = ProjectorWords(choice, framework)
    if framework is not None and choice in (i18n.WELSH, BOTH):
        words.welsh = statement_texts(session, framework.id, i18n.WELSH)
    return words
