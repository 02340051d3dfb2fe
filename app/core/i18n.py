"""Translation markers: `_()` and `ngettext()` around every sentence a person reads in a
mail, so the texts can be translated later (no catalogue is loaded yet: English as written).
"""

from __future__ import annotations

import gettext

_translations: gettext.NullTranslations = gettext.NullTranslations()


def _(message: str) -> str:
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)
