"""The framework file checker: `FrameworkChecker` walks a composed YAML node tree (so every
problem has a line number) against the rules in `schema.py` and collects (line, message)
pairs; `loader.py` turns them into `FrameworkProblem`s ("file:line: problem").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from app.frameworks.service.schema import (
    DONT_KNOW_FIELDS,
    KEY_PATTERN,
    SCALE_FIELDS,
    SCALE_LEVELS,
    SECTION_CODES,
    SECTION_FIELDS,
    SETTINGS,
    STATEMENT_FIELDS,
    TOP_LEVEL_FIELDS,
    statement_code_pattern,
)

_NOT_SCALAR = object()


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _at(name: str, where: str) -> str:
    return f"{name} {where}" if where else name


class FrameworkChecker:
    """Walks a composed YAML node tree, collecting (line, message) problems as it goes."""

    def __init__(self) -> None:
        self.problems: list[tuple[int, str]] = []
        self.version_line = 1
        self._constructor = yaml.SafeLoader("")
        self._section_lines: dict[str, int] = {}
        self._statement_lines: dict[str, int] = {}

    def problem(self, node: Node, message: str) -> None:
        self.problems.append((_line(node), message))

    def value(self, node: Node) -> Any:
        if not isinstance(node, ScalarNode):
            return _NOT_SCALAR
        try:
            return self._constructor.construct_object(node, deep=True)
        except yaml.YAMLError:
            return _NOT_SCALAR

    def describe(self, node: Node) -> str:
        if isinstance(node, MappingNode | SequenceNode):
            return "a mapping" if isinstance(node, MappingNode) else "a list"
        value = self.value(node)
        if value is None:
            return "nothing"
        if isinstance(value, bool):
            return f"true/false ({node.value})"
        if isinstance(value, int | float):
            return f"a number ({node.value})"
        if isinstance(value, dt.date):
            return f"a date ({node.value})"
        return "text" if isinstance(value, str) else f"a value YAML reads as {node.tag}"

    def expect(self, node: Node, kind: type[Node], what: str) -> bool:
        """True if node is a mapping/list as wanted; else a problem "<what>, found <kind>"."""
        if isinstance(node, kind):
            return True
        self.problem(node, f"{what}, found {self.describe(node)}")
        return False

    def unique(self, node: Node, code: str, seen: dict[str, int], what: str) -> None:
        if code in seen:
            self.problem(node, f"duplicate {what} '{code}' (first used on line {seen[code]})")
        else:
            seen[code] = _line(node)

    def fields(
        self,
        node: MappingNode,
        where: str,
        allowed: tuple[str, ...],
        required: tuple[str, ...] | None = None,
    ) -> dict[str, Node]:
        """Field name → value node; flags unknown, repeated and missing fields (every allowed
        field is required unless `required` names fewer)."""
        found: dict[str, Node] = {}
        first_line: dict[str, int] = {}
        place = where or "at the top level"
        for key_node, value_node in node.value:
            name = self.value(key_node)
            if not isinstance(name, str):
                self.problem(key_node, f"field names must be text, found {self.describe(key_node)}")
            elif name in found:
                self.problem(
                    key_node,
                    f"field '{name}' {place} appears twice (first on line {first_line[name]})",
                )
            elif name not in allowed:
                self.problem(
                    key_node, f"unknown field '{name}' {place} (allowed: {', '.join(allowed)})"
                )
            else:
                found[name], first_line[name] = value_node, _line(key_node)
        for name in allowed if required is None else required:
            if name not in found:
                self.problem(node, _at(f"missing required field '{name}'", where))
        return found

    def text(self, fields: dict[str, Node], name: str, where: str) -> str | None:
        """A non-empty text field, whitespace tidied; None (and a problem) otherwise."""
        node = fields.get(name)
        if node is None:
            return None
        value = self.value(node)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.problem(node, f"{_at(name, where)} must not be empty")
            return None
        if not isinstance(value, str):
            quotes = " (put it in quotes)" if isinstance(node, ScalarNode) else ""
            self.problem(
                node, f"{_at(name, where)} must be text, found {self.describe(node)}{quotes}"
            )
            return None
        return " ".join(value.split())

    def peek_code(self, node: MappingNode) -> str | None:
        for key_node, value_node in node.value:
            if self.value(key_node) == "code":
                code = self.value(value_node)
                return code.strip() if isinstance(code, str) and code.strip() else None
        return None

    def framework(self, root: Node) -> dict[str, Any] | None:
        if not self.expect(
            root, MappingNode, "the top level must be a mapping of fields (key: value)"
        ):
            return None
        f = self.fields(root, "", TOP_LEVEL_FIELDS)
        key = self.text(f, "key", "")
        if key is not None and not KEY_PATTERN.match(key):
            self.problem(
                f["key"],
                f"key '{key}' must use only lowercase letters, digits and single hyphens, "
                "e.g. community or acute-ward",
            )
        version = None
        if "version" in f:
            self.version_line = _line(f["version"])
            raw = self.value(f["version"])
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                self.problem(f["version"], 'version must be text in quotes, e.g. "2026.1"')
            else:
                version = self.text(f, "version", "")
        setting = self.text(f, "setting", "")
        if setting is not None and setting not in SETTINGS:
            self.problem(f["setting"], f"setting '{setting}' must be one of: {', '.join(SETTINGS)}")
        return {
            "key": key,
            "version": version,
            "title": self.text(f, "title", ""),
            "setting": setting,
            "scale": self.scale(f["scale"]) if "scale" in f else None,
            "dont_know_label": self.dont_know(f["dont_know"]) if "dont_know" in f else None,
            "sections": self.sections(f["sections"]) if "sections" in f else None,
        }

    def scale(self, node: Node) -> list[dict[str, Any]] | None:
        if not self.expect(node, SequenceNode, "scale must be a list of 4 levels"):
            return None
        if len(node.value) != len(SCALE_LEVELS):
            self.problem(node, f"scale must have exactly 4 levels (1–4), found {len(node.value)}")
        levels, order_flagged = [], False
        for position, item in enumerate(node.value, 1):
            where = f"in scale item {position}"
            what = f"scale item {position} must be a mapping with level, label and description"
            if not self.expect(item, MappingNode, what):
                continue
            f = self.fields(item, where, SCALE_FIELDS)
            level = self.value(f["level"]) if "level" in f else None
            if "level" in f and (not isinstance(level, int) or isinstance(level, bool)):
                self.problem(
                    f["level"],
                    f"level {where} must be a whole number from 1 to 4, "
                    f"found {self.describe(f['level'])}",
                )
            elif "level" in f and level not in SCALE_LEVELS:
                self.problem(f["level"], f"scale level {level} is not allowed: levels are 1 to 4")
            elif "level" in f and level != position and not order_flagged:
                order_flagged = True  # one message for the whole order, at the first slip
                self.problem(
                    f["level"],
                    f"scale levels must be 1, 2, 3, 4 in that order: item {position} "
                    f"has level {level}",
                )
            levels.append(
                {
                    "level": level,
                    "label": self.text(f, "label", where),
                    "description": self.text(f, "description", where),
                }
            )
        return levels

    def dont_know(self, node: Node) -> str | None:
        what = "dont_know must be a mapping with a label, e.g. {label: Don't know}"
        if not self.expect(node, MappingNode, what):
            return None
        return self.text(
            self.fields(node, "in dont_know", DONT_KNOW_FIELDS), "label", "in dont_know"
        )

    def sections(self, node: Node) -> list[dict[str, Any]] | None:
        if not self.expect(node, SequenceNode, "sections must be a list of sections"):
            return None
        if not node.value:
            self.problem(node, "sections must list at least one section")
        return [self.section(number, item) for number, item in enumerate(node.value, 1)]

    def section(self, number: int, node: Node) -> dict[str, Any] | None:
        what = f"section number {number} must be a mapping with code, title, intro and statements"
        if not self.expect(node, MappingNode, what):
            return None
        peeked = self.peek_code(node)
        name = f"section {peeked}" if peeked in SECTION_CODES else f"section number {number}"
        f = self.fields(node, f"in {name}", SECTION_FIELDS)
        code = self.text(f, "code", f"in {name}")
        if code is not None and code not in SECTION_CODES:
            self.problem(f["code"], f"section code '{code}' is not allowed: use one of C1 to C10")
            code = None
        elif code is not None:
            self.unique(f["code"], code, self._section_lines, "section code")
        items = f.get("statements")
        statements: list[dict[str, Any] | None] = []
        if items is not None and (self.value(items) is None or items.value == []):
            self.problem(items, f"{name} has no statements")
        elif items is not None and self.expect(
            items, SequenceNode, f"statements in {name} must be a list"
        ):
            statements = [
                self.statement(n, item, name, code) for n, item in enumerate(items.value, 1)
            ]
        return {
            "code": code,
            "title": self.text(f, "title", f"in {name}"),
            "intro": self.text(f, "intro", f"in {name}"),
            "statements": statements,
        }

    def statement(
        self, number: int, node: Node, section: str, section_code: str | None
    ) -> dict[str, Any] | None:
        what = f"statement number {number} in {section} must be a mapping with code, text and hint"
        if not self.expect(node, MappingNode, what):
            return None
        peeked = self.peek_code(node)
        where = f"in statement {peeked}" if peeked else f"in statement number {number} of {section}"
        f = self.fields(node, where, STATEMENT_FIELDS)
        code = self.text(f, "code", where)
        if (
            code is not None
            and section_code
            and not statement_code_pattern(section_code).match(code)
        ):
            if code.startswith(f"{section_code}."):
                rule = "must end in a whole number with no leading zero"
            else:
                rule = f"must start with its section's code '{section_code}.' followed by a number"
            self.problem(f["code"], f"statement code '{code}' {rule}, e.g. {section_code}.1")
        elif code is not None:
            self.unique(f["code"], code, self._statement_lines, "statement code")
        return {
            "code": code,
            "text": self.text(f, "text", where),
            "hint": self.text(f, "hint", where),
        }
