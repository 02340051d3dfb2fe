import json
from tests.compare_org import TODAY, build_org
def test_dbg(session, clock, live_server, page):
    clock.now = TODAY
    build_org(session)
    page.on("response", lambda r: print("RESP", r.status, r.url) if r.status >= 400 else None)
    page.goto(f"{live_server}/login?next=/compare")
    page.fill("#username", "lena")
    page.fill("#password", "correct horse battery staple")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server}/compare")
    page.set_viewport_size({"width": 320, "height": 900})
    from axe_playwright_python.sync_playwright import Axe
    r = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2aa"]}})
    for v in r.response["violations"]:
        for n in v["nodes"][:3]:
            print(n["target"], n["any"][0]["message"] if n["any"] else n)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="/tmp/compare.png", full_page=True)
