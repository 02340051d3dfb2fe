"""The plans routes: one router, its submodules register on it (app.main includes it)."""

from fastapi import APIRouter

router = APIRouter()

from app.plans.routes import plans, priorities, actions, reviews, exports, mypart  # noqa: E402, F401, I001
