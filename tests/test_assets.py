"""The assets register: add, edit, remove, filter; who may do what; the outside view."""

from __future__ import annotations

from sqlmodel import Session, select

from app.assets import queries, service
from app.models import Asset, AuditEvent
from tests.conftest import soup
from tests.factories import make_member, make_person, make_team, make_user


def all_assets(engine) -> list[Asset]:
    with Session(engine) as s:
        return list(s.exec(select(Asset).order_by(Asset.id)).all())


def setup_team(session):
    team = make_team(session, "Riverside North")
    _fac_user, facilitator = make_person(session, team, "fiona", role="facilitator")
    _mem_user, member = make_person(session, team, "morgan", perspective="service_user")
    listed = make_member(session, team, "Dee Example", perspective="carer")
    return team, facilitator, member, listed


def add(client, team, **fields):
    data = {
        "kind": "skill",
        "description": "First aid trainer",
        "holder": "",
        "alias": "",
        "perspective": "",
        "happy_to_share": "yes",
        **fields,
    }
    return client.form(f"/teams/{team.id}/assets", data)


def test_member_adds_an_asset_held_by_a_person_on_the_list(client, session, engine):
    team, _fac, _member, listed = setup_team(session)
    client.login("morgan")
    page = soup(client.get(f"/teams/{team.id}/assets/new"))
    options = [o["value"] for o in page.select("select#holder option")]
    assert str(listed.id) in options and "" in options
    response = add(
        client,
        team,
        holder=str(listed.id),
        kind="contact",
        description="Knows the allotment society",
    )
    assert response.status_code == 303
    (asset,) = all_assets(engine)
    assert asset.holder_member_id == listed.id and asset.alias is None
    assert asset.perspective == "carer"  # from the list when not chosen
    assert asset.kind == "contact" and asset.happy_to_share
    page = soup(client.get(f"/teams/{team.id}/assets"))
    row = page.select_one(f"tr.app-asset[data-asset-id='{asset.id}']")
    assert row.select_one(".app-asset__holder").get_text(" ", strip=True).startswith("Dee Example")
    assert row.select_one(".app-asset__kind").get_text(strip=True) == "Contact"
    # members may add but not change or remove
    assert page.select_one(f"a[href='/teams/{team.id}/assets/{asset.id}/edit']") is None
    assert client.get(f"/teams/{team.id}/assets/{asset.id}/edit").status_code == 403
    response = client.form(f"/teams/{team.id}/assets/{asset.id}/remove")
    assert response.status_code == 403
    assert len(all_assets(engine)) == 1


def test_asset_held_by_an_alias_needs_a_perspective(client, session, engine):
    team, *_ = setup_team(session)
    client.login("fiona")
    response = add(client, team, alias="Guitar Jo")
    assert response.status_code == 422
    page = soup(response)
    assert page.select_one("#perspective-error")
    assert page.select_one("input#alias")["value"] == "Guitar Jo"
    response = add(
        client,
        team,
        alias="Guitar Jo",
        perspective="service_user",
        happy_to_share="",
        kind="talent",
        description="Plays guitar",
    )
    assert response.status_code == 303
    (asset,) = all_assets(engine)
    assert (asset.alias, asset.holder_member_id, asset.perspective) == (
        "Guitar Jo",
        None,
        "service_user",
    )
    assert not asset.happy_to_share


def test_invalid_input_is_422_by_each_field_and_nothing_written(client, session, engine):
    team, *_ = setup_team(session)
    other_team = make_team(session, "Elsewhere")
    stranger = make_member(session, other_team, "Not Ours")
    client.login("fiona")
    response = add(client, team, kind="", description="  ")
    page = soup(response)
    assert response.status_code == 422
    for field in ("kind", "description", "alias"):
        assert page.select_one(f"#{field}-error"), field
    response = add(client, team, holder=str(stranger.id))
    assert soup(response).select_one("#holder-error")
    response = add(client, team, alias="Jo", perspective="staff", description="x" * 501)
    assert soup(response).select_one("#description-error")
    assert all_assets(engine) == []


def test_facilitator_edits_and_removes_with_audit(client, session, engine):
    team, _fac, member, _listed = setup_team(session)
    client.login("fiona")
    add(client, team, holder=str(member.id), description="Cooks for big groups")
    (asset,) = all_assets(engine)
    page = soup(client.get(f"/teams/{team.id}/assets/{asset.id}/edit"))
    assert page.select_one("textarea#description").get_text() == "Cooks for big groups"
    response = client.form(
        f"/teams/{team.id}/assets/{asset.id}",
        {
            "kind": "talent",
            "description": "Cooks for 40 people",
            "holder": "",
            "alias": "Chef",
            "perspective": "community",
            "happy_to_share": "",
        },
    )
    assert response.status_code == 303
    (asset,) = all_assets(engine)
    assert (asset.kind, asset.description, asset.alias, asset.holder_member_id) == (
        "talent",
        "Cooks for 40 people",
        "Chef",
        None,
    )
    assert client.form(f"/teams/{team.id}/assets/{asset.id}/remove").status_code == 303
    assert all_assets(engine) == []
    with Session(engine) as s:
        verbs = [e.verb for e in s.exec(select(AuditEvent).order_by(AuditEvent.id)).all()]
    assert verbs[-3:] == ["asset.added", "asset.changed", "asset.removed"]


