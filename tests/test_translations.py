"""Frameworks' Welsh and Easy Read text: translation files beside the framework file, checked
with file:line, imported outside the checksum, read back with English where a text is missing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlmodel import func, select
from typer.testing import CliRunner

from app.cli import app as trip
from app.frameworks.queries import statement_texts
from app.frameworks.service import (
    FrameworkFileError,
    check_with_translations,
    import_frameworks,
)
from app.frameworks.service.translations import english_lines
from app.models import Framework, FrameworkText
from tests.factories import make_round, make_team

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
SHIPPED = sorted(BENCHMARKS.glob("*.yaml"))


def copy_framework(tmp_path: Path, key: str = "community", languages=("cy", "easy_read")) -> Path:
    """A copy of a shipped framework and chosen translation files in tmp_path."""
    (tmp_path / "translations").mkdir(exist_ok=True)
    shutil.copy(BENCHMARKS / f"{key}.yaml", tmp_path / f"{key}.yaml")
    for language in languages:
        name = f"{key}.{language}.yaml"
        shutil.copy(BENCHMARKS / "translations" / name, tmp_path / "translations" / name)
    return tmp_path / f"{key}.yaml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, fragment: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


def count(session, model) -> int:
    n = session.exec(select(func.count()).select_from(model)).one()
    session.commit()
    return n


# --- trip frameworks check ---------------------------------------------------------------


def test_the_shipped_frameworks_pass_check_requiring_welsh_and_easy_read() -> None:
    result = CliRunner().invoke(
        trip, ["frameworks", "check", "--require", "cy,easy_read", *map(str, SHIPPED)]
    )
    assert result.exit_code == 0, result.output
    assert f"{len(SHIPPED)} file(s) checked: no problems." in result.stdout
    assert result.stderr == ""
    assert len(SHIPPED) == 6


def test_a_missing_statement_warns_and_fails_when_required_with_file_and_line(tmp_path) -> None:
    framework = copy_framework(tmp_path)
    welsh = tmp_path / "translations" / "community.cy.yaml"
    edit(welsh, "  C3.2:\n", "  C3.2-removed:\n")  # an unknown code first: a file problem
    result = CliRunner().invoke(trip, ["frameworks", "check", str(framework)])
    assert result.exit_code == 1
    assert f"{welsh}:{line_of(welsh, 'C3.2-removed')}: statement 'C3.2-removed' is not in" in (
        result.stdout
    )

    text = welsh.read_text(encoding="utf-8").splitlines(keepends=True)
    start = line_of(welsh, "C3.2-removed") - 1
    del text[start : start + 3]  # the code, its text and its hint
    welsh.write_text("".join(text), encoding="utf-8")
    english_line = english_lines(framework)[("statement", "C3.2")]
    assert english_line == line_of(framework, "code: C3.2")
    expected = f"{framework}:{english_line}: "
    message = f"statement C3.2 has no Welsh (cy) text in {welsh}"

    warned = CliRunner().invoke(trip, ["frameworks", "check", str(framework)])
    assert warned.exit_code == 0, warned.output
    assert warned.stderr.splitlines() == [expected + "warning: " + message]

    required = CliRunner().invoke(
        trip, ["frameworks", "check", "--require", "cy,easy_read", str(framework)]
    )
    assert required.exit_code == 1
    assert required.stdout.splitlines() == [expected + message]
    assert "1 problem(s) found" in required.stderr

    # Easy Read alone is complete, so requiring only it passes
    easy = CliRunner().invoke(
        trip, ["frameworks", "check", "--require", "easy_read", str(framework)]
    )
    assert easy.exit_code == 0, easy.output


def test_a_missing_language_file_is_named(tmp_path) -> None:
    framework = copy_framework(tmp_path, languages=("cy",))
    problems = check_with_translations([framework], ["easy_read"])
    assert [str(p) for p in problems] == [
        f"{framework}:1: no Easy Read (easy_read) text for this framework: add "
        f"{tmp_path / 'translations' / 'community.easy_read.yaml'}"
    ]
    assert not problems[0].warning
    (warning,) = check_with_translations([framework])
    assert warning.warning


def test_an_unknown_language_in_require_is_refused() -> None:
    result = CliRunner().invoke(
        trip, ["frameworks", "check", "--require", "cy,fr", str(SHIPPED[0])]
    )
    assert result.exit_code == 1
    assert "unknown language 'fr': use cy, easy_read" in result.stdout


# --- a bad translation file: named with its line, nothing imported ---------------------------

BAD = [
    (
        "  C1.1:\n",
        "  C1.1:\n    colour: blue\n",
        "colour:",
        "unknown field 'colour' in statement C1.1",
    ),
    ("language: cy\n", "language: easy_read\n", "language:", "language 'easy_read' does not match"),
    ("framework: community\n", "framework: crisis\n", "framework:", "framework 'crisis' does not"),
    ("  C1:\n", "  C11:\n", "C11:", "section code 'C11' is not allowed"),
    ("  4: {", "  5: {", "  5: {", "scale level 5 is not allowed"),
    ('dont_know: {label: "Ddim yn gwybod"}', 'dont_know: {label: ""}', "dont_know:", "must not"),
    (
        'dont_know: {label: "Ddim yn gwybod"}',
        'dont_know: "Ddim"',
        "dont_know:",
        "dont_know must be a mapping",
    ),
    ("  C1.2:\n", "  C1.1:\n", "  C1.1:", "statement 'C1.1' appears twice"),
]


@pytest.mark.parametrize(("old", "new", "at", "fragment"), BAD, ids=[b[3][:30] for b in BAD])
def test_a_bad_translation_file_names_file_and_line_and_imports_nothing(
    session, tmp_path, old, new, at, fragment
) -> None:
    framework = copy_framework(tmp_path)
    welsh = tmp_path / "translations" / "community.cy.yaml"
    edit(welsh, old, new)
    line = line_of(welsh, at) if fragment != "statement 'C1.1' appears twice" else 0
    with pytest.raises(FrameworkFileError) as caught:
        import_frameworks(session, [framework, BENCHMARKS / "crisis.yaml"])
    problems = caught.value.problems
    assert len(problems) == 1, "\n".join(map(str, problems))
    assert problems[0].file == str(welsh)
    assert fragment in problems[0].message
    if line:
        assert problems[0].line == line, str(problems[0])
    else:  # the repeated one: at its second use
        lines = [n for n, t in enumerate(welsh.read_text().splitlines(), 1) if t == "  C1.1:"]
        assert problems[0].line == lines[1]
    session.rollback()
    assert count(session, Framework) == 0 and count(session, FrameworkText) == 0


def test_a_yaml_error_in_a_translation_file_has_its_line(session, tmp_path) -> None:
    framework = copy_framework(tmp_path)
    easy = tmp_path / "translations" / "community.easy_read.yaml"
    edit(easy, "  C2.1: {text:", "  C2.1: {text: We ask: why?, oops:")
    (problem,) = [p for p in check_with_translations([framework]) if not p.warning]
    assert problem.file == str(easy) and problem.line == line_of(easy, "C2.1:")
    assert problem.message.startswith("YAML syntax error")


def test_a_word_twice_in_the_glossary_is_refused_at_its_line(session, tmp_path) -> None:
    framework = copy_framework(tmp_path)
    easy = tmp_path / "translations" / "community.easy_read.yaml"
    first = line_of(easy, "{word: carer,")
    edit(easy, "  - {word: review,", "  - {word: Carer, meaning: A helper.}\n  - {word: review,")
    (problem,) = [p for p in check_with_translations([framework]) if not p.warning]
    assert str(problem) == (
        f"{easy}:{first + 1}: 'Carer' is in the glossary twice (first on line {first})"
    )


def test_an_unknown_language_file_is_refused(session, tmp_path) -> None:
    framework = copy_framework(tmp_path)
    odd = tmp_path / "translations" / "community.fr.yaml"
    odd.write_text("framework: community\nlanguage: fr\n", encoding="utf-8")
    with pytest.raises(FrameworkFileError) as caught:
        import_frameworks(session, [framework])
    assert [str(p) for p in caught.value.problems] == [
        f"{odd}:1: unknown language 'fr' in the file name: use cy, easy_read"
    ]


# --- importing: outside the checksum ------------------------------------------------------------


def test_import_stores_every_text_of_both_languages(session) -> None:
    results = import_frameworks(session, SHIPPED)
    session.commit()
    assert all(r.languages == ["cy", "easy_read"] for r in results)
    framework = session.exec(select(Framework).where(Framework.key == "community")).one()
    texts = session.exec(
        select(FrameworkText).where(FrameworkText.framework_id == framework.id)
    ).all()
    kinds = {(t.language, t.kind) for t in texts}
    assert kinds >= {("cy", "statement"), ("easy_read", "glossary"), ("cy", "scale")}
    per_language = [t for t in texts if t.language == "cy" and t.kind == "statement"]
    assert len(per_language) == 45


def test_translations_added_to_a_version_a_round_uses_change_no_checksum(session, tmp_path) -> None:
    framework_file = copy_framework(tmp_path, languages=())
    (first,) = import_frameworks(session, [framework_file])
    session.commit()
    assert first.created and first.languages == []
    framework = session.exec(select(Framework)).one()
    checksum, framework_id = framework.checksum, framework.id
    round_ = make_round(session, make_team(session), framework)
    english = statement_texts(session, framework_id, "cy")
    assert english.statements["C1.1"][0].startswith("We ask about your hopes")
    assert english.translated == frozenset()

    for language in ("cy", "easy_read"):
        name = f"community.{language}.yaml"
        shutil.copy(BENCHMARKS / "translations" / name, tmp_path / "translations" / name)
    (second,) = import_frameworks(session, [framework_file])
    session.commit()
    assert not second.created and second.languages == ["cy", "easy_read"]
    assert count(session, Framework) == 1
    session.refresh(framework)
    assert (framework.id, framework.checksum) == (framework_id, checksum)
    assert round_.framework_id == framework_id
    welsh = statement_texts(session, framework_id, "cy")
    assert welsh.statements["C1.1"][0].startswith("Rydyn ni'n gofyn")
    assert welsh.scale[1] == ("Ddim eto", "Dydyn ni ddim yn gwneud hyn eto.")
    assert welsh.sections["C1"][0] == "Sgyrsiau bob dydd"
    assert welsh.dont_know == "Ddim yn gwybod"

    # a corrected Welsh text replaces the stored one, still without a new version
    welsh_file = tmp_path / "translations" / "community.cy.yaml"
    edit(welsh_file, "Sgyrsiau bob dydd", "Sgyrsiau pob dydd")
    import_frameworks(session, [framework_file])
    session.commit()
    assert count(session, Framework) == 1
    assert statement_texts(session, framework_id, "cy").sections["C1"][0] == "Sgyrsiau pob dydd"
    stored = session.exec(
        select(FrameworkText).where(
            FrameworkText.framework_id == framework_id, FrameworkText.language == "cy"
        )
    ).all()
    assert len(stored) == 4 + 1 + 10 + 45  # scale, "Don't know", sections, statements


def test_missing_texts_fall_back_to_english(session, tmp_path) -> None:
    framework_file = copy_framework(tmp_path, languages=("easy_read",))
    easy = tmp_path / "translations" / "community.easy_read.yaml"
    text = easy.read_text(encoding="utf-8").splitlines(keepends=True)
    del text[line_of(easy, "  C1.2: {") - 1]
    easy.write_text("".join(text), encoding="utf-8")
    import_frameworks(session, [framework_file])
    session.commit()
    framework = session.exec(select(Framework)).one()
    easy_read = statement_texts(session, framework.id, "easy_read")
    english = statement_texts(session, framework.id, "en")
    assert easy_read.statements["C1.1"] == (
        "We ask about your hopes and what matters to you.",
        "At the first meeting, we ask what you want to change in your life.",
    )
    assert easy_read.statements["C1.2"] == english.statements["C1.2"]
    assert ("statement", "C1.2") not in easy_read.translated
    assert ("statement", "C1.1") in easy_read.translated
    assert list(easy_read.statements) == list(english.statements)
    assert easy_read.scale[4] == ("Every day", "We do this every day, with everyone.")
    assert english.scale[4][0] == "Established"
    assert [w for w, _ in easy_read.glossary][:3] == ["recovery", "medication", "service"]
    assert english.glossary == []
    untranslated = statement_texts(session, framework.id, "cy")
    assert untranslated.statements == english.statements
    assert untranslated.sections == english.sections and untranslated.scale == english.scale
    assert untranslated.translated == frozenset()
