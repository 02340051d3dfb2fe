"""Translation files: a framework's text in Welsh (`cy`) or Easy Read (`easy_read`), read
from `translations/<key>.<language>.yaml` beside the framework file, checked against the
framework's codes, reported when missing, and stored outside the framework's checksum (the
`framework_text` table), so they can be added to a version rounds already use.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, delete
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from app.frameworks.service.loader import (
    FrameworkProblem,
    LoadedFramework,
    check_framework_files,
    compose_file,
    load_framework_file,
)
from app.frameworks.service.translation_checker import TranslationChecker
from app.models import FrameworkText

LANGUAGES = {"cy": "Welsh (cy)", "easy_read": "Easy Read (easy_read)"}
KIND_NAMES = {
    "scale": "scale level",
    "dont_know": 'the "Don\'t know" label',
    "section": "section",
    "statement": "statement",
}


@dataclass(frozen=True)
class LoadedTranslation:
    source: str
    key: str
    language: str
    entries: dict[tuple[str, str], tuple[str, str, int]]  # (kind, code) → (text, hint, line)
    glossary: list[tuple[str, str]]


def translation_path(framework_source: str | os.PathLike[str], key: str, language: str) -> Path:
    return Path(framework_source).parent / "translations" / f"{key}.{language}.yaml"


def expected_codes(framework: LoadedFramework) -> list[tuple[str, str]]:
    """Every (kind, code) a complete translation of this framework has, in file order."""
    codes = [("scale", str(level.level)) for level in framework.scale] + [("dont_know", "")]
    codes += [("section", section.code) for section in framework.sections]
    return codes + [("statement", st.code) for st in framework.statements]


def read_translations(
    framework: LoadedFramework,
) -> tuple[list[LoadedTranslation], list[FrameworkProblem]]:
    """The framework's translation files that exist, and every problem in them."""
    folder = Path(framework.source).parent / "translations"
    translations: list[LoadedTranslation] = []
    problems: list[FrameworkProblem] = []
    for path in sorted(folder.glob(f"{framework.key}.*.yaml")):
        language = path.name[len(framework.key) + 1 : -len(".yaml")]
        if language not in LANGUAGES:
            message = f"unknown language '{language}' in the file name: use {', '.join(LANGUAGES)}"
            problems.append(FrameworkProblem(str(path), 1, message))
            continue
        translation, found = read_translation(path, framework, language)
        problems += found
        if translation is not None:
            translations.append(translation)
    return translations, problems


def read_translation(
    path: str | os.PathLike[str], framework: LoadedFramework, language: str
) -> tuple[LoadedTranslation | None, list[FrameworkProblem]]:
    """One translation file checked against its framework: (translation or None, problems)."""
    file = str(path)
    root, problems = compose_file(path)
    if root is None:
        return None, problems
    checker = TranslationChecker()
    checker.translation(root)
    found = list(checker.problems)
    if checker.framework_key is not None and checker.framework_key != framework.key:
        found.append(
            (
                checker.key_line,
                f"framework '{checker.framework_key}' does not match the file "
                f"name: this file is for '{framework.key}' ({framework.source})",
            )
        )
    if checker.language is not None and checker.language != language:
        found.append(
            (
                checker.language_line,
                f"language '{checker.language}' does not match the file "
                f"name, which says '{language}'",
            )
        )
    known = set(expected_codes(framework))
    for (kind, code), (_, _, line) in checker.entries.items():
        if (kind, code) not in known:
            found.append(
                (
                    line,
                    f"{KIND_NAMES[kind]} '{code}' is not in {framework.source} "
                    f"(version {framework.version}): remove it or check the code",
                )
            )
    if found:
        return None, [FrameworkProblem(file, line, msg) for line, msg in sorted(found)]
    return LoadedTranslation(file, framework.key, language, checker.entries, checker.glossary), []


