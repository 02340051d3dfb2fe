"""The accessibility statement (issue 14.4): served at /accessibility from its one source,
docs/assurance/accessibility-statement.md, to everyone; linked from every page's footer;
and the assurance pack names only files and tests that exist."""

from __future__ import annotations

import re

import pytest

from app.config import ROOT
from tests.conftest import soup
from tests.factories import make_user

PACK = ROOT / "docs" / "assurance"


def test_the_statement_is_there_for_someone_signed_out(client):
    page = soup(client.get("/accessibility"), status=200)
    assert page.select_one("main h1").get_text(strip=True) == (
        "Accessibility statement for TRIP benchmarking"
    )
    headings = {h.get_text(strip=True) for h in page.select("main h2, main h3")}
    # the parts the Public Sector Bodies Accessibility Regulations' model statement asks for
    for part in (
        "How accessible this website is",
        "What to do if you cannot access parts of this website",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
        "How we tested this website",
    ):
        assert part in headings, part
    text = page.select_one("main").get_text(" ", strip=True)
    assert "partially compliant" in text
    assert "What we have not done yet" in text and "screen reader" in text
    assert page.select_one("main a[href='https://www.equalityadvisoryservice.com/']")
    assert not page.select("main script, main [style]")


def test_the_statement_is_the_assurance_pack_s_own_words(client):
    """One source: each sentence-long list item of the file is on the page."""
    page = (
        soup(client.get("/accessibility"), status=200).select_one("main").get_text(" ", strip=True)
    )
    source = (PACK / "accessibility-statement.md").read_text(encoding="utf-8")
    items = [
        re.sub(r"[`*]", "", line[2:]).strip()
        for line in source.splitlines()
        if line.startswith("- ") and "[" not in line and "`" not in line
    ]
    assert len(items) >= 10
    flat = " ".join(page.split())
    for item in items:
        assert " ".join(item.split()) in flat, item


def test_signed_in_people_and_htmx_get_it_too(client, session):
    make_user(session, "priya")
    client.login("priya")
    assert soup(client.get("/accessibility"), status=200).select_one("main h1")
    fragment = client.get("/accessibility", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "Compliance status" in fragment.text


def _footer_link(response) -> str | None:
    link = soup(response).select_one("footer.nhsuk-footer a[href='/accessibility']")
    return link.get_text(strip=True) if link else None


@pytest.mark.parametrize("url", ["/", "/login", "/join", "/privacy", "/accessibility"])
def test_every_footer_links_it_signed_out(client, url):
    assert _footer_link(client.get(url)) == "Accessibility statement"


def test_every_footer_links_it_signed_in_and_on_error_pages(client, session):
    assert client.get("/no-such-page").status_code == 404
    assert _footer_link(client.get("/no-such-page")) == "Accessibility statement"
    make_user(session, "ada", role="admin")
    client.login("ada")
    for url in ("/", "/account", "/frameworks", "/admin", "/patterns"):
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        assert _footer_link(response) == "Accessibility statement", url


# --- the assurance pack points at evidence that exists --------------------------------------

PATH = re.compile(r"`((?:app|tests|docs|templates|migrations|perf|benchmarks|seeds)/[^`\s]+)`")
TEST = re.compile(r"`(test_[a-z0-9_]+)`")


def _pack_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(PACK.glob("*.md")))


def test_every_file_the_pack_names_exists():
    named = sorted(set(PATH.findall(_pack_text())))
    assert len(named) > 30
    missing = [p for p in named if not (list(ROOT.glob(p)) if "*" in p else (ROOT / p).exists())]
    assert missing == [], f"docs/assurance names files that are not there: {missing}"


def test_every_test_the_pack_names_exists():
    tests_source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("*.py"))
    named = sorted(set(TEST.findall(_pack_text())))
    assert named
    missing = [t for t in named if f"def {t}(" not in tests_source]
    assert missing == [], f"docs/assurance names tests that are not there: {missing}"


def test_the_pack_index_links_files_that_exist():
    readme = (PACK / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#]+)\)", readme)
    assert "accessibility-statement.md" in links
    assert [link for link in links if not (PACK / link).exists()] == []
