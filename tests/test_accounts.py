"""Accounts: the team's people page, invitations, the account page."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlmodel import Session, select

from app.accounts import service as accounts_service
from app.models import AuditEvent, Invitation, LoginSession, TeamMember, User
from app.security.sessions import cookie_name
from tests.conftest import soup
from tests.factories import PASSWORD, make_member, make_person, make_team, make_user

NEW_PASSWORD = "blue kettle on the windowsill"


def rows(session, statement) -> list:
    """Read fresh rows in a short session of their own (SQLite: a transaction held open
    by the test would block the app)."""
    with Session(session.get_bind(), expire_on_commit=False) as fresh:
        return list(fresh.exec(statement).all())


def get(session, model, id_):
    with Session(session.get_bind(), expire_on_commit=False) as fresh:
        return fresh.get(model, id_)


def error(response, field: str) -> str:
    node = soup(response).select_one(f"#{field}-error")
    return node.get_text(" ", strip=True) if node else ""


def verbs(session) -> list[str]:
    return [e.verb for e in rows(session, select(AuditEvent).order_by(AuditEvent.id))]


def facilitated_team(session):
    team = make_team(session, "Riverside North")
    user, member = make_person(session, team, "priya", role="facilitator", name="Priya S.")
    return team, user, member


def make_link(client, team, **data) -> tuple[str, int]:
    """As a facilitator: add a person with a link; returns (link, invitation id)."""
    data = {"display_name": "Dee", "perspective": "service_user", "role": "member", **data}
    response = client.form(f"/teams/{team.id}/members", {**data, "then": "invite"})
    assert response.status_code == 303, response.text
    page = soup(client.get(response.headers["location"]))
    return page.select_one("a.app-invite-link")["href"], int(
        response.headers["location"].rsplit("/", 1)[1]
    )


def path_of(link: str) -> str:
    return link.removeprefix("http://testserver")


def redeem(c, link: str, username: str = "dee", password: str = NEW_PASSWORD, again=None):
    data = {"username": username, "password": password, "password_again": again or password}
    return c.form(path_of(link), data)


# --- the people page ----------------------------------------------------------------------


def test_facilitator_sees_the_list_and_adds_a_person(client, session):
    team, _, _ = facilitated_team(session)
    make_member(session, team, "Morgan T.", perspective="service_user")
    client.login("priya")
    page = soup(client.get(f"/teams/{team.id}/members"))
    names = [n.get_text(" ", strip=True) for n in page.select(".app-person__name")]
    assert names == ["Morgan T.", "Priya S."]
    assert page.select_one("form[action$='/members'] button[value=invite]")
    response = client.form(
        f"/teams/{team.id}/members",
        {"display_name": "Sam", "perspective": "carer", "role": "member", "then": "list"},
    )
    assert response.status_code == 303
    member = rows(session, select(TeamMember).where(TeamMember.display_name == "Sam"))[0]
    assert (member.perspective, member.role, member.user_id) == ("carer", "member", None)
    assert "member.added" in verbs(session)


def test_adding_a_person_without_a_name_keeps_the_input(client, session):
    team, _, _ = facilitated_team(session)
    client.login("priya")
    response = client.form(
        f"/teams/{team.id}/members", {"display_name": "", "perspective": "staff", "then": "list"}
    )
    assert response.status_code == 422
    page = soup(response)
    assert page.select_one("#display_name-error")
    assert page.select_one("#perspective option[selected]")["value"] == "staff"


def test_members_see_the_list_read_only(client, session):
    team, _, _ = facilitated_team(session)
    make_person(session, team, "tom", name="Tom B.")
    client.login("tom")
    page = soup(client.get(f"/teams/{team.id}/members"))
    assert len(page.select(".app-person")) == 2
    assert page.select_one("button[value=invite]") is None
    assert page.select_one(".app-person__account") is None
    data = {"display_name": "Eve", "perspective": "staff", "then": "list"}
    assert client.form(f"/teams/{team.id}/members", data).status_code == 403
    priya = rows(session, select(TeamMember).where(TeamMember.display_name == "Priya S."))[0]
    assert client.get(f"/teams/{team.id}/members/{priya.id}").status_code == 403
    assert "access.refused" in verbs(session)


def test_outside_view_and_other_teams_get_404(make_client, session):
    team, _, _ = facilitated_team(session)
    other = make_team(session, "Willow Ward")
    make_person(session, other, "wendy", role="facilitator")
    make_user(session, "lead", role="recovery_lead")
    lead, wendy = make_client(), make_client()
    lead.login("lead")
    wendy.login("wendy")
    assert lead.get(f"/teams/{team.id}/members").status_code == 404
    assert wendy.get(f"/teams/{team.id}/members").status_code == 404
    assert wendy.get("/teams/99999/members").status_code == 404
    refused = rows(session, select(AuditEvent).where(AuditEvent.verb == "access.refused"))
    assert {e.actor for e in refused} == {"lead", "wendy"}
    reasons = {e.actor: e.detail["reason"] for e in refused}
    assert reasons == {"lead": "outside view", "wendy": "not on this team"}


def test_change_a_person_and_mark_them_as_left(make_client, session):
    team, _, _ = facilitated_team(session)
    _, tom = make_person(session, team, "tom", name="Tom B.")
    priya, tom_client = make_client(), make_client()
    priya.login("priya")
    tom_client.login("tom")
    response = priya.form(
        f"/teams/{team.id}/members/{tom.id}",
        {"display_name": "Tom Baker", "perspective": "peer_worker", "role": "facilitator"},
    )
    assert response.status_code == 303
    changed = get(session, TeamMember, tom.id)
    assert (changed.display_name, changed.perspective, changed.role) == (
        "Tom Baker",
        "peer_worker",
        "facilitator",
    )
    event = rows(session, select(AuditEvent).where(AuditEvent.verb == "member.changed"))[0]
    assert event.detail["role"] == {"from": "member", "to": "facilitator"}
    assert tom_client.get(f"/teams/{team.id}/members").status_code == 200
    assert priya.form(f"/teams/{team.id}/members/{tom.id}/leave").status_code == 303
    assert get(session, TeamMember, tom.id).left_at is not None
    assert tom_client.get(f"/teams/{team.id}/members").status_code == 404
    page = soup(priya.get(f"/teams/{team.id}/members"))
    assert page.select_one(".app-person--left .app-person__name").get_text(" ", strip=True) == (
        "Tom Baker Left"
    )
    assert priya.form(f"/teams/{team.id}/members/{tom.id}/rejoin").status_code == 303
    assert tom_client.get(f"/teams/{team.id}/members").status_code == 200


def test_a_person_of_another_team_is_404_on_this_team(client, session):
    team, _, _ = facilitated_team(session)
    other = make_team(session, "Willow Ward")
    stranger = make_member(session, other, "Zed")
    client.login("priya")
    assert client.get(f"/teams/{team.id}/members/{stranger.id}").status_code == 404
    assert client.form(f"/teams/{team.id}/members/{stranger.id}/leave").status_code == 404
    assert get(session, TeamMember, stranger.id).left_at is None


# --- invitations --------------------------------------------------------------------------


def test_new_person_with_a_link_and_qr_code_then_redeemed(make_client, session):
    team, _, _ = facilitated_team(session)
    priya, dee = make_client(), make_client()
    priya.login("priya")
    link, invitation_id = make_link(priya, team)
    assert link.startswith("http://testserver/invite/")
    page = soup(priya.get(f"/teams/{team.id}/invitations/{invitation_id}"))
    svg = page.select_one("figure.app-qr-figure svg.app-qr")
    assert svg["role"] == "img" and "invitation link" in svg["aria-label"]
    assert svg.select_one("path") and not svg.has_attr("style")
    token = link.rsplit("/", 1)[1]
    stored = get(session, Invitation, invitation_id)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert stored.expires_at - stored.created_at == timedelta(days=7)

    form = soup(dee.get(path_of(link)))
    assert form.select_one("h1").get_text(strip=True) == "Set up your account"
    assert "Dee" in form.select_one("main strong").get_text()
    response = redeem(dee, link)
    assert response.status_code == 303 and response.headers["location"] == "/my-part"
    assert soup(dee.get("/")).select_one(".app-username").get_text(strip=True) == "dee"
    user = rows(session, select(User).where(User.username == "dee"))[0]
    member = rows(session, select(TeamMember).where(TeamMember.display_name == "Dee"))[0]
    assert member.user_id == user.id and member.perspective == "service_user"
    assert get(session, Invitation, invitation_id).used_at is not None
    assert "invitation.redeemed" in verbs(session)


def test_a_link_works_once(make_client, session):
    team, _, _ = facilitated_team(session)
    priya, dee, other = make_client(), make_client(), make_client()
    priya.login("priya")
    link, _ = make_link(priya, team)
    assert redeem(dee, link).status_code == 303
    again = redeem(other, link, username="dee2")
    assert again.status_code == 410
    message = soup(again).select_one(".app-invite-problem").get_text()
    assert "already been used" in message and "facilitator" in message
    assert other.get(path_of(link)).status_code == 410
    assert rows(session, select(User).where(User.username == "dee2")) == []


def test_a_link_expires_after_7_days(make_client, session, clock):
    team, _, _ = facilitated_team(session)
    priya, dee = make_client(), make_client()
    priya.login("priya")
    link, _ = make_link(priya, team)
    clock.advance(days=7, minutes=1)
    response = dee.get(path_of(link))
    assert response.status_code == 410
    assert "expired" in soup(response).select_one(".app-invite-problem").get_text()
    assert redeem(dee, link).status_code == 410


def test_unknown_link_is_a_plain_404(client):
    response = client.get("/invite/not-a-real-token")
    assert response.status_code == 404
    assert "Ask your team's facilitator" in soup(response).select_one(".app-invite-problem").text


def test_a_link_for_someone_already_named_attaches_to_them(make_client, session, clock):
    """Named as a co-lead first, invited later: the account joins the same person."""
    team, priya_user, _ = facilitated_team(session)
    morgan = make_member(session, team, "Morgan T.", perspective="service_user")
    invitation, token = accounts_service.create_invitation(
        session, team=team, member=morgan, actor=priya_user, now=clock()
    )
    session.commit()
    c = make_client()
    page = soup(c.get(f"/invite/{token}"))
    assert "Morgan T." in page.select_one("main strong").get_text()
    assert redeem(c, f"/invite/{token}", username="morgan").status_code == 303
    user = rows(session, select(User).where(User.username == "morgan"))[0]
    assert get(session, TeamMember, morgan.id).user_id == user.id
    assert len(rows(session, select(TeamMember).where(TeamMember.team_id == team.id))) == 2


def test_a_new_link_stops_the_earlier_one(make_client, session):
    team, _, _ = facilitated_team(session)
    priya, dee = make_client(), make_client()
    priya.login("priya")
    first, first_id = make_link(priya, team)
    member_id = get(session, Invitation, first_id).team_member_id
    response = priya.form(f"/teams/{team.id}/members/{member_id}/invitations")
    assert response.status_code == 303
    second = soup(priya.get(response.headers["location"])).select_one("a.app-invite-link")["href"]
    assert second != first
    gone = dee.get(path_of(first))
    assert gone.status_code == 410 and "newer one" in gone.text
    assert redeem(dee, second).status_code == 303
    page = soup(priya.get(f"/teams/{team.id}/members/{member_id}"))
    assert [r["data-state"] for r in page.select(".app-invitation")] == ["used", "stopped"]


def test_the_link_page_shows_the_link_only_to_its_maker_soon_after(make_client, session, clock):
    team, _, _ = facilitated_team(session)
    make_person(session, team, "aisha", role="facilitator")
    priya, aisha = make_client(), make_client()
    priya.login("priya")
    aisha.login("aisha")
    _, invitation_id = make_link(priya, team)
    url = f"/teams/{team.id}/invitations/{invitation_id}"
    assert soup(aisha.get(url)).select_one("a.app-invite-link") is None
    clock.advance(minutes=5)
    assert soup(priya.get(url)).select_one("a.app-invite-link")
    priya.cookies.clear()
    priya.login("priya")
    page = soup(priya.get(url))
    assert page.select_one("a.app-invite-link") is None
    assert "cannot be shown again" in page.select_one("main").get_text()


def test_stopping_a_link(make_client, session):
    team, _, _ = facilitated_team(session)
    priya, dee = make_client(), make_client()
    priya.login("priya")
    link, invitation_id = make_link(priya, team)
    assert priya.form(f"/teams/{team.id}/invitations/{invitation_id}/revoke").status_code == 303
    assert dee.get(path_of(link)).status_code == 410
    assert "invitation.revoked" in verbs(session)


def test_plain_errors_when_choosing_username_and_password(make_client, session):
    team, _, _ = facilitated_team(session)
    priya, dee = make_client(), make_client()
    priya.login("priya")
    link, invitation_id = make_link(priya, team)
    taken = redeem(dee, link, username="Priya")
    assert taken.status_code == 422 and "taken" in error(taken, "username")
    assert soup(taken).select_one("input#username")["value"] == "Priya"
    common = redeem(dee, link, password="iloveyou1")
    assert common.status_code == 422 and "too common" in error(common, "password")
    short = redeem(dee, link, password="short")
    assert short.status_code == 422 and "at least 8" in error(short, "password")
    differ = redeem(dee, link, again="something else entirely")
    assert "different" in error(differ, "password_again")
    odd = redeem(dee, link, username="dee smith!")
    assert "letters, numbers" in error(odd, "username")
    assert get(session, Invitation, invitation_id).used_at is None
    assert redeem(dee, link).status_code == 303


def test_a_link_for_an_existing_account_sets_a_new_password(make_client, session):
    team, _, _ = facilitated_team(session)
    tom_user, tom = make_person(session, team, "tom", name="Tom B.")
    priya, old_phone, tom_client = make_client(), make_client(), make_client()
    priya.login("priya")
    old_phone.login("tom")
    response = priya.form(f"/teams/{team.id}/members/{tom.id}/invitations")
    link = soup(priya.get(response.headers["location"])).select_one("a.app-invite-link")["href"]
    page = soup(tom_client.get(path_of(link)))
    assert page.select_one(".app-invite-username").get_text(strip=True) == "tom"
    assert page.select_one("input#username") is None
    assert redeem(tom_client, link, username="").status_code == 303
    assert soup(old_phone.get("/")).select_one(".app-username") is None  # signed out there
    assert soup(tom_client.get("/")).select_one(".app-username").get_text(strip=True) == "tom"
    fresh = make_client()
    assert fresh.form("/login", {"username": "tom", "password": PASSWORD}).status_code == 422
    fresh.login("tom", NEW_PASSWORD)
    assert "invitation.password_reset" in verbs(session)
    assert len(rows(session, select(User))) == 2


def test_facilitator_cannot_reset_an_account_on_another_team(client, session):
    team, _, _ = facilitated_team(session)
    other = make_team(session, "Willow Ward")
    wendy_user, wendy_here = make_person(session, team, "wendy", name="Wendy R.")
    make_member(session, other, "Wendy R.", role="facilitator", user=wendy_user)
    lead_user = make_user(session, "lead", role="recovery_lead")
    lead_here = make_member(session, team, "Lee", user=lead_user)
    client.login("priya")
    for member in (wendy_here, lead_here):
        page = soup(client.get(f"/teams/{team.id}/members/{member.id}"))
        assert "administrator" in page.select_one(".nhsuk-inset-text").get_text()
        response = client.form(f"/teams/{team.id}/members/{member.id}/invitations")
        assert response.status_code == 422
        assert "administrator" in error(response, "invite")
    assert rows(session, select(Invitation)) == []


def test_admin_may_make_any_link(client, session):
    team, _, _ = facilitated_team(session)
    other = make_team(session, "Willow Ward")
    wendy_user, wendy_here = make_person(session, team, "wendy", name="Wendy R.")
    make_member(session, other, "Wendy R.", role="facilitator", user=wendy_user)
    make_user(session, "ada", role="admin")
    client.login("ada")
    response = client.form(f"/teams/{team.id}/members/{wendy_here.id}/invitations")
    assert response.status_code == 303


def test_a_left_person_cannot_use_their_link(make_client, session):
    team, _, _ = facilitated_team(session)
    priya, dee = make_client(), make_client()
    priya.login("priya")
    link, invitation_id = make_link(priya, team)
    member_id = get(session, Invitation, invitation_id).team_member_id
    priya.form(f"/teams/{team.id}/members/{member_id}/leave")
    assert redeem(dee, link).status_code == 410


def test_redeeming_is_rate_limited_per_address(client):
    from app.security.ratelimit import INVITE_PER_ADDRESS

    for n in range(INVITE_PER_ADDRESS.max_hits):
        assert client.get(f"/invite/guess-{n}").status_code == 404
    response = client.get("/invite/guess-last")
    assert response.status_code == 429
    assert "Please wait" in soup(response).select_one("main").get_text()


def test_create_invitation_for_a_new_member_from_another_domain(session, clock):
    team, priya_user, _ = facilitated_team(session)
    invitation, token = accounts_service.create_invitation(
        session,
        team=team,
        new_member={"display_name": "Gareth", "perspective": "peer_worker"},
        actor=priya_user,
        now=clock(),
    )
    session.commit()
    member = get(session, TeamMember, invitation.team_member_id)
    assert (member.display_name, member.role, member.team_id) == ("Gareth", "member", team.id)
    assert token not in str(get(session, Invitation, invitation.id).model_dump())


# --- your account -------------------------------------------------------------------------


def test_account_page_and_change_password(make_client, session):
    team, _, _ = facilitated_team(session)
    here, there = make_client(), make_client()
    here.login("priya")
    there.login("priya")
    page = soup(here.get("/account"))
    assert page.select_one(".app-account-username").get_text(strip=True) == "priya"
    assert "Riverside North" in page.select_one(".nhsuk-summary-list").get_text()
    wrong = here.form(
        "/account/password", {"current_password": "nope-nope", "new_password": NEW_PASSWORD}
    )
    assert wrong.status_code == 422 and "not right" in error(wrong, "current_password")
    common = here.form(
        "/account/password", {"current_password": PASSWORD, "new_password": "password123"}
    )
    assert common.status_code == 422 and "too common" in error(common, "new_password")
    ok = here.form(
        "/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert ok.status_code == 303
    assert soup(here.get("/account")).select_one(".app-account-username")
    assert there.get("/account", follow_redirects=False).status_code == 303
    assert len(rows(session, select(LoginSession))) == 1
    assert "password.changed" in verbs(session)
    make_client().login("priya", NEW_PASSWORD)


def test_account_needs_sign_in(client):
    response = client.get("/account", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Faccount"


def test_session_cookie_name_is_the_development_one(client):
    assert cookie_name(client.app.state.settings) == "trip_session"
