"""Easy Read and Welsh text of the shipped frameworks, their shape, and the pictures.

No database: these read the files in benchmarks/ and app/static/easy-read/.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from app.frameworks.service import load_framework_file, read_translations
from tests.test_framework_files import reading_ease  # noqa: F401  (the offline fixture)

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "benchmarks").glob("*.yaml"))
TRANSLATIONS = ROOT / "benchmarks" / "translations"
EASY_READ = sorted(TRANSLATIONS.glob("*.easy_read.yaml"))
WELSH = sorted(TRANSLATIONS.glob("*.cy.yaml"))
PICTURES = ROOT / "app" / "static" / "easy-read"
SECTION_CODES = [f"C{n}" for n in range(1, 11)]
MAX_WORDS = 15
MIN_EASY_READ_EASE = 80
SVG = "{http://www.w3.org/2000/svg}"


def easy_read_texts(path: Path) -> tuple[dict[str, str], list[str]]:
    """({statement code: text}, every Easy Read text in the file: scale, sections, hints)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    statements = {code: entry["text"] for code, entry in data["statements"].items()}
    words = [f"{lvl['label']}. {lvl['description']}" for lvl in data["scale"].values()]
    words += [f"{sec['title']}. {sec['intro']}" for sec in data["sections"].values()]
    words += [f"{e['text']} {e['hint']}" for e in data["statements"].values()]
    return statements, words


def test_every_shipped_framework_has_welsh_and_easy_read_files() -> None:
    keys = sorted(p.stem for p in SHIPPED)
    assert sorted(p.name.removesuffix(".easy_read.yaml") for p in EASY_READ) == keys
    assert sorted(p.name.removesuffix(".cy.yaml") for p in WELSH) == keys
    assert len(keys) == 6


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_framework_has_40_to_50_statements_ten_sections_and_four_levels(path) -> None:
    framework = load_framework_file(path)
    assert 40 <= len(framework.statements) <= 50, len(framework.statements)
    assert [s.code for s in framework.sections] == SECTION_CODES
    assert [level.level for level in framework.scale] == [1, 2, 3, 4]
    translations, problems = read_translations(framework)
    assert problems == []
    assert sorted(t.language for t in translations) == ["cy", "easy_read"]


@pytest.mark.parametrize("path", EASY_READ, ids=lambda p: p.name)
def test_each_easy_read_statement_has_at_most_15_words(path) -> None:
    statements, _ = easy_read_texts(path)
    long = {code: len(text.split()) for code, text in statements.items()}
    long = {code: n for code, n in long.items() if n > MAX_WORDS}
    assert not long, f"over {MAX_WORDS} words: {long}"


@pytest.mark.parametrize("path", EASY_READ, ids=lambda p: p.name)
def test_each_framework_easy_read_text_as_a_whole_is_very_easy_to_read(
    path,
    reading_ease,  # noqa: F811
) -> None:
    _, words = easy_read_texts(path)
    score = reading_ease(" ".join(words))
    assert score >= MIN_EASY_READ_EASE, f"{path.name}: Flesch reading ease {score:.1f}"


def test_the_reading_ease_check_tells_hard_text_from_easy(reading_ease) -> None:  # noqa: F811
    hard = (
        "Organisational transformation necessitates comprehensive multidisciplinary "
        "collaboration, continuous evaluation and sophisticated infrastructural investment."
    )
    assert reading_ease(hard) < MIN_EASY_READ_EASE <= reading_ease("We ask you what you want.")


def test_the_english_readability_checks_do_not_run_on_welsh() -> None:
    """Flesch reading ease is a measure of English: the Welsh files are never scored."""
    assert EASY_READ and WELSH
    assert not any(".cy." in p.name for p in EASY_READ)
    from tests import test_framework_files

    assert all(p.parent.name == "benchmarks" for p in test_framework_files.SHIPPED)


@pytest.mark.parametrize(
    "name", [f"level-{n}.svg" for n in range(1, 5)] + [f"section-{c}.svg" for c in SECTION_CODES]
)
def test_a_picture_for_every_level_and_section_with_a_title(name) -> None:
    path = PICTURES / name
    assert path.is_file(), name
    root = ElementTree.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text and title.text.strip(), name
    assert root[0] is title, "the title comes first"
    text = path.read_text(encoding="utf-8")
    assert "<script" not in text and "href=" not in text, "nothing run or fetched"


@pytest.mark.parametrize("path", EASY_READ, ids=lambda p: p.name)
def test_each_easy_read_glossary_explains_the_words_that_cannot_be_avoided(path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    glossary = {entry["word"]: entry["meaning"] for entry in data["glossary"]}
    assert {"recovery", "medication", "service"} <= set(glossary)
    long = {word: len(meaning.split()) for word, meaning in glossary.items()}
    assert all(n <= 2 * MAX_WORDS for n in long.values()), long
