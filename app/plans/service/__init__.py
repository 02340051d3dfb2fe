"""Plans verbs, for plans and for other domains (`from app.plans import service as
plans_service`). Each writes, audits and flushes; the request commits."""

# the verbs' input types (other domains — the demo — build them to call the verbs)
from app.plans.forms import ActionForm, CelebrationForm, PriorityForm, ReviewForm
from app.plans.service.actions import add_action, update_action
from app.plans.service.calendar import make_token, revoke_token
from app.plans.service.plans import agree_plan, close_plan, create_plan, set_review_due
from app.plans.service.priorities import add_priority, remove_priority, update_priority
from app.plans.service.reviews import add_celebration, record_review

__all__ = [
    "ActionForm",
    "CelebrationForm",
    "PriorityForm",
    "ReviewForm",
    "add_action",
    "add_celebration",
    "add_priority",
    "agree_plan",
    "close_plan",
    "create_plan",
    "make_token",
    "record_review",
    "remove_priority",
    "revoke_token",
    "set_review_due",
    "update_action",
    "update_priority",
]
