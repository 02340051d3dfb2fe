"""The translation file checker: `TranslationChecker` walks a composed translation file
(benchmarks/translations/<key>.<language>.yaml) with the framework checker's tools, so every
problem has a line, and collects its entries keyed by (kind, code). Whether each code is in
the framework, and what is missing, is for `translations.py`.
"""

from __future__ import annotations

from typing import Any

from yaml.nodes import MappingNode, Node, SequenceNode

from app.frameworks.service.checker import FrameworkChecker, _line
from app.frameworks.service.schema import SCALE_LEVELS, SECTION_CODES

TRANSLATION_FIELDS = (
    "framework",
    "language",
    "scale",
    "dont_know",
    "sections",
    "statements",
    "glossary",
)
REQUIRED_FIELDS = ("framework", "language")

# kind → (the file's field, the two fields of one entry: the second may be absent)
ENTRY_FIELDS = {
    "scale": ("label", "description"),
    "dont_know": ("label",),
    "section": ("title", "intro"),
    "statement": ("text", "hint"),
}

MAX_WORD = 64  # a glossary word is stored as a code
Entry = tuple[str, str, int]  # (text, hint or second field, line)


class TranslationChecker(FrameworkChecker):
    """Collects `entries` {(kind, code): (text, hint, line)} and `glossary` [(word, meaning)]."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], Entry] = {}
        self.glossary: list[tuple[str, str]] = []
        self.framework_key: str | None = None
        self.language: str | None = None
        self.key_line = 1
        self.language_line = 1

    def translation(self, root: Node) -> None:
        if not self.expect(root, MappingNode, "the top level must be a mapping of fields"):
            return
        f = self.fields(root, "", TRANSLATION_FIELDS, REQUIRED_FIELDS)
        self.framework_key = self.text(f, "framework", "")
        self.language = self.text(f, "language", "")
        self.key_line = _line(f["framework"]) if "framework" in f else 1
        self.language_line = _line(f["language"]) if "language" in f else 1
        if "scale" in f:
            self.keyed(f["scale"], "scale", "scale")
        if "dont_know" in f and self.expect(
            f["dont_know"], MappingNode, "dont_know must be a mapping with a label"
        ):
            self.entry(f["dont_know"], "dont_know", "", "in dont_know", _line(f["dont_know"]))
        if "sections" in f:
            self.keyed(f["sections"], "section", "sections")
        if "statements" in f:
            self.keyed(f["statements"], "statement", "statements")
        if "glossary" in f:
            self.words(f["glossary"])

    def keyed(self, node: Node, kind: str, name: str) -> None:
        """A mapping of code → entry (scale: level number → entry)."""
        if not self.expect(node, MappingNode, f"{name} must be a mapping of codes to text"):
            return
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            code = self.value(key_node)
            if kind == "scale" and (
                isinstance(code, bool) or not isinstance(code, int) or code not in SCALE_LEVELS
            ):
                self.problem(
                    key_node, f"scale level {key_node.value} is not allowed: levels are 1 to 4"
                )
                continue
            if kind != "scale" and not isinstance(code, str):
                self.problem(
                    key_node, f"{name} codes must be text, found {self.describe(key_node)}"
                )
                continue
            code = str(code)
            if kind == "section" and code not in SECTION_CODES:
                self.problem(
                    key_node, f"section code '{code}' is not allowed: use one of C1 to C10"
                )
                continue
            if code in seen:
                self.problem(
                    key_node, f"{kind} '{code}' appears twice (first on line {seen[code]})"
                )
                continue
            seen[code] = _line(key_node)
            what = f"{kind} {code} must be a mapping with {' and '.join(ENTRY_FIELDS[kind])}"
            if self.expect(value_node, MappingNode, what):
                self.entry(value_node, kind, code, f"in {kind} {code}", _line(key_node))

    def entry(self, node: MappingNode, kind: str, code: str, where: str, line: int) -> None:
        names = ENTRY_FIELDS[kind]
        f = self.fields(node, where, names)
        values: list[Any] = [self.text(f, name, where) for name in names]
        if all(v is not None for v in values) and len(values) == len(names):
            first, second = values[0], values[1] if len(values) > 1 else ""
            self.entries[(kind, code)] = (first, second, line)

    def words(self, node: Node) -> None:
        if not self.expect(node, SequenceNode, "glossary must be a list of {word, meaning}"):
            return
        seen: dict[str, int] = {}
        for number, item in enumerate(node.value, 1):
            where = f"in glossary item {number}"
            if not self.expect(item, MappingNode, f"glossary item {number} must be a mapping"):
                continue
            f = self.fields(item, where, ("word", "meaning"))
            word, meaning = self.text(f, "word", where), self.text(f, "meaning", where)
            if word is not None and len(word) > MAX_WORD:
                self.problem(f["word"], f"word {where} is over {MAX_WORD} characters")
            elif word is not None and word.lower() in seen:
                first = seen[word.lower()]
                self.problem(
                    f["word"], f"'{word}' is in the glossary twice (first on line {first})"
                )
            elif word is not None and meaning is not None:
                seen[word.lower()] = _line(f["word"])
                self.glossary.append((word, meaning))
