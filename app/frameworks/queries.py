"""Frameworks' read models: every imported version, the newest per key, a version's
sections and statements, what changed since the version before, its text in Welsh or Easy
Read (falling back to English), and the framework a team's setting starts with."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, func, select

from app.models import Framework, FrameworkText, Section, Statement, Team


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


# --- the framework each setting starts with ---------------------------------------------------

# setting (app.models.base.SETTING_LABELS) → the shipped framework key a new team starts with
DEFAULT_FRAMEWORK_KEYS: dict[str, str] = {
    "community": "community",
    "inpatient": "inpatient",
    "rehabilitation": "rehab-secure",
    "secure": "rehab-secure",
    "crisis": "crisis",
    "voluntary-sector": "voluntary",
    "corporate": "corporate",
    "other": "community",
}


def default_framework_key(setting: str) -> str:
    """The framework key a team in this setting starts with (community when unknown)."""
    return DEFAULT_FRAMEWORK_KEYS.get(setting, "community")


def default_framework_for(session: Session, team: Team) -> Framework | None:
    """The newest version of the team's chosen framework, or else of its setting's one."""
    if team.default_framework_key:
        chosen = latest_for_key(session, team.default_framework_key)
        if chosen is not None:
            return chosen
    return latest_for_key(session, default_framework_key(team.setting))


# --- a version's text in another language ------------------------------------------------------


@dataclass(frozen=True)
class FrameworkTexts:
    """A version's words in one language; anything not translated is the English."""

    language: str
    statements: dict[str, tuple[str, str]]  # code → (text, hint)
    sections: dict[str, tuple[str, str]]  # code → (title, intro)
    scale: dict[int, tuple[str, str]]  # level → (label, description)
    dont_know: str
    glossary: list[tuple[str, str]]  # (word, meaning), Easy Read's hard words
    translated: frozenset[tuple[str, str]]  # (kind, code) given in this language


def statement_texts(session: Session, framework_id: int, language: str) -> FrameworkTexts:
    """The words to show for a version in `language` ("en" or any other: English fallback).

    Ratings hang on the statement, whichever language it was read in, so this only changes
    what is shown.
    """
    framework = session.get(Framework, framework_id)
    if framework is None:
        raise LookupError(f"no framework {framework_id}")
    pairs = sections_with_statements(session, framework_id)
    statements = {st.code: (st.text, st.hint) for _, sts in pairs for st in sts}
    sections = {section.code: (section.title, section.intro) for section, _ in pairs}
    scale = {int(lvl["level"]): (lvl["label"], lvl["description"]) for lvl in framework.scale}
    dont_know = framework.dont_know_label
    glossary: list[tuple[str, str]] = []
    translated: set[tuple[str, str]] = set()
    rows = session.exec(
        select(FrameworkText)
        .where(FrameworkText.framework_id == framework_id, FrameworkText.language == language)
        .order_by(FrameworkText.position, FrameworkText.id)
    ).all()
    for row in rows:
        if row.kind == "statement" and row.code in statements:
            statements[row.code] = (row.text, row.hint)
        elif row.kind == "section" and row.code in sections:
            sections[row.code] = (row.text, row.hint)
        elif row.kind == "scale" and row.code.isdigit() and int(row.code) in scale:
            scale[int(row.code)] = (row.text, row.hint)
        elif row.kind == "dont_know":
            dont_know = row.text
        elif row.kind == "glossary":
            glossary.append((row.code, row.text))
            continue
        else:
            continue
        translated.add((row.kind, row.code))
    return FrameworkTexts(
        language, statements, sections, scale, dont_know, glossary, frozenset(translated)
    )
