"""The access matrix: every route of the app, as every kind of person, against team B.

Routes are read from the app, so a route added later is covered without editing this file.
If a new route has a path parameter this file does not know, the test fails and says so:
add the parameter (and, if it is a new kind of record, the record) to `world()`.

For each person outside team B (anonymous; member, facilitator, co-lead and action owner of
team A; recovery lead) and for an admin:

- GET: no 5xx for anyone. Routes keyed by B's records refuse outsiders (sign-in redirect for
  anonymous, else 403/404); recovery leads may read B, but never the names of B's people,
  B's assets or comments; pages not keyed by a record show outsiders nothing of B.
- POST (with a valid CSRF token and a form of plausible answers): no 5xx; routes keyed by
  B's records refuse outsiders and recovery leads; nobody but an admin changes B's rows.
- Every HTML page carries the strict CSP.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tests.access_world import (
    CSP,
    MAY_BE_UNAVAILABLE,
    PEOPLE,
    Visitor,
    World,
    app_routes,
    b_rows,
    fill,
    kind_of,
    world,
)


@dataclass
class Problems:
    items: list[str] = field(default_factory=list)

    def add(self, method: str, path: str, response, why: str) -> None:
        self.items.append(f"{method} {path} -> {response.status_code}: {why}")


def _check_body(problems, method, url, response, forbidden: list[str]) -> None:
    text = response.text
    seen = [word for word in forbidden if word in text]
    if seen:
        problems.add(method, url, response, f"shows B's {seen}")


def check_get(who: str, url: str, kind: str, response, w: World, problems: Problems) -> None:
    status = response.status_code
    if who == "admin":
        return
    if who == "recovery_lead":
        _check_body(problems, "GET", url, response, w.names + w.inside_only)
        return
    if kind == "team":
        if who == "anonymous":
            ok = status in (401, 403, 404) or (
                status in (302, 303, 307) and response.headers["location"].startswith("/login")
            )
        else:
            ok = status in (401, 403, 404)  # 401: the JSON API wants its own token
        if not ok:
            problems.add("GET", url, response, "an outsider was not refused")
    forbidden = w.names + w.inside_only + ([] if kind == "capability" else w.private)
    _check_body(problems, "GET", url, response, forbidden)


def check_post(who: str, url: str, kind: str, response, w: World, problems: Problems) -> None:
    status = response.status_code
    if who == "admin" or kind != "team":
        return
    refused = {401, 403, 404, 405, 409, 410, 422, 429}
    if who == "anonymous":
        location = response.headers.get("location", "")
        ok = status in refused or (status in (302, 303) and location.startswith("/login"))
    else:
        ok = status in refused
    if not ok:
        problems.add("POST", url, response, "an outsider's change was not refused")
    if who != "recovery_lead":
        _check_body(problems, "POST", url, response, w.names + w.inside_only + w.private)


@pytest.mark.parametrize("who", PEOPLE)
def test_every_route_against_team_b(who, app, engine, session, make_client, capsys):
    w = world(session, app.state.clock())
    routes = app_routes(app)
    visitor = Visitor(make_client(), engine, w.users.get(who))
    client = visitor.client
    problems = Problems()
    covered: list[str] = []
    before = b_rows(engine, w.b_team_id)
    for method, path in routes:
        url = fill(path, w.params)
        kind = kind_of(path)
        if method == "GET":
            response = client.get(url, follow_redirects=False)
        else:
            data = {**w.form, "csrf_token": visitor.csrf}
            response = client.request(method, url, data=data, follow_redirects=False)
        covered.append(f"{method} {path}")
        if response.status_code >= 500 and path not in MAY_BE_UNAVAILABLE:
            problems.add(method, url, response, "server error")
        if response.headers.get("content-type", "").startswith("text/html"):
            if response.headers.get("Content-Security-Policy") != CSP:
                problems.add(method, url, response, "HTML page without the strict CSP")
        if method == "GET":
            check_get(who, url, kind, response, w, problems)
        else:
            check_post(who, url, kind, response, w, problems)
            if who != "admin":
                after = b_rows(engine, w.b_team_id)
                if after != before and kind != "capability":  # a join code may add ratings
                    changed = sorted({row[0] for row in after ^ before})
                    problems.add(method, url, response, f"changed B's rows in {changed}")
                before = after
            if not visitor.still_signed_in():
                visitor.sign_in()  # e.g. after POST /logout
    with capsys.disabled():
        print(f"\naccess matrix as {who}: {len(covered)} of {len(routes)} routes covered")
    assert not problems.items, "\n".join(problems.items)
    assert len(covered) == len(routes)


def test_the_matrix_sees_every_route(app):
    """Nothing is skipped but static files and API docs; no route has an unknown method."""
    routes = app_routes(app)
    assert routes, "no routes found"
    assert {m for m, _ in routes} <= {"GET", "POST", "PUT", "PATCH", "DELETE"}
    assert ("GET", "/teams/{team_id}/members") in routes
    assert ("POST", "/invite/{token}") in routes


@pytest.mark.parametrize("who", PEOPLE)
def test_every_route_answers_htmx_with_a_fragment(who, app, engine, session, make_client):
    """The htmx contract (docs/architecture.md): asked with `HX-Request: true`, every route,
    as every kind of person, answers a fragment, a refusal block or a redirect — never a
    whole page (no `<html`), and never a server error."""
    w = world(session, app.state.clock())
    visitor = Visitor(make_client(), engine, w.users.get(who))
    client = visitor.client
    problems = Problems()
    for method, path in app_routes(app):
        url = fill(path, w.params)
        headers = {"HX-Request": "true"}
        if method == "GET":
            response = client.get(url, headers=headers, follow_redirects=False)
        else:
            data = {**w.form, "csrf_token": visitor.csrf}
            response = client.request(
                method, url, data=data, headers=headers, follow_redirects=False
            )
        if response.status_code >= 500 and path not in MAY_BE_UNAVAILABLE:
            problems.add(method, url, response, "server error")
        if "<html" in response.text.lower():
            problems.add(method, url, response, "a whole page answered to htmx")
        if method == "POST" and not visitor.still_signed_in():
            visitor.sign_in()
    assert not problems.items, "\n".join(problems.items)