def missing_translations(
    framework: LoadedFramework,
    translations: Sequence[LoadedTranslation],
    require: Iterable[str] = (),
) -> list[FrameworkProblem]:
    """What each language lacks, at the English line: warnings, or errors when required."""
    required = set(require)
    lines = english_lines(framework.source)
    by_language = {t.language: t for t in translations}
    problems: list[FrameworkProblem] = []
    for language, name in LANGUAGES.items():
        warning = language not in required
        path = translation_path(framework.source, framework.key, language)
        translation = by_language.get(language)
        if translation is None:
            message = f"no {name} text for this framework: add {path}"
            problems.append(FrameworkProblem(framework.source, 1, message, warning))
            continue
        for kind, code in expected_codes(framework):
            if (kind, code) not in translation.entries:
                what = KIND_NAMES[kind] + (f" {code}" if code else "")
                message = f"{what} has no {name} text in {translation.source}"
                line = lines.get((kind, code), 1)
                problems.append(FrameworkProblem(framework.source, line, message, warning))
    return problems


def check_with_translations(
    paths: Iterable[str | os.PathLike[str]], require: Iterable[str] = ()
) -> list[FrameworkProblem]:
    """Framework files and their translation files: problems, then missing text (warnings
    unless the language is in `require`). An unknown language in `require` is a problem."""
    paths = [str(p) for p in paths]
    require = list(require)
    problems = [
        FrameworkProblem("--require", 0, f"unknown language '{lang}': use {', '.join(LANGUAGES)}")
        for lang in require
        if lang not in LANGUAGES
    ]
    problems += check_framework_files(paths)
    broken = {p.file for p in problems}
    missing: list[FrameworkProblem] = []
    for path in dict.fromkeys(paths):
        if path in broken:
            continue
        framework = load_framework_file(path)
        translations, found = read_translations(framework)
        problems += found
        missing += missing_translations(framework, translations, require)
    return problems + missing


def store_translations(
    session: Session, framework_id: int, translations: Iterable[LoadedTranslation]
) -> list[str]:
    """Replace the stored text of each language given; other languages are left alone."""
    languages = []
    for translation in translations:
        session.exec(
            delete(FrameworkText).where(
                FrameworkText.framework_id == framework_id,
                FrameworkText.language == translation.language,
            )
        )
        rows = [
            FrameworkText(
                framework_id=framework_id,
                language=translation.language,
                kind=kind,
                code=code,
                text=text,
                hint=hint,
            )
            for (kind, code), (text, hint, _) in translation.entries.items()
        ]
        rows += [
            FrameworkText(
                framework_id=framework_id,
                language=translation.language,
                kind="glossary",
                code=word,
                text=meaning,
                position=position,
            )
            for position, (word, meaning) in enumerate(translation.glossary)
        ]
        session.add_all(rows)
        languages.append(translation.language)
    session.flush()
    return languages


def english_lines(path: str | os.PathLike[str]) -> dict[tuple[str, str], int]:
    """(kind, code) → the line of that item in a (valid) framework file."""
    root, _ = compose_file(path)
    lines: dict[tuple[str, str], int] = {}
    if not isinstance(root, MappingNode):
        return lines
    top = _fields(root)
    if isinstance(scale := top.get("scale"), SequenceNode):
        for number, item in enumerate(scale.value, 1):
            lines[("scale", str(number))] = _line(item)
    if "dont_know" in top:
        lines[("dont_know", "")] = _line(top["dont_know"])
    sections = top.get("sections")
    for section in sections.value if isinstance(sections, SequenceNode) else []:
        fields = _fields(section)
        lines[("section", _scalar(fields.get("code")))] = _line(section)
        statements = fields.get("statements")
        for statement in statements.value if isinstance(statements, SequenceNode) else []:
            lines[("statement", _scalar(_fields(statement).get("code")))] = _line(statement)
    return lines


def _fields(node: Node) -> dict[str, Node]:
    if not isinstance(node, MappingNode):
        return {}
    return {k.value: v for k, v in node.value if isinstance(k, ScalarNode)}


def _scalar(node: Node | None) -> str:
    return node.value.strip() if isinstance(node, ScalarNode) else ""


def _line(node: Node) -> int:
    return node.start_mark.line + 1
