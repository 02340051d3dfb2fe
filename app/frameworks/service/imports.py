"""Importing framework files into the database: all or nothing, new versions kept beside
the old, and each file's translations (translations/<key>.<language>.yaml beside it) stored
for that version outside its checksum. Flushes; the caller (the CLI, the demo) commits."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session, select

from app.frameworks.service.loader import (
    FrameworkFileError,
    FrameworkProblem,
    LoadedFramework,
    check_framework_files,
    load_framework_file,
)
from app.frameworks.service.translations import (
    LoadedTranslation,
    read_translations,
    store_translations,
)
from app.models import Framework, Section, Statement


@dataclass(frozen=True)
class ImportResult:
    source: str
    key: str
    version: str
    created: bool
    languages: list[str] = field(default_factory=list)


def import_frameworks(
    session: Session, paths: Iterable[str | os.PathLike[str]]
) -> list[ImportResult]:
    """Import every file or none: raise FrameworkFileError listing all problems.

    An unchanged file (same checksum) creates nothing. A changed file under a version label
    already imported is refused; a new label makes a new version and the old one stays.
    Translation files replace the stored text of their language for the file's version
    (new or already there); a problem in one refuses the batch like a framework's would.
    """
    paths = [str(p) for p in paths]
    problems = check_framework_files(paths)
    if problems:
        raise FrameworkFileError(problems)
    loaded = [load_framework_file(p) for p in paths]
    translations: dict[str, list[LoadedTranslation]] = {}
    for framework in loaded:
        translations[framework.source], found = read_translations(framework)
        problems += found
    if problems:
        raise FrameworkFileError(problems)
    results: list[ImportResult] = []
    refused: list[FrameworkProblem] = []
    to_create: list[LoadedFramework] = []
    unchanged: list[tuple[Framework, LoadedFramework]] = []
    for framework in loaded:
        existing = session.exec(
            select(Framework).where(
                Framework.key == framework.key, Framework.version == framework.version
            )
        ).first()
        if existing is None:
            to_create.append(framework)
            results.append(ImportResult(framework.source, framework.key, framework.version, True))
        elif existing.checksum == framework.checksum:
            results.append(ImportResult(framework.source, framework.key, framework.version, False))
            unchanged.append((existing, framework))
        else:
            refused.append(
                FrameworkProblem(
                    framework.source,
                    _version_line(framework.source),
                    f'the content changed but version "{framework.version}" of '
                    f'"{framework.key}" is already imported: give the file a new version label',
                )
            )
    if refused:
        raise FrameworkFileError(refused)
    stored = unchanged + [(_create(session, framework), framework) for framework in to_create]
    by_source = {r.source: r for r in results}
    for row, framework in stored:
        languages = store_translations(session, row.id, translations[framework.source])
        by_source[framework.source].languages.extend(languages)
    session.flush()
    return results


def _version_line(path: str) -> int:
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.startswith("version:"):
                return number
    return 1


def _create(session: Session, loaded: LoadedFramework) -> Framework:
    framework = Framework(
        key=loaded.key,
        version=loaded.version,
        title=loaded.title,
        setting=loaded.setting,
        scale=[level.model_dump() for level in loaded.scale],
        dont_know_label=loaded.dont_know_label,
        checksum=loaded.checksum,
        source=os.path.basename(loaded.source),
    )
    session.add(framework)
    session.flush()
    position = 0
    for s_index, loaded_section in enumerate(loaded.sections):
        section = Section(
            framework_id=framework.id,
            code=loaded_section.code,
            title=loaded_section.title,
            intro=loaded_section.intro,
            position=s_index,
        )
        session.add(section)
        session.flush()
        for loaded_statement in loaded_section.statements:
            session.add(
                Statement(
                    framework_id=framework.id,
                    section_id=section.id,
                    code=loaded_statement.code,
                    text=loaded_statement.text,
                    hint=loaded_statement.hint,
                    position=position,
                )
            )
            position += 1
    session.flush()
    return framework
