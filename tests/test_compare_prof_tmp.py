import cProfile, pstats, time, copy
from types import SimpleNamespace
from tests.compare_org import build_org, TODAY
from app.compare import matrix, queries
from app.compare.queries import TeamFilter
from app.web import templates
def test_prof(session, clock):
    org = build_org(session)
    rows = matrix.build_rows(session, TeamFilter(), TODAY.date())
    rows = [copy.copy(r) for _ in range(100) for r in rows]
    from app.compare.routes import Choices
    req = SimpleNamespace(query_params={}, url=SimpleNamespace(path="/compare"))
    ch = Choices(req)
    ctx = {"request": req, "rows": rows, "choices": ch, "codes": queries.SECTION_CODES, "titles": {}, "statements": [], "services": [], "frameworks": [], "setting_options": [], "user": None, "csrf_token": "", "flash": None, "settings": None}
    t = templates.env.get_template("compare/matrix.html")
    t.render(ctx)
    s=time.perf_counter(); html=t.render(ctx); print("ms", (time.perf_counter()-s)*1000, len(html))
    pr = cProfile.Profile(); pr.enable(); t.render(ctx); pr.disable()
    pstats.Stats(pr).sort_stats("tottime").print_stats(15)
