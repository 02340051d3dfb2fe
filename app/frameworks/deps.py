"""Frameworks' loaders, as Annotated dependencies: any signed-in person reads frameworks."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException

from app.db import SessionDep
from app.models import Framework
from app.security.access import CurrentUser


def _framework(framework_id: int, session: SessionDep, user: CurrentUser) -> Framework:
    framework = session.get(Framework, framework_id)
    if framework is None:
        raise HTTPException(404)
    return framework


FrameworkDep = Annotated[Framework, Depends(_framework)]
