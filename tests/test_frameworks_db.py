"""Frameworks in the database: all-or-nothing imports, versions, stable codes, the pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlmodel import func, select

from app.frameworks.queries import changes_since_previous
from app.frameworks.service import FrameworkFileError, import_frameworks
from app.models import Framework, Section, Statement
from tests.conftest import soup
from tests.factories import make_user

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "frameworks"
SHIPPED = sorted((ROOT / "benchmarks").glob("*.yaml"))
SMALL = FIXTURES / "valid_small.yaml"
SMALL_V2 = FIXTURES / "valid_small_v2.yaml"


def counts(session) -> tuple[int, int, int]:
    result = tuple(
        session.exec(select(func.count()).select_from(model)).one()
        for model in (Framework, Section, Statement)
    )
    session.commit()
    return result


def statements_of(session, framework_id: int) -> dict[str, str]:
    rows = session.exec(select(Statement).where(Statement.framework_id == framework_id)).all()
    session.commit()
    return {s.code: s.text for s in rows}


def test_import_creates_framework_sections_and_statements(session):
    results = import_frameworks(session, [SMALL])
    assert [(r.key, r.version, r.created) for r in results] == [("small", "2026.1", True)]
    framework = session.exec(select(Framework)).one()
    assert (framework.title, framework.setting, framework.source) == (
        "Small test benchmarks",
        "community",
        "valid_small.yaml",
    )
    assert [level["level"] for level in framework.scale] == [1, 2, 3, 4]
    assert framework.dont_know_label == "Don't know"
    assert len(framework.checksum) == 64
    assert counts(session) == (1, 2, 4)


def test_a_batch_with_one_broken_file_imports_nothing(session, tmp_path):
    broken = FIXTURES / "duplicate_statement_code.yaml"
    with pytest.raises(FrameworkFileError) as caught:
        import_frameworks(session, [*SHIPPED, SMALL, broken])
    assert [p.file for p in caught.value.problems] == [str(broken)]
    assert counts(session) == (0, 0, 0)


def test_an_unchanged_file_creates_nothing(session, tmp_path):
    import_frameworks(session, [SMALL])
    # same content with other comments and layout: the checksum is of the parsed content
    copy = tmp_path / "small.yaml"
    copy.write_text("# a comment\n" + SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    results = import_frameworks(session, [copy])
    assert [r.created for r in results] == [False]
    assert counts(session) == (1, 2, 4)


def test_a_changed_file_under_an_old_label_is_refused_with_file_and_line(session, tmp_path):
    import_frameworks(session, [SMALL])
    changed = tmp_path / "small.yaml"
    changed.write_text(
        SMALL.read_text(encoding="utf-8").replace("We make plans with you", "We plan with you"),
        encoding="utf-8",
    )
    with pytest.raises(FrameworkFileError) as caught:
        import_frameworks(session, [changed])
    (problem,) = caught.value.problems
    assert problem.file == str(changed)
    assert problem.line == 3  # the version line
    assert 'version "2026.1" of "small" is already imported' in problem.message
    assert "new version label" in problem.message
    assert str(problem).startswith(f"{changed}:3: ")
    assert counts(session) == (1, 2, 4)


def test_a_refused_file_stops_the_whole_batch(session, tmp_path):
    import_frameworks(session, [SMALL])
    changed = tmp_path / "small.yaml"
    changed.write_text(
        SMALL.read_text(encoding="utf-8").replace("Small test", "Little test"), encoding="utf-8"
    )
    with pytest.raises(FrameworkFileError):
        import_frameworks(session, [SHIPPED[0], changed])
    assert counts(session) == (1, 2, 4)


def test_a_new_label_makes_a_new_version_and_the_old_stays_intact(session):
    import_frameworks(session, [SMALL])
    old = session.exec(select(Framework)).one()
    old_statements = statements_of(session, old.id)
    results = import_frameworks(session, [SMALL, SMALL_V2])
    assert [(r.version, r.created) for r in results] == [("2026.1", False), ("2026.2", True)]
    new = session.exec(select(Framework).where(Framework.version == "2026.2")).one()
    session.commit()
    assert new.id != old.id and new.checksum != old.checksum
    assert statements_of(session, old.id) == old_statements
    assert old_statements["C1.2"] == "We make plans with you, not for you."
    new_statements = statements_of(session, new.id)
    assert new_statements["C1.2"] == "We make every plan with you, not for you."
    # statement codes are stable across versions
    assert set(new_statements) == set(old_statements) == {"C1.1", "C1.2", "C2.1", "C2.2"}
    changes = changes_since_previous(session, new)
    assert (changes.previous.id, changes.added, changes.changed, changes.removed) == (
        old.id,
        [],
        ["C1.2"],
        [],
    )
    assert changes_since_previous(session, old) is None


def test_statements_keep_file_order_and_belong_to_their_section(session):
    import_frameworks(session, [SHIPPED[0]])
    framework = session.exec(select(Framework)).one()
    sections = {s.id: s.code for s in session.exec(select(Section)).all()}
    statements = session.exec(select(Statement).order_by(Statement.position)).all()
    session.commit()
    assert sorted(set(sections.values()), key=lambda c: int(c[1:])) == [
        f"C{n}" for n in range(1, 11)
    ]
    for statement in statements:
        assert statement.framework_id == framework.id
        assert statement.code.startswith(sections[statement.section_id] + ".")


# --- the pages ----------------------------------------------------------------------------


def test_framework_pages_need_sign_in(client):
    assert client.get("/frameworks", follow_redirects=False).status_code == 303


def test_list_groups_versions_by_key(client, session):
    import_frameworks(session, [SMALL, *SHIPPED])
    import_frameworks(session, [SMALL_V2])
    make_user(session, "tom")
    client.login("tom")
    page = soup(client.get("/frameworks"))
    rows = page.select("#frameworks tbody tr")
    shipped = [path.stem for path in SHIPPED]  # each shipped file is named by its key
    assert sorted(r["data-key"] for r in rows) == sorted(["small", *shipped])
    small = page.select_one("#frameworks tr[data-key=small]")
    versions = [li.a.get_text(strip=True) for li in small.select(".app-framework-versions li")]
    assert versions == ["Version 2026.2", "Version 2026.1"]
    assert small.select_one(".nhsuk-tag").get_text(strip=True) == "Newest"
    assert "4 statements" in small.select(".app-framework-versions li")[1].get_text()


def test_detail_shows_sections_statements_and_changes(client, session):
    import_frameworks(session, [SMALL])
    import_frameworks(session, [SMALL_V2])
    old, new = session.exec(select(Framework).order_by(Framework.id)).all()
    session.commit()
    make_user(session, "tom")
    client.login("tom")

    page = soup(client.get(f"/frameworks/{new.id}"))
    assert [h.get_text(" ", strip=True) for h in page.select("section h2")] == [
        "C1 Everyday conversations",
        "C2 Learning for staff",
    ]
    codes = [row["data-code"] for row in page.select("[data-code]")]
    assert codes == ["C1.1", "C1.2", "C2.1", "C2.2"]
    reworded = page.select_one("[data-code='C1.2'] .nhsuk-tag")
    assert reworded.get_text(strip=True) == "Reworded"
    assert page.select_one("[data-code='C1.1'] .nhsuk-tag") is None
    assert "C1.2" in page.select_one("#version-changes").get_text()
    assert len(page.select("#scale .nhsuk-summary-list__row")) == 5
    assert page.select_one("#newer-version") is None

    page = soup(client.get(f"/frameworks/{old.id}"))
    assert page.select_one("#newer-version a")["href"] == f"/frameworks/{new.id}"
    assert page.select_one("#framework-versions [aria-current=page]")
    assert page.select_one("#version-changes") is None
    text = page.select_one("[data-code='C1.2'] .nhsuk-summary-list__value").get_text()
    assert "We make plans with you" in text


def test_unknown_framework_is_404(client, session):
    make_user(session, "tom")
    client.login("tom")
    assert client.get("/frameworks/999").status_code == 404


def test_import_copies_the_file_name_only(session, tmp_path):
    target = tmp_path / "deep" / "folder"
    target.mkdir(parents=True)
    shutil.copy(SMALL, target / "mine.yaml")
    import_frameworks(session, [target / "mine.yaml"])
    assert session.exec(select(Framework.source)).one() == "mine.yaml"
    session.commit()
