"""Participants' verbs: joining a round and saving answers. Other code calls them here:

from app.workshop import service as workshop_service
workshop_service.join_round(session, round_, "carer", None)
workshop_service.save_rating(session, participant=p, round=r, statement_id=s, level=3)
"""

from app.workshop.service.fast import save_by_token
from app.workshop.service.participants import join_round
from app.workshop.service.saving import (
    answer_refusal,
    check_answer,
    check_open,
    save_answers,
    save_rating,
    save_section,
)

__all__ = [
    "answer_refusal",
    "check_answer",
    "check_open",
    "join_round",
    "save_answers",
    "save_by_token",
    "save_rating",
    "save_section",
]
