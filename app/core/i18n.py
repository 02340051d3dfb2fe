"""The interface in English and Welsh (issue 15, point 1).

`_()` and `ngettext()` translate into the language of the page being made: a context
variable, set by `use_language()` when a page renders (app.web.render reads the person's
choice then, so the one-tap save path does no extra work). English is the source text; the
Welsh catalogue is `app/translations/cy/LC_MESSAGES/messages.po` and the area files beside
it (`*.po`), read once at start-up with Babel (nothing compiled is committed). `N_()` marks
a sentence for extraction where it is defined (a constant) and leaves it in English: it is
translated where it is shown.
"""

from __future__ import annotations

import gettext
from contextvars import ContextVar
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

ENGLISH = "en"
WELSH = "cy"
LANGUAGES = (ENGLISH, WELSH)
LANGUAGE_NAMES = {ENGLISH: "English", WELSH: "Cymraeg"}  # each in its own language
HTML_LANG = {ENGLISH: "en-GB", WELSH: "cy"}
COOKIE = "trip_lang"
CATALOGUES = Path(__file__).resolve().parent.parent / "translations"


def catalogue_path(language: str) -> Path:
    """The main catalogue file (pybabel's `update` keeps it)."""
    return CATALOGUES / language / "LC_MESSAGES" / "messages.po"


def catalogue_paths(language: str) -> list[Path]:
    """Every catalogue file of `language`: messages.po, then each area's file beside it
    (`plans.po`, `rounds.po`, …, in name order), so areas can be translated side by side."""
    main = catalogue_path(language)
    others = (
        sorted(p for p in main.parent.glob("*.po") if p != main) if main.parent.exists() else []
    )
    return ([main] if main.exists() else []) + others


def read_catalogue(language: str) -> Catalog:
    """All of `language`'s catalogue files as one Babel catalogue (a sentence found in two
    files keeps the first Welsh given; an empty one is skipped, so `pybabel update` adding a
    sentence to messages.po hides no area file's Welsh; tests/test_welsh.py refuses two
    different translations)."""
    merged = Catalog(locale=language)
    for path in catalogue_paths(language):
        with path.open("rb") as source:
            for message in read_po(source, locale=language):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if message.id and message.id not in merged and all(strings):
                    merged[message.id] = message  # an empty msgstr leaves it to the next file
    return merged


def load_translations(language: str) -> gettext.NullTranslations:
    """The catalogue for `language` as gettext translations (English: none needed)."""
    if language == ENGLISH or not catalogue_paths(language):
        return gettext.NullTranslations()
    compiled = BytesIO()
    write_mo(compiled, read_catalogue(language))
    compiled.seek(0)
    return Translations(compiled)


_LOADED: dict[str, gettext.NullTranslations] = {lang: load_translations(lang) for lang in LANGUAGES}
_language: ContextVar[str] = ContextVar("language", default=ENGLISH)


def use_language(language: str | None) -> str:
    """Translate into `language` from now on in this context (anything unknown: English)."""
    chosen = language if language in LANGUAGES else ENGLISH
    _language.set(chosen)
    return chosen


def current_language() -> str:
    return _language.get()


def _(message: str) -> str:
    return _LOADED[_language.get()].gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _LOADED[_language.get()].ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the usual gettext name for a deferred marker
    return message


def other_language(language: str) -> str:
    return WELSH if language == ENGLISH else ENGLISH


def gettext_in(language: str, message: str) -> str:
    """`message` in `language`, whatever the page's language (the projector's own choice)."""
    return _LOADED.get(language, _LOADED[ENGLISH]).gettext(message)
