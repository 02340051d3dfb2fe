"""Joining a round: a participant has no account, only a random token in a cookie (its hash
is stored, Participant.token_hash)."""

from __future__ import annotations

from sqlmodel import Session

from app.core.i18n import N_
from app.core.refused import Refused
from app.models import Participant, Round
from app.models.base import PERSPECTIVE_LABELS
from app.rounds.service import bump_room_version
from app.security.tokens import hash_token, new_token
from app.workshop.forms import ALIAS_MAX
from app.workshop.queries import FINISHED, joinable


def join_round(
    session: Session,
    round_: Round,
    perspective: str,
    alias: str | None,
    *,
    easy_read: bool = False,
) -> tuple[Participant, str]:
    """A new participant for a round people may join (the facilitator's joined count
    redraws: room_version is bumped). Returns it and the cookie's token. easy_read: the
    phone shows the framework's Easy Read words and pictures (the ratings are the same)."""
    if not joinable(round_):
        raise Refused(FINISHED, status=410, field="perspective")
    if perspective not in PERSPECTIVE_LABELS:
        raise Refused(N_("Choose the group that fits you best."), status=422, field="perspective")
    alias = (alias or "").strip() or None
    if alias is not None and len(alias) > ALIAS_MAX:
        raise Refused(
            N_("Your nickname must be 40 characters or fewer."), status=422, field="alias"
        )
    token = new_token()
    participant = Participant(
        round_id=round_.id,
        token_hash=hash_token(token),
        perspective=perspective,
        alias=alias,
        source="phone",
        easy_read=easy_read,
    )
    session.add(participant)
    bump_room_version(session, round_, screen=False)  # one flush: the INSERT and the round's UPDATE
    return participant, token
