"""Free text that names people (docs/privacy.md, "Free text that names people").

Plan titles, priority titles and why, action text and agreed-rating notes are seen outside
the team. A text *names a person* when it contains, as a whole word ignoring case, any word
of two or more letters from the display name of a current or former member of the team.

- Forms ask before saving such a text (`naming_errors`: the message next to the field; the
  form is saved once the person ticks "Yes, this can be seen outside the team").
- The outside view drops the perspective label of any item whose text names a person, or
  whose enclosing item's text does (`outside_label`): "co-led by staff and a person using
  the service" is not shown next to a priority titled "Jo's walking group".

Words are maximal runs of letters, marks and digits (Unicode: "Dŵr", "Zoë"), compared after
NFC normalisation and case folding. "Jo" names Jo in "Jo's group" but not in "Joining".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")

CONFIRM_FIELD = "confirm_names"
CONFIRM_VALUE = "yes"
CONFIRM_LABEL = "Yes, this can be seen outside the team"
NOT_SHOWN = "Not shown outside the team"
MIN_LETTERS = 2


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN"


def words(text: str) -> list[str]:
    """The words of `text` as written (NFC): maximal runs of letters, marks and digits."""
    found: list[str] = []
    current: list[str] = []
    for char in unicodedata.normalize("NFC", text or ""):
        if _is_word_char(char):
            current.append(char)
        elif current:
            found.append("".join(current))
            current = []
    if current:
        found.append("".join(current))
    return found


def _key(word: str) -> str:
    return unicodedata.normalize("NFC", word.casefold())


def _letters(word: str) -> int:
    return sum(1 for char in word if unicodedata.category(char)[0] == "L")


def name_words(display_names: Iterable[str]) -> dict[str, str]:
    """{case-folded word: the word as in the name} for every word of 2+ letters."""
    index: dict[str, str] = {}
    for name in display_names:
        for word in words(name):
            if _letters(word) >= MIN_LETTERS:
                index.setdefault(_key(word), word)
    return index


def names_in(text: str, display_names: Iterable[str] | Mapping[str, str]) -> list[str]:
    """The name words (as spelled in the names) that `text` contains as whole words, in the
    order they first appear in the text. `display_names` may be a `name_words` index."""
    index = display_names if isinstance(display_names, Mapping) else name_words(display_names)
    if not index:
        return []
    found: dict[str, str] = {}
    for word in words(text):
        key = _key(word)
        if key in index and key not in found:
            found[key] = index[key]
    return list(found.values())


def names_anyone(texts: Iterable[str | None], display_names) -> bool:
    index = display_names if isinstance(display_names, Mapping) else name_words(display_names)
    return any(names_in(text or "", index) for text in texts)


def outside_label(label: T, texts: Iterable[str | None], display_names) -> T | None:
    """THE rule for the outside view: an item's perspective label (co-leads, owner, who
    updated), or None when the item's text — or its plan's or priority's — names a person."""
    return None if names_anyone(texts, display_names) else label


class NamedItems:
    """Which of a set of plans' priorities and actions name a person, for `outside_label`:
    a priority whose title or why — or its plan's title — names someone on the plan's team;
    an action whose text names someone, or whose priority does."""

    def __init__(self, plans, priorities, actions=(), names_by_team=None) -> None:
        names_by_team = names_by_team or {}
        plan_of = {plan.id: plan for plan in plans}
        self._index = {team: name_words(names) for team, names in names_by_team.items()}
        self._team_of: dict[int, int] = {}
        self._priorities: set[int] = set()
        for priority in priorities:
            plan = plan_of[priority.plan_id]
            self._team_of[priority.id] = plan.team_id
            if names_anyone((plan.title, priority.title, priority.why), self._names(priority)):
                self._priorities.add(priority.id)
        self._actions = {a.id for a in actions if self._action_named(a)}

    def _names(self, priority) -> dict[str, str]:
        return self._index.get(self._team_of.get(priority.id), {})

    def _action_named(self, action) -> bool:
        if action.priority_id in self._priorities:
            return True
        names = self._index.get(self._team_of.get(action.priority_id), {})
        return names_anyone([action.what], names)

    def priority_named(self, priority) -> bool:
        return priority.id in self._priorities

    def action_named(self, action) -> bool:
        """`action`: an Action, or the id of one given when these were made."""
        if isinstance(action, int):
            return action in self._actions
        return action.id in self._actions or self._action_named(action)

    def priority_label(self, priority, label: T) -> T | None:
        return None if self.priority_named(priority) else label

    def action_label(self, action, label: T) -> T | None:
        return None if self.action_named(action) else label


def spoken(names: list[str]) -> str:
    """Names as said: Jo; Jo and Sam; Jo, Sam and Ali."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def message(names: list[str]) -> str:
    return f"This can be seen outside the team and names {spoken(names)} — keep it?"


def confirmed(values: Mapping[str, Any]) -> bool:
    """Did the posted form tick "Yes, this can be seen outside the team"?"""
    value = values.get(CONFIRM_FIELD)
    if isinstance(value, list):
        return CONFIRM_VALUE in value
    return value == CONFIRM_VALUE


def naming_errors(
    texts: Mapping[str, str | None], display_names, posted: Mapping[str, Any]
) -> dict[str, str]:
    """{field: "This can be seen outside the team and names Jo — keep it?"} for each field
    whose text names a person, unless the posted form confirmed it (then {})."""
    if confirmed(posted):
        return {}
    index = display_names if isinstance(display_names, Mapping) else name_words(display_names)
    errors = {}
    for field, text in texts.items():
        found = names_in(text or "", index)
        if found:
            errors[field] = message(found)
    return errors


def changed(texts: Mapping[str, str | None], saved: Mapping[str, str | None]) -> dict:
    """The texts that differ from what is saved: an edit that keeps a confirmed text as it
    was is not asked about again."""
    return {
        field: text
        for field, text in texts.items()
        if (text or "").strip() != (saved.get(field) or "").strip()
    }
