"""Home's pages: welcome (signed out), home (signed in), privacy, the patterns page."""

from __future__ import annotations

from functools import cache

from fastapi import Request
from markdown_it import MarkdownIt
from markupsafe import Markup
from sqlmodel import Session

from app.config import ROOT
from app.core.dates import today
from app.core.i18n import N_
from app.home import queries
from app.models import User
from app.plans import queries as plans_queries
from app.security.access import teams_of
from app.web import render


def show_welcome(request: Request):
    return render(request, "home/welcome.html", {"page_title": N_("Welcome")})


def show_home(request: Request, session: Session, user: User):
    """What a signed-in person sees first: their teams, the way to My part (what they
    co-lead and own), and — for a facilitator — the priorities that need a co-lead today
    (an administrator also sees every team)."""
    memberships = teams_of(session, user)
    part = plans_queries.my_part(session, user, today(request))
    led = [t.id for t, m in memberships if m.role == "facilitator"]
    context: dict = {
        "page_title": N_("Home"),
        "memberships": memberships,
        "part": part,
        "needing": plans_queries.needing_coleads(session, led),
        "team_names": {t.id: t.name for t, _m in memberships},
    }
    if user.role == "admin":
        context["all_teams"] = queries.active_teams(session)
    return render(request, "home/home.html", context)


def show_privacy(request: Request):
    return render(request, "home/privacy.html", {"page_title": N_("Privacy")})


ACCESSIBILITY_STATEMENT = ROOT / "docs" / "assurance" / "accessibility-statement.md"


@cache
def accessibility_statement() -> Markup:
    """The accessibility statement, from its one source (docs/assurance), as HTML. The file is
    ours; any HTML written in it is shown as text, not used."""
    text = ACCESSIBILITY_STATEMENT.read_text(encoding="utf-8")
    return Markup(MarkdownIt("commonmark", {"html": False}).render(text))


def show_accessibility(request: Request):
    context = {"page_title": N_("Accessibility statement"), "statement": accessibility_statement()}
    return render(request, "home/accessibility.html", context)


def show_patterns(request: Request):
    return render(request, "home/patterns.html", {"page_title": "Patterns", "errors": {}})
