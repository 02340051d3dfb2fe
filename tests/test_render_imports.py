"""A block rendered alone (the htmx contract) gets its template's top-level imports from
app.web._top_level_imports, which reads the template once per version of it and of the
templates it imports: in development (templates reload) an unchanged template is not parsed
again on every render (it was, and a room's screens redrew at 80–130 ms instead of ~10 ms);
a changed one is read again."""

from __future__ import annotations

import os

from jinja2 import ChoiceLoader, FileSystemLoader

from app import web


def test_imports_are_read_once_per_version_of_the_templates(tmp_path, monkeypatch):
    macros, page = tmp_path / "t_imports_macros.html", tmp_path / "t_imports_page.html"
    macros.write_text("{% macro hello() %}one{% endmacro %}")
    page.write_text(
        '{% from "t_imports_macros.html" import hello %}{% block part %}{{ hello() }}{% endblock %}'
    )
    monkeypatch.setattr(
        web.env, "loader", ChoiceLoader([FileSystemLoader(tmp_path), web.env.loader])
    )
    monkeypatch.setattr(web.env, "auto_reload", True)  # as in development
    monkeypatch.setattr(web, "_IMPORTS", {})
    parsed: list[str] = []
    parse = web.env.parse
    monkeypatch.setattr(
        web.env, "parse", lambda source, *a, **k: parsed.append(source) or parse(source, *a, **k)
    )

    assert web._top_level_imports("t_imports_page.html")["hello"]() == "one"
    for _ in range(3):
        assert web._top_level_imports("t_imports_page.html")["hello"]() == "one"
    assert len(parsed) == 1  # read once, not on every render

    # the imported macros change (a developer edits them): read again, once
    later = os.path.getmtime(macros) + 10
    macros.write_text("{% macro hello() %}two{% endmacro %}")
    os.utime(macros, (later, later))
    assert web._top_level_imports("t_imports_page.html")["hello"]() == "two"
    assert web._top_level_imports("t_imports_page.html")["hello"]() == "two"
    assert len(parsed) == 2

    # the page itself changes: read again
    page.write_text(
        '{% from "t_imports_macros.html" import hello as greet %}{% block part %}{% endblock %}'
    )
    os.utime(page, (later + 10, later + 10))
    assert "greet" in web._top_level_imports("t_imports_page.html")
    assert len(parsed) == 3


def test_without_reloading_the_first_reading_is_kept(tmp_path, monkeypatch):
    macros = tmp_path / "t_kept_macros.html"
    macros.write_text("{% macro hello() %}one{% endmacro %}")
    (tmp_path / "t_kept_page.html").write_text(
        '{% from "t_kept_macros.html" import hello %}{% block part %}{{ hello() }}{% endblock %}'
    )
    monkeypatch.setattr(
        web.env, "loader", ChoiceLoader([FileSystemLoader(tmp_path), web.env.loader])
    )
    monkeypatch.setattr(web.env, "auto_reload", False)  # as in production
    monkeypatch.setattr(web, "_IMPORTS", {})
    assert web._top_level_imports("t_kept_page.html")["hello"]() == "one"
    later = os.path.getmtime(macros) + 10
    macros.write_text("{% macro hello() %}two{% endmacro %}")
    os.utime(macros, (later, later))
    assert web._top_level_imports("t_kept_page.html")["hello"]() == "one"
