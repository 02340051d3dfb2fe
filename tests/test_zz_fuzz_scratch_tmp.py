from tests.test_schemathesis import seed, sign_in


def test_raw_params(app, session, client):
    world = seed(session)
    ident = sign_in(session, app, world.users["admin"])
    client.cookies.set(ident.cookie_name, ident.cookie)
    for url in ["/compare?service=%C2%B2", "/compare?service=99999999999999", "/compare?service=99999999999999999999999",
                "/admin/audit?team_id=%C2%B2", "/admin/audit?page=%C2%B2", "/admin/audit?page=99999999999999999999999",
                "/admin/audit?page=9999999999", "/compare/trend?service=%C2%B2", "/compare.csv?service=99999999999999"]:
        r = client.get(url)
        print(url, r.status_code)
    r = client.post("/plans/%d/invitations" % world.ids["plan_id"][0], data={"member_id": "²", "csrf_token": ident.csrf}, follow_redirects=False)
    print("invite ²", r.status_code)
    r = client.post("/plans/%d/invitations" % world.ids["plan_id"][0], data={"member_id": "99999999999", "csrf_token": ident.csrf}, follow_redirects=False)
    print("invite big", r.status_code)
