"""Rounds' verbs: every write and its audit event; each flushes, the request commits. Other
domains call them through this module:

    from app.rounds import service as rounds_service
    rounds_service.close_round(session, round_, actor=user)
"""

from app.rounds.service.agreed import naming_problems, record_agreed_rating
from app.rounds.service.paper import record_paper_sheet
from app.rounds.service.publications import publish_close, snapshot_spread
from app.rounds.service.room import (
    BUMP_SQL,
    bump_room_version,
    change_mode,
    hide_comment,
    hide_spread,
    next_statement,
    set_current_statement,
    show_comment,
    show_spread,
)
from app.rounds.service.rounds import close_round, create_round, open_round, reopen_round
from app.rounds.service.summaries import delete_summaries, write_summaries

__all__ = [
    "BUMP_SQL",
    "bump_room_version",
    "change_mode",
    "close_round",
    "create_round",
    "delete_summaries",
    "hide_comment",
    "hide_spread",
    "naming_problems",
    "next_statement",
    "open_round",
    "publish_close",
    "record_agreed_rating",
    "record_paper_sheet",
    "reopen_round",
    "set_current_statement",
    "show_comment",
    "show_spread",
    "snapshot_spread",
    "write_summaries",
]
