"""Frameworks' pages: the list of frameworks and one version's sections and statements."""

from __future__ import annotations

from fastapi import Request

from app.core.i18n import N_
from app.frameworks import queries
from app.models import Framework
from app.web import render


def show_frameworks(request: Request, session):
    families = queries.families(session)
    context = {"page_title": N_("Frameworks"), "families": families}
    return render(request, "frameworks/list.html", context)


def show_framework(request: Request, session, framework: Framework):
    context = {
        "page_title": framework.title,
        "framework": framework,
        "sections": queries.sections_with_statements(session, framework.id),
        "versions": queries.versions_of(session, framework.key),
        "changes": queries.changes_since_previous(session, framework),
    }
    return render(request, "frameworks/detail.html", context)
