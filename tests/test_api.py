"""The read-only JSON API: tokens (none, wrong, revoked, right; members refused), what it
answers (floor applied, people by perspective, no names, no comments), and /docs."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from app.api import service as api_service
from app.models import ApiToken, AuditEvent
from tests.compare_org import PEOPLE_NAMES, TODAY, build_org
from tests.factories import make_api_token


@pytest.fixture
def org(session, clock):
    clock.now = TODAY
    return build_org(session)


def make_token(session, user, name="report") -> str:
    _token, plain = make_api_token(session, user, name)
    return plain


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_tokens_none_wrong_revoked_right_and_members_refused(client, session, org):
    response = client.get("/api/v1/teams")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Send an API token")
    assert response.headers["www-authenticate"] == "Bearer"
    response = client.get("/api/v1/teams", headers=bearer("trip_wrong"))
    assert response.status_code == 401 and "not known" in response.json()["detail"]
    plain = make_token(session, org.users["lead"])
    response = client.get("/api/v1/teams", headers=bearer(plain))
    assert response.status_code == 200
    assert [t["name"] for t in response.json()] == ["Alder Team", "Birch Team", "Cedar Team"]
    token = session.exec(select(ApiToken)).one()
    assert token.last_used_at is not None and token.token_hash != plain
    session.commit()
    api_service.revoke_token(session, token, user=org.users["lead"], now=TODAY)
    session.commit()
    assert client.get("/api/v1/teams", headers=bearer(plain)).status_code == 401
    member_token = make_token(session, org.users["member"])
    response = client.get("/api/v1/teams", headers=bearer(member_token))
    assert response.status_code == 403
    assert response.json()["detail"] == "Only recovery leads and administrators can use the API."
    admin_token = make_token(session, org.users["admin"])
    assert client.get("/api/v1/teams", headers=bearer(admin_token)).status_code == 200


def test_api_is_read_only(client, session, org):
    plain = make_token(session, org.users["lead"])
    response = client.post("/api/v1/teams", headers=bearer(plain))
    assert response.status_code == 405
    assert response.headers["content-type"].startswith("application/json")


@pytest.fixture
def api(client, session, org):
    plain = make_token(session, org.users["lead"])
    session.commit()

    def get(url: str):
        response = client.get(url, headers=bearer(plain))
        assert response.status_code == 200, response.text
        return response

    return get


def test_rounds_with_agreed_ratings_and_floored_summaries(api, org):
    alder = org.teams["alder"]
    rounds = api(f"/api/v1/teams/{alder.id}/rounds").json()
    assert [r["held_on"] for r in rounds] == ["2025-01-05", "2025-01-10", "2025-07-15"]  # closed
    detail = api(f"/api/v1/rounds/{org.rounds['a2'].id}").json()
    # head counts as published: the 2 service users and the carer merge into "other"
    assert detail["people"] == {
        "total": 8,
        "groups": {"staff_side": 5, "other": 3},
        "hidden": None,
    }
    levels = {s["code"]: (s["level"], s["statements"]) for s in detail["section_levels"]}
    assert levels["C1"] == (2.3, 3)  # 2.333…, rounded to one decimal, a number
    assert levels["C2"] == (1.0, 1)
    agreed = {a["statement_code"]: a["level"] for a in detail["agreed_ratings"]}
    assert agreed == {"C1.1": 3, "C1.2": 2, "C1.3": 2, "C2.1": 1}
    summaries = {s["statement_code"]: s for s in detail["summaries"]}
    assert set(summaries) == {"C1.1", "C1.2", "C1.3", "C2.1", "C2.2"}  # every statement
    c11 = summaries["C1.1"]["figures"]
    assert set(c11["groups"]) == {"staff_side", "other"}  # service users 2 + carer 1 merged
    assert c11["groups"]["other"]["people"] == 3
    assert c11["groups"]["other"]["mean"] == 2.0  # levels 3 and 1; one don't know
    assert c11["groups"]["staff_side"]["levels"] == {"1": 0, "2": 1, "3": 3, "4": 1}
    assert c11["groups"]["staff_side"]["mean"] == 3.0
    assert c11["total"]["people"] == 8 and c11["total"]["mean"] == 2.7  # 19 / 7, one decimal
    assert summaries["C1.1"]["hidden"] is None
    assert summaries["C1.2"]["figures"]["groups"] is None  # one carer: only the total
    assert summaries["C1.2"]["figures"]["total"]["people"] == 5
    # no one answered C1.3: no figures, and the reason
    assert summaries["C1.3"] == {
        "statement_id": summaries["C1.3"]["statement_id"],
        "statement_code": "C1.3",
        "figures": None,
        "hidden": "fewer than 3 answers",
    }


def test_open_rounds_are_not_shared(client, session, org):
    plain = make_token(session, org.users["lead"])
    response = client.get(f"/api/v1/rounds/{org.rounds['a3'].id}", headers=bearer(plain))
    assert response.status_code == 404 and response.json()["error"] == "Page not found"


def test_plans_with_actions_and_history_by_perspective(api, org):
    plans = api(f"/api/v1/teams/{org.teams['alder'].id}/plans").json()
    assert [p["status"] for p in plans] == ["closed", "agreed"]
    plan = plans[1]
    assert plan["reviews_held_on"] == ["2025-04-01", "2025-06-15"]
    first = plan["priorities"][0]
    assert (first["staff_co_lead"], first["service_user_co_lead"]) == ("staff", "service_user")
    assert first["statement_codes"] == ["C1.1"]
    action = first["actions"][0]
    assert action["owner_perspective"] == "service_user" and action["status"] == "done"
    assert action["history"] == [
        {
            "at": "2025-05-02T00:00:00Z",
            "status_from": "in_progress",
            "status_to": "done",
            "by_perspective": "service_user",
        }
    ]
    assert api(f"/api/v1/plans/{org.plans['p1'].id}").json() == plan


def test_compare_rows(api):
    rows = {r["team"]: r for r in api("/api/v1/compare").json()}
    assert rows["Alder Team"]["actions_done"] == 1
    assert rows["Birch Team"]["no_round_for_12_months"] is True
    assert rows["Cedar Team"]["section_levels"]["C2"] is None
    # head counts as published: Alder's service users and carer are in "other" only
    assert rows["Alder Team"]["people"]["groups"] == {"staff_side": 5, "other": 3}
    assert rows["Alder Team"]["people_who_use_the_service_or_family"] is None
    assert rows["Birch Team"]["people"]["total"] == 6
    assert rows["Birch Team"]["people_who_use_the_service_or_family"] == 3
    assert rows["Cedar Team"]["people_who_use_the_service_or_family"] == 0


def test_no_names_or_comments_in_any_api_answer(api, org):
    urls = ["/api/v1/teams", "/api/v1/compare"]
    for team in org.teams.values():
        urls += [
            f"/api/v1/teams/{team.id}",
            f"/api/v1/teams/{team.id}/rounds",
            f"/api/v1/teams/{team.id}/plans",
        ]
    urls += [f"/api/v1/rounds/{r.id}" for r in org.rounds.values() if r.status == "closed"]
    urls += [f"/api/v1/plans/{p.id}" for p in org.plans.values()]
    for url in urls:
        body = api(url).text
        for name in PEOPLE_NAMES:
            assert name not in body, (url, name)
        assert "went well" not in body and "Staffmember led" not in body  # notes: never


def test_token_page_makes_shows_once_and_revokes(client, session, org):
    client.login("lena")
    page = BeautifulSoup(client.get("/account/tokens").text, "html.parser")
    assert page.select_one("form[action='/account/tokens'] input#name")
    response = client.form("/account/tokens", {"name": ""})
    assert response.status_code == 422
    assert BeautifulSoup(response.text, "html.parser").select_one("#name-error")
    response = client.form("/account/tokens", {"name": "Quarterly report"})
    assert response.status_code == 200
    plain = BeautifulSoup(response.text, "html.parser").select_one("input#new-token")["value"]
    assert client.get("/api/v1/teams", headers=bearer(plain)).status_code == 200
    again = client.get("/account/tokens").text
    assert plain not in again  # shown once
    page = BeautifulSoup(again, "html.parser")
    row = page.select_one("table.app-tokens tbody tr")
    assert row.select_one("th").get_text(strip=True) == "Quarterly report"
    assert "Not used yet" not in row.get_text()  # last used is shown
    token = session.exec(select(ApiToken)).one()
    session.commit()
    response = client.form(f"/account/tokens/{token.id}/revoke")
    assert response.status_code == 303
    assert client.get("/api/v1/teams", headers=bearer(plain)).status_code == 401
    verbs = [e.verb for e in session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()]
    session.commit()
    assert "api_token.created" in verbs and "api_token.revoked" in verbs
    # someone else's token cannot be revoked by you
    other = make_token(session, org.users["admin"])
    other_id = session.exec(select(ApiToken).where(ApiToken.revoked_at.is_(None))).one().id
    session.commit()
    assert client.form(f"/account/tokens/{other_id}/revoke").status_code == 404
    assert client.get("/api/v1/teams", headers=bearer(other)).status_code == 200


def test_members_cannot_make_tokens(client, session, org):
    client.login("lee")
    page = BeautifulSoup(client.get("/account/tokens").text, "html.parser")
    assert page.select_one("form[action='/account/tokens']") is None
    assert client.form("/account/tokens", {"name": "x"}).status_code == 403


def test_docs_list_only_the_api(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["paths"] and all(p.startswith("/api/v1/") for p in schema["paths"])
    assert all(set(ops) == {"get"} for ops in schema["paths"].values())
    response = client.get("/docs")
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    sources = [s["src"] for s in page.select("script")]
    assert sources == ["/static/vendor/swagger/swagger-ui-bundle.js", "/static/api-docs.js"]
    assert not [s for s in page.select("script") if s.string]  # no inline script
    assert "script-src 'self';" in response.headers["content-security-policy"]
    assert "unsafe" not in response.headers["content-security-policy"]
    assert client.get("/static/vendor/swagger/swagger-ui.css").status_code == 200


@pytest.mark.browser
def test_docs_work_under_the_strict_policy(live_server, page):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server}/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=10000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert paths and all(p.replace("\u200b", "").startswith("/api/v1/") for p in paths)
    assert [p for p in problems if "favicon" not in p and "404" not in p] == []
    assert not [p for p in problems if "Content Security Policy" in p]
