"""The pages use NHS England's Jinja port of the NHS.UK components (nhsuk-frontend-jinja,
issue 14.3): /patterns shows the port's components, found by the markup only the port
writes (its data-module attributes and NHS.UK frontend 10 class names), base.html's skip
link, header and footer are the port's, our macros wrap it, and the pair with the vendored
styles is checked."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from importlib import metadata

import pytest

from app.config import ROOT
from app.web import env
from tests.conftest import soup
from tests.factories import make_user
from tests.plans_world import agreed_plan, make_world

REFETCH = ROOT / "app" / "static" / "vendor" / "refetch.sh"

# component → what only the port's macro writes (hand-written markup had none of these)
PORT_MARKUP = {
    "button": "button.nhsuk-button[data-module='nhsuk-button']",
    "button as a link": "a.nhsuk-button[data-module='nhsuk-button'][role='button']",
    "error summary": ".nhsuk-error-summary[data-module='nhsuk-error-summary'] > [role='alert']",
    "error message": ".nhsuk-error-message[id] > .nhsuk-u-visually-hidden",
    "input": ".nhsuk-form-group input.nhsuk-input",
    "textarea": ".nhsuk-form-group textarea.nhsuk-textarea",
    "character count": ".nhsuk-character-count[data-module='nhsuk-character-count']"
    "[data-maxlength='500'] textarea.nhsuk-js-character-count",
    "radios": ".nhsuk-radios[data-module='nhsuk-radios']",
    "checkboxes": ".nhsuk-checkboxes[data-module='nhsuk-checkboxes']",
    "date input": ".nhsuk-date-input input#m-due-day[name='m-due[day]'][inputmode=numeric]",
    "summary list": "dl.nhsuk-summary-list .nhsuk-summary-list__row",
    "tag": "strong.nhsuk-tag.nhsuk-tag--green",
    "table": "table.nhsuk-table thead.nhsuk-table__head th.nhsuk-table__header--numeric",
    "inset text": ".nhsuk-inset-text > .nhsuk-u-visually-hidden",
    "warning callout": ".nhsuk-card.nhsuk-card--warning .nhsuk-card__heading",
    "back link": "a.nhsuk-back-link:not(.nhsuk-back-link__link)",
    "pagination": "nav.nhsuk-pagination a.nhsuk-pagination__link--next[rel=next]",
    "details": "details.nhsuk-details .nhsuk-details__summary-text",
    "card": ".nhsuk-card .nhsuk-card__content .nhsuk-card__heading",
}


def test_patterns_shows_the_port_s_components(client):
    page = soup(client.get("/patterns"), status=200)
    missing = [name for name, selector in PORT_MARKUP.items() if not page.select_one(selector)]
    assert missing == [], f"not from the port on /patterns: {missing}"
    intro = page.select_one("main").get_text(" ", strip=True)
    assert f"nhsuk-frontend-jinja {metadata.version('nhsuk-frontend-jinja')}" in intro
    ours = page.select_one("#ours")
    assert "csrf_field" in ours.get_text() and ours.select_one("data.app-fig[data-form]")


def test_the_layout_s_skip_link_header_and_footer_are_the_port_s(client, session):
    make_user(session, "ada", role="admin")
    page = soup(client.get("/login"), status=200)
    skip = page.select_one("body > a.nhsuk-skip-link")
    assert skip["data-module"] == "nhsuk-skip-link" and skip["href"] == "#maincontent"
    header = page.select_one("header.nhsuk-header[data-module='nhsuk-header'][role='banner']")
    assert header.select_one("svg.nhsuk-header__logo title").get_text() == "NHS"
    assert header.select_one("a.nhsuk-header__service-logo[href='/']").get_text(strip=True) == (
        "NHSTRIP benchmarking"
    )
    assert not header.select("nav")  # signed out: no menu, no account links
    footer = page.select_one("footer.nhsuk-footer[role='contentinfo']")
    assert [a["href"] for a in footer.select(".nhsuk-footer__meta a")] == [
        "/accessibility",
        "/privacy",
        "/join",
    ]
    assert "NHS England" not in footer.get_text()  # the port's default copyright is left out

    client.login("ada")
    page = soup(client.get("/admin", follow_redirects=True), status=200)
    menu = page.select("header nav.nhsuk-header__navigation a.nhsuk-header__navigation-link")
    assert {"/", "/compare", "/frameworks", "/admin"} <= {a["href"] for a in menu}
    current = page.select("header .nhsuk-header__navigation-item--current a")
    assert [a["href"] for a in current] == ["/admin"]
    account = page.select_one("header nav.nhsuk-header__account")
    assert account.select_one("a.nhsuk-header__account-link[href='/account'] .app-username")
    sign_out = account.select_one("form.nhsuk-header__account-form[method=post][action='/logout']")
    assert sign_out.select_one("input[name=csrf_token]")["value"]
    assert sign_out.select_one("button.nhsuk-header__account-button").get_text() == "Sign out"


def test_our_macros_are_the_port_s_with_the_same_arguments():
    """_macros.html keeps each macro's name and arguments; the markup is the port's."""
    html = env.from_string(
        '{% from "_macros.html" import input, radios, error_summary %}'
        '{{ error_summary({"name": "Enter a name", "__all__": "Try again"}) }}'
        '{{ input("name", "Name", {"name": "Riverside <North>"}, {"name": "Enter a name"},'
        ' hint="As the team calls itself", required=True, extra=\'data-hx-get="/x"\') }}'
        '{{ radios("impact", "Impact", [("high", "Big"), ("low", "Small")], {"impact": "low"}) }}'
    ).render()
    page = soup(html)
    summary = page.select_one(".nhsuk-error-summary[data-module='nhsuk-error-summary']")
    assert [a["href"] for a in summary.select("a")] == ["#name", "#maincontent"]
    field = page.select_one("input#name")
    assert field["value"] == "Riverside <North>" and field.has_attr("required")
    assert field["aria-describedby"] == "name-hint name-error"
    assert field["data-hx-get"] == "/x"
    assert "nhsuk-input--error" in field["class"]
    assert page.select_one("#name-error").get_text(" ", strip=True) == "Error: Enter a name"
    assert [r["id"] for r in page.select("input[name=impact]")] == ["impact", "impact-2"]
    assert page.select_one("input#impact-2").has_attr("checked")


@pytest.mark.parametrize("url", ["/patterns", "/login", "/accessibility"])
def test_the_port_keeps_the_strict_content_policy(client, url):
    response = client.get(url)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    page = soup(response, status=200)
    assert not page.select("[style], style"), "inline style"
    assert not [s for s in page.select("script") if not s.get("src")], "inline script"
    handlers = [el.name for el in page.find_all(True) if any(a.startswith("on") for a in el.attrs)]
    assert handlers == [], "inline event handlers"


# --- the pair: the port's release and the vendored NHS.UK styles ----------------------------


def test_the_vendored_styles_are_the_version_the_port_is_made_for():
    done = subprocess.run(
        ["bash", str(REFETCH), "--check"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "NHS.UK pair OK: nhsuk-frontend-jinja" in done.stdout
    pinned = re.search(r'NHSUK_VERSION="([^"]+)"', REFETCH.read_text()).group(1)
    assert env.globals["nhsuk_frontend_version"] == pinned


def test_a_mismatched_pair_is_refused_in_plain_words(tmp_path):
    """A copy of the project whose refetch.sh pins another NHS.UK frontend: the check fails
    before anything is fetched or verified, and says what to do."""
    vendor = tmp_path / "app" / "static" / "vendor"
    vendor.mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    script = REFETCH.read_text().replace('NHSUK_VERSION="', 'NHSUK_VERSION="9.', 1)
    (vendor / "refetch.sh").write_text(script)
    done = subprocess.run(
        ["bash", str(vendor / "refetch.sh"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PORT_PYTHON": sys.executable},
    )
    assert done.returncode != 0
    assert "is made for NHS.UK frontend" in done.stderr
    assert "not a pair" in done.stderr


# --- the pages use the port, not hand-written NHS.UK markup ----------------------------------

TEMPLATES = ROOT / "templates"
# The root class of a component the port has, written straight into a template's markup
# (the port's macros write these; a template that does is hand-writing the component).
HAND_WRITTEN = re.compile(
    r'class="(nhsuk-(?:button|table|summary-list|inset-text|warning-callout|pagination'
    r"|error-message|error-summary|tag|checkboxes|radios|input|textarea|select|back-link"
    r'|date-input|character-count|details|skip-link|header|footer))[\s"]'
)
# Not ours to port here: the workshop pages (rewritten separately) and /patterns (it shows
# the port's components next to ours on purpose).
NOT_CHECKED = ("workshop/", "home/patterns.html")
_ROW_DATA = (
    "its rows carry data-* attributes tests and pages select by; the port's table rows take none"
)
# (template, component) → why it stays hand-written. Remove an entry when its markup moves.
EXCEPTIONS = {
    ("accounts/admin_audit.html", "nhsuk-table"): _ROW_DATA,
    ("accounts/admin_users.html", "nhsuk-table"): _ROW_DATA,
    ("accounts/members.html", "nhsuk-table"): _ROW_DATA,
    ("accounts/person.html", "nhsuk-table"): _ROW_DATA,
    ("assets/list.html", "nhsuk-table"): _ROW_DATA,
    ("compare/statement.html", "nhsuk-table"): _ROW_DATA + " (and sortable headers)",
    ("compare/matrix.html", "nhsuk-table"): "sortable header cells from compare/_sort.html "
    "and heat-map cells with their own classes; not yet moved",
    ("frameworks/list.html", "nhsuk-table"): _ROW_DATA,
    ("org/services.html", "nhsuk-table"): _ROW_DATA,
    ("org/teams.html", "nhsuk-table"): _ROW_DATA,
    ("rounds/_round_list.html", "nhsuk-table"): _ROW_DATA,
    ("rounds/facilitator.html", "nhsuk-table"): _ROW_DATA,
    ("rounds/results.html", "nhsuk-table"): _ROW_DATA,
    ("rounds/paper.html", "nhsuk-table"): "each statement has a rating row and a comment row "
    "with their own classes for the printed sheet; the port's table rows take none",
    ("plans/plan.html", "nhsuk-table"): "the impact/effort grid's empty corner cell must "
    "not be a column header; the port writes every head cell as th",
    ("plans/plan.html", "nhsuk-error-summary"): "problems without links (why the plan "
    "cannot be agreed yet) in a list tests select by class; the port's summary has no list class",
    ("rounds/facilitator.html", "nhsuk-error-summary"): "a conflict notice with a paragraph "
    "and a level-4 heading inside the agree panel",
    ("rounds/facilitator.html", "nhsuk-select"): "options grouped by section (optgroup); "
    "the port's select takes a flat list",
    ("plans/priority_form.html", "nhsuk-checkboxes"): "statements grouped under section "
    "headings in one fieldset; the port's checkboxes take one flat list",
}


def _hand_written() -> set[tuple[str, str]]:
    found = set()
    for path in TEMPLATES.rglob("*.html"):
        name = path.relative_to(TEMPLATES).as_posix()
        if name.startswith(NOT_CHECKED):
            continue
        found |= {(name, m.group(1)) for m in HAND_WRITTEN.finditer(path.read_text())}
    return found


def test_templates_use_the_port_s_macros_not_hand_written_components():
    found = _hand_written()
    new = sorted(found - set(EXCEPTIONS))
    assert new == [], f"hand-written NHS.UK markup; call the port's macro instead: {new}"
    stale = sorted(set(EXCEPTIONS) - found)
    assert stale == [], f"no longer hand-written, drop the exception: {stale}"


def test_the_guard_sees_hand_written_markup(tmp_path):
    """The pattern finds a hand-written button, table and inset, not the port's calls."""
    written = '<a class="nhsuk-button nhsuk-button--secondary" href="/x">Go</a>'
    written += '<table class="nhsuk-table"></table><div class="nhsuk-inset-text">'
    ported = '{{ button({"text": "Go"}) }}<td class="nhsuk-table__cell">'
    assert [m.group(1) for m in HAND_WRITTEN.finditer(written)] == [
        "nhsuk-button",
        "nhsuk-table",
        "nhsuk-inset-text",
    ]
    assert not HAND_WRITTEN.search(ported)


