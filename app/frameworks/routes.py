"""Read every framework's sections and statements."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from app.db import SessionDep
from app.frameworks import service
from app.models import Framework
from app.security.access import CurrentUser
from app.web import render

router = APIRouter()


@router.get("/frameworks")
def framework_list(request: Request, session: SessionDep, user: CurrentUser):
    families = service.families(session)
    return render(
        request, "frameworks/list.html", {"page_title": "Frameworks", "families": families}
    )


@router.get("/frameworks/{framework_id}")
def framework_detail(request: Request, framework_id: int, session: SessionDep, user: CurrentUser):
    framework = session.get(Framework, framework_id)
    if framework is None:
        raise HTTPException(404)
    return render(
        request,
        "frameworks/detail.html",
        {
            "page_title": framework.title,
            "framework": framework,
            "sections": service.sections_with_statements(session, framework_id),
            "versions": service.versions_of(session, framework.key),
            "changes": service.changes_since_previous(session, framework),
        },
    )