def test_filter_by_kind(client, session, engine):
    team, *_ = setup_team(session)
    client.login("fiona")
    add(client, team, alias="A", perspective="staff", kind="skill", description="Welsh speaker")
    add(client, team, alias="B", perspective="staff", kind="interest", description="Football")
    page = soup(client.get(f"/teams/{team.id}/assets?kind=interest"))
    rows = page.select("tr.app-asset")
    assert [r.select_one(".app-asset__description").get_text(strip=True) for r in rows] == [
        "Football"
    ]
    assert page.select_one("select#kind option[selected]")["value"] == "interest"
    assert len(soup(client.get(f"/teams/{team.id}/assets")).select("tr.app-asset")) == 2
    # an unknown kind shows everything rather than failing
    assert len(soup(client.get(f"/teams/{team.id}/assets?kind=nope")).select("tr.app-asset")) == 2


def test_outside_view_and_other_teams_get_404(client, session, engine):
    team, *_ = setup_team(session)
    other = make_team(session, "Elsewhere")
    make_person(session, other, "olly")
    make_user(session, "lead", role="recovery_lead")
    asset = service.add_asset(
        session, team_id=team.id, kind="skill", description="Yoga", perspective="staff", alias="Sam"
    )
    session.commit()
    for username in ("lead", "olly"):
        client.login(username)
        assert client.get(f"/teams/{team.id}/assets").status_code == 404
        assert client.get(f"/teams/{team.id}/assets/new").status_code == 404
        assert add(client, team, alias="X", perspective="staff").status_code == 404
        assert client.form(f"/teams/{team.id}/assets/{asset.id}/remove").status_code == 404
        client.form("/logout")
    assert len(all_assets(engine)) == 1


def test_an_asset_of_another_team_is_404_even_for_a_facilitator(client, session, engine):
    team, *_ = setup_team(session)
    other = make_team(session, "Elsewhere")
    theirs = service.add_asset(
        session,
        team_id=other.id,
        kind="skill",
        description="Yoga",
        perspective="staff",
        alias="Sam",
    )
    session.commit()
    client.login("fiona")
    assert client.get(f"/teams/{team.id}/assets/{theirs.id}/edit").status_code == 404
    assert client.form(f"/teams/{team.id}/assets/{theirs.id}/remove").status_code == 404


def test_signed_out_is_sent_to_sign_in(client, session):
    team, *_ = setup_team(session)
    response = client.get(f"/teams/{team.id}/assets", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_list_and_match_assets_for_plans(session):
    team, _fac, member, _listed = setup_team(session)
    for kind, text, alias in [
        ("interest", "Loves gardening and grows vegetables", "Pat"),
        ("contact", "Knows the community garden on Mill Lane", "Kim"),
        ("skill", "Speaks Polish and Welsh", "Ola"),
    ]:
        service.add_asset(
            session,
            team_id=team.id,
            kind=kind,
            description=text,
            perspective="service_user",
            alias=alias,
        )
    service.add_asset(
        session,
        team_id=team.id,
        kind="resource",
        description="A minibus",
        perspective="staff",
        holder_member_id=member.id,
    )
    session.commit()
    rows = queries.list_assets(session, team.id)
    assert len(rows) == 4
    assert {r.holder for r in rows} >= {"Pat", "Kim", "Ola", "Morgan"}
    assert [r.asset.kind for r in queries.list_assets(session, team.id, "skill")] == ["skill"]
    found = queries.match_assets(session, team.id, "Start a gardening group in the garden")
    assert [r.holder for r in found][:2] in (["Pat", "Kim"], ["Kim", "Pat"])
    assert queries.match_assets(session, team.id, "the and of") == []
    found = queries.match_assets(session, team.id, "garden", kind="contact")
    assert [r.holder for r in found] == ["Kim"]
    assert [r.holder for r in queries.match_assets(session, team.id, "minibus trips")] == ["Morgan"]
    session.commit()


def test_demo_assets_some_by_people_on_the_list_some_by_nickname(session, engine):
    from app.demo.service import assets as demo_assets
    from app.demo.service import org

    context: dict = {}
    org.load(session, context)
    demo_assets.load(session, context)
    session.commit()
    rows = all_assets(engine)
    assert len(rows) == 5 * len(context["teams"])
    assert any(a.holder_member_id for a in rows) and any(a.alias for a in rows)
    assert all(bool(a.holder_member_id) != bool(a.alias) for a in rows)
