"""Plans read models, for plans and for other domains (`from app.plans import queries as
plans_queries`): the current plan (the one rule), plan views, open actions, my work."""

from app.plans.queries.mywork import my_work
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
    "ActionView",
    "OpenAction",
    "PriorityView",
    "carry_candidates",
    "closed_rounds",
    "current_plan",
    "current_plan_ids",
    "current_plans",
    "is_overdue",
    "my_work",
    "open_actions_for_team",
    "open_actions_of_plan",
    "plan_statements",
    "plan_view",
    "team_plans",
]
