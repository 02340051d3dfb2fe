"""Reminders' verbs: choices, unsubscribing, and the send run."""

from app.reminders.service.choices import (
    save_choices,
    unsubscribe,
    unsubscribe_token,
    user_of_token,
)
from app.reminders.service.mail import ONE_CLICK_BODY, Mail
from app.reminders.service.run import RunReport, describe, iso_week, plan_run, send_reminders
from app.reminders.service.senders import sender_for, sender_problem

__all__ = [
    "ONE_CLICK_BODY",
    "Mail",
    "RunReport",
    "describe",
    "iso_week",
    "plan_run",
    "save_choices",
    "send_reminders",
    "sender_for",
    "sender_problem",
    "unsubscribe",
    "unsubscribe_token",
    "user_of_token",
]
