"""Frameworks in the database: import (all or nothing), list, read."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, func, select

from app.frameworks.loader import (
    FrameworkFileError,
    FrameworkProblem,
    LoadedFramework,
    check_framework_files,
    load_framework_file,
)
from app.models import Framework, Section, Statement


@dataclass(frozen=True)
class ImportResult:
    source: str
    key: str
    version: str
    created: bool


def import_frameworks(
    session: Session, paths: Iterable[str | os.PathLike[str]]
) -> list[ImportResult]:
    """Import every file or none: raise FrameworkFileError listing all problems.

    An unchanged file (same checksum) creates nothing. A changed file under a version label
    already imported is refused; a new label makes a new version and the old one stays.
    """
    paths = [str(p) for p in paths]
    problems = check_framework_files(paths)
    if problems:
        raise FrameworkFileError(problems)
    loaded = [load_framework_file(p) for p in paths]
    results: list[ImportResult] = []
    refused: list[FrameworkProblem] = []
    to_create: list[LoadedFramework] = []
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
    for framework in to_create:
        _create(session, framework)
    session.commit()
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


def list_frameworks(session: Session) -> list[Framework]:
    return list(session.exec(select(Framework).order_by(Framework.key, Framework.id)).all())


def latest_versions(session: Session) -> list[Framework]:
    """The newest version of each framework key."""
    latest: dict[str, Framework] = {}
    for framework in list_frameworks(session):
        latest[framework.key] = framework
    return list(latest.values())


def latest_for_key(session: Session, key: str) -> Framework | None:
    return session.exec(
        select(Framework).where(Framework.key == key).order_by(Framework.id.desc())
    ).first()


def sections_with_statements(
    session: Session, framework_id: int
) -> list[tuple[Section, list[Statement]]]:
    sections = session.exec(
        select(Section).where(Section.framework_id == framework_id).order_by(Section.position)
    ).all()
    statements = session.exec(
        select(Statement).where(Statement.framework_id == framework_id).order_by(Statement.position)
    ).all()
    by_section: dict[int, list[Statement]] = {s.id: [] for s in sections}
    for statement in statements:
        by_section[statement.section_id].append(statement)
    return [(section, by_section[section.id]) for section in sections]


@dataclass(frozen=True)
class FrameworkFamily:
    """Every imported version of one framework key, newest first."""

    key: str
    versions: list[Framework]
    statement_counts: dict[int, int]

    @property
    def latest(self) -> Framework:
        return self.versions[0]


def families(session: Session) -> list[FrameworkFamily]:
    """Frameworks grouped by key (by title of the newest version), versions newest first."""
    counts = dict(
        session.exec(
            select(Statement.framework_id, func.count(Statement.id)).group_by(
                Statement.framework_id
            )
        ).all()
    )
    by_key: dict[str, list[Framework]] = {}
    for framework in list_frameworks(session):
        by_key.setdefault(framework.key, []).append(framework)
    groups = [
        FrameworkFamily(key, list(reversed(versions)), counts) for key, versions in by_key.items()
    ]
    return sorted(groups, key=lambda g: g.latest.title.lower())


def versions_of(session: Session, key: str) -> list[Framework]:
    """Every version of one key, newest first."""
    return list(
        session.exec(
            select(Framework).where(Framework.key == key).order_by(Framework.id.desc())
        ).all()
    )


@dataclass(frozen=True)
class VersionChanges:
    """How a version differs from the one before it, by statement code (codes are stable)."""

    previous: Framework
    added: list[str]
    changed: list[str]
    removed: list[str]


def changes_since_previous(session: Session, framework: Framework) -> VersionChanges | None:
    """What changed since the version imported before this one (None for the first)."""
    previous = session.exec(
        select(Framework)
        .where(Framework.key == framework.key, Framework.id < framework.id)
        .order_by(Framework.id.desc())
    ).first()
    if previous is None:
        return None

    def texts(framework_id: int) -> dict[str, tuple[str, str]]:
        rows = session.exec(
            select(Statement)
            .where(Statement.framework_id == framework_id)
            .order_by(Statement.position)
        ).all()
        return {s.code: (s.text, s.hint) for s in rows}

    now, before = texts(framework.id), texts(previous.id)
    return VersionChanges(
        previous=previous,
        added=[code for code in now if code not in before],
        changed=[code for code in now if code in before and now[code] != before[code]],
        removed=[code for code in before if code not in now],
    )
