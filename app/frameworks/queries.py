"""Frameworks' read models: every imported version, the newest per key, a version's
sections and statements, and what changed since the version before."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, func, select

from app.models import Framework, Section, Statement


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
