"""Plans read models, for plans and for other domains (`from app.plans import queries as
plans_queries`): the current plan (the one rule), plan views, open actions, my part and the
co-lead rule as it holds today (`colead_needs`, `coled_today`, `coleads_today`: batched,
for /compare and the API too)."""

from app.plans.queries.coleads import (
    NEEDS_SERVICE_USER,
    NEEDS_STAFF,
    colead_needs,
    coleads_today,
    coled_today,
)
from app.plans.queries.mypart import my_part
from app.plans.queries.needs import needing_coleads
from app.plans.queries.plans import (
    OpenAction,
    carry_candidates,
    closed_rounds,
    current_plan,
    current_plan_ids,
    current_plans,
    open_actions_for_team,
    open_actions_of_plan,
    plan_statements,
    team_plans,
)
from app.plans.queries.views import ActionView, PriorityView, is_overdue, plan_view

__all__ = [
    "NEEDS_SERVICE_USER",
    "NEEDS_STAFF",
    "colead_needs",
    "coleads_today",
    "coled_today",
    "ActionView",
    "OpenAction",
    "PriorityView",
    "carry_candidates",
    "closed_rounds",
    "current_plan",
    "current_plan_ids",
    "current_plans",
    "is_overdue",
    "my_part",
    "needing_coleads",
    "open_actions_for_team",
    "open_actions_of_plan",
    "plan_statements",
    "plan_view",
    "team_plans",
]
