"""Read a framework YAML file and check it, without touching any database.

`load_framework_file` gives a `LoadedFramework` or raises `FrameworkFileError` listing every
problem found (file, 1-based line, plain message). `check_framework_files` checks a batch
and also catches two files claiming the same key and version. Line 0 means a problem with
the file as a whole (it cannot be read).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import Node

from app.frameworks.service.checker import FrameworkChecker
from app.frameworks.service.schema import (
    LoadedFramework,
    LoadedSection,
    LoadedStatement,
    ScaleLevel,
    content_checksum,
)

__all__ = [
    "compose_file",
    "FrameworkFileError",
    "FrameworkProblem",
    "LoadedFramework",
    "LoadedSection",
    "LoadedStatement",
    "ScaleLevel",
    "check_framework_files",
    "load_framework_file",
]


@dataclass(frozen=True)
class FrameworkProblem:
    file: str
    line: int
    message: str
    warning: bool = False  # a missing translation, unless the check requires that language

    def __str__(self) -> str:
        flag = "warning: " if self.warning else ""
        return f"{self.file}:{self.line}: {flag}{self.message}"


class FrameworkFileError(Exception):
    """A framework file has one or more problems; `.problems` lists them all."""

    def __init__(self, problems: Iterable[FrameworkProblem]) -> None:
        self.problems: list[FrameworkProblem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def load_framework_file(path: str | os.PathLike[str]) -> LoadedFramework:
    """Parse and check one framework file; raise FrameworkFileError with all its problems."""
    framework, problems, _ = _read(path)
    if problems or framework is None:
        raise FrameworkFileError(problems)
    return framework


def check_framework_files(paths: Iterable[str | os.PathLike[str]]) -> list[FrameworkProblem]:
    """Check a batch of files; an empty list means every file is fine.

    Besides each file's own problems, a file whose key and version were already claimed by
    an earlier file in the batch is flagged at its version line.
    """
    problems: list[FrameworkProblem] = []
    claimed: dict[tuple[str, str], str] = {}
    seen_paths: set[Path] = set()
    for path in paths:
        resolved = Path(path).resolve()
        if resolved in seen_paths:
            continue
        seen_paths.add(resolved)
        framework, file_problems, version_line = _read(path)
        problems.extend(file_problems)
        if framework is None:
            continue
        ident = (framework.key, framework.version)
        if ident in claimed:
            problems.append(
                FrameworkProblem(
                    str(path),
                    version_line,
                    f"key '{framework.key}' with version '{framework.version}' is also in "
                    f"{claimed[ident]}: each version of a framework belongs in one file only",
                )
            )
        else:
            claimed[ident] = str(path)
    return problems


_YAML_TIPS = {
    "mapping values are not allowed": " (if the text has a colon and a space, put it in quotes)",
    "cannot start any token": " (indent with spaces, not tabs; quote text that starts with @ or `)",
    "expected <block end>": " (check the indentation of this line and the one before)",
}


def compose_file(path: str | os.PathLike[str]) -> tuple[Node | None, list[FrameworkProblem]]:
    """The file's YAML node tree (lines kept), or None and the one problem that stops it."""
    file = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return None, [FrameworkProblem(file, 0, f"cannot read the file: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [FrameworkProblem(file, line, "the file is not UTF-8 text")]
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = exc.problem or exc.context or "the file cannot be read as YAML"
        if exc.context and exc.problem:
            detail = f"{exc.problem} ({exc.context})"
        line = mark.line + 1 if mark else 1
        tip = next((tip for clue, tip in _YAML_TIPS.items() if clue in detail), "")
        return None, [FrameworkProblem(file, line, f"YAML syntax error: {detail}{tip}")]
    except yaml.YAMLError as exc:
        return None, [FrameworkProblem(file, 1, f"YAML syntax error: {exc}")]
    if root is None:
        return None, [FrameworkProblem(file, 1, "the file is empty")]
    return root, []


def _read(
    path: str | os.PathLike[str],
) -> tuple[LoadedFramework | None, list[FrameworkProblem], int]:
    """(framework or None, problems sorted by line, line of the version field)."""
    file = str(path)
    root, problems = compose_file(path)
    if root is None:
        return None, problems, 0
    checker = FrameworkChecker()
    content = checker.framework(root)
    problems = [
        FrameworkProblem(file, line, message)
        for line, message in sorted(checker.problems, key=lambda p: p[0])
    ]
    if problems or content is None:
        return None, problems, checker.version_line
    framework = LoadedFramework(**content, checksum=content_checksum(content), source=file)
    return framework, [], checker.version_line