def test_real_pages_carry_the_port_s_markup(client, session):
    """The sign-in page, a plan page and a team's people page are drawn by the port."""

    login = soup(client.get("/login"), status=200)
    assert login.select_one("form button.nhsuk-button[data-module='nhsuk-button'][type=submit]")

    w = make_world(session)
    plan, _, _ = agreed_plan(session, w)
    client.login("fac")
    page = soup(client.get(f"/plans/{plan.id}"), status=200)
    assert page.select_one("a.nhsuk-back-link:not(.nhsuk-back-link__link)")
    assert page.select_one("dl.nhsuk-summary-list.app-plan-facts .nhsuk-summary-list__row")
    assert page.select_one("strong.nhsuk-tag.nhsuk-tag--green")  # agreed
    assert page.select_one("button.nhsuk-button--secondary[data-module='nhsuk-button']")

    people = soup(client.get(f"/teams/{w.team.id}/members"), status=200)
    assert people.select_one("button.nhsuk-button[data-module='nhsuk-button'][name=then]")
    assert people.select_one("strong.nhsuk-tag")


def test_markup_passed_to_the_port_is_not_escaped(client, session):
    """Markup handed to a macro's "html" (a quick-update button's hidden words, a summary
    list's value) reaches the page as elements, not as escaped text."""
    w = make_world(session)
    plan, _, _ = agreed_plan(session, w)
    client.login("owner")
    mine = client.get("/my-part")
    assert "&lt;span" not in mine.text
    button = soup(mine, status=200).select_one("button.app-quick-button[name=status]")
    assert button.select_one("span.nhsuk-u-visually-hidden").get_text().startswith(": ")
    client.login("fac")
    page = client.get(f"/plans/{plan.id}")
    assert "&lt;" not in page.text.replace("&lt;meter", "")
    assert soup(page).select_one(".nhsuk-summary-list__value ul.nhsuk-list li")
