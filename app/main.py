"""create_app(): routers, static files, error pages, middleware."""

from __future__ import annotations

import gc

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine

from app import errors, middleware
from app.config import ROOT, Settings, get_settings
from app.core.dates import system_clock
from app.db import make_engine
from app.security.csrf import check_csrf
from app.security.input import check_input
from app.web import templates


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="TRIP benchmarking API",
        version="1",
        description="Read-only JSON for reporting tools. Send `Authorization: Bearer <token>`; "
        "make a token on your account page.",
        dependencies=[Depends(check_csrf), Depends(check_input)],
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.settings = settings
    app.state.engine = engine or make_engine(settings.database_url)
    app.state.clock = system_clock  # tests put their own clock here
    # in production templates do not change: no file check on every render
    templates.env.auto_reload = not settings.production

    from app.accounts.routes import router as accounts_router
    from app.api.routes import router as api_router
    from app.assets.routes import router as assets_router
    from app.compare.routes import router as compare_router
    from app.frameworks.routes import router as frameworks_router
    from app.home.routes import router as home_router
    from app.org.routes import router as org_router
    from app.plans.routes import router as plans_router
    from app.reminders.routes import router as reminders_router
    from app.rounds.routes import router as rounds_router
    from app.teams.routes import router as teams_router
    from app.workshop.routes import router as workshop_router

    for router in (
        workshop_router,  # first: the participant's save is matched before ~200 other routes
        home_router,
        accounts_router,
        org_router,
        teams_router,
        frameworks_router,
        rounds_router,
        assets_router,
        plans_router,
        compare_router,
        reminders_router,
    ):
        app.include_router(router, include_in_schema=False)
    from app.ops.routes import router as ops_router

    app.include_router(ops_router, include_in_schema=False)
    # the API's JSON routes are its OpenAPI description; its pages (tokens, /docs) are not
    app.include_router(api_router)

    app.mount("/static", StaticFiles(directory=ROOT / "app" / "static"), name="static")
    errors.install(app)
    middleware.install(app)
    return app


def app_factory() -> FastAPI:
    """Entry point for uvicorn --factory (each worker builds its own app and engine)."""
    from app.logs import setup_logging

    settings = get_settings()
    setup_logging(settings.log_level, readable=not settings.production)
    application = create_app(settings)
    # everything built at start-up lives for the whole process: keep it out of the cyclic
    # garbage collector's full passes, which otherwise pause a busy page now and then
    gc.collect()
    gc.freeze()
    return application
