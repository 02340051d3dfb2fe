"""Read every framework's sections and statements."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.db import SessionDep
from app.frameworks.deps import FrameworkDep
from app.frameworks.pages import show_framework, show_frameworks
from app.security.access import CurrentUser

router = APIRouter()


@router.get("/frameworks")
def framework_list(request: Request, session: SessionDep, user: CurrentUser):
    return show_frameworks(request, session)


@router.get("/frameworks/{framework_id}")
def framework_detail(request: Request, session: SessionDep, framework: FrameworkDep):
    return show_framework(request, session, framework)
