"""The one-tap save from a phone, as one prepared statement: the hot path (it keeps its
own commit)."""

from __future__ import annotations

import threading

from sqlalchemy import Boolean, Integer, bindparam, text
from sqlmodel import Session

from app.core.codes import normalise_code
from app.models import Rating, utcnow
from app.security.tokens import hash_token
from app.workshop.forms import Answer
from app.workshop.queries import JOINABLE_SQL

# On SQLite one write happens at a time anyway: saves queue on this lock in the process
# (woken at once) rather than in SQLite's busy handler (which sleeps and polls).
_SQLITE_SAVES = threading.Lock()


# The hot path as one prepared text statement: it runs on SQLite and PostgreSQL alike, and
# skips building (and cache-keying) an expression per save, which was most of its CPU time.
_SAVE_BY_TOKEN = text(
    f"""
    INSERT INTO rating (round_id, participant_id, statement_id, level, matters_most, comment,
                        comment_hidden, seq, updated_at)
    SELECT p.round_id, p.id, :statement_id, CAST(:level AS INTEGER), :matters_most,
           CAST(:comment AS VARCHAR(500)), :hidden, :seq, :now
    FROM participant AS p JOIN "round" AS r ON r.id = p.round_id
    WHERE p.token_hash = :token_hash AND r.join_code = :code AND {JOINABLE_SQL}
    ON CONFLICT (participant_id, statement_id) DO UPDATE SET
        level = excluded.level, matters_most = excluded.matters_most,
        comment = excluded.comment, updated_at = excluded.updated_at,
        revision = CASE
            WHEN (rating.level = excluded.level
                  OR (rating.level IS NULL AND excluded.level IS NULL))
                 AND rating.matters_most = excluded.matters_most
            THEN rating.revision ELSE rating.revision + 1 END,
        seq = CASE WHEN excluded.seq = 0 THEN rating.seq ELSE excluded.seq END
    WHERE excluded.seq = 0 OR rating.seq < excluded.seq
    RETURNING participant_id
    """
).bindparams(
    bindparam("statement_id", type_=Integer),
    bindparam("seq", type_=Integer),
    bindparam("matters_most", type_=Boolean),
    bindparam("hidden", type_=Boolean),
    bindparam("now", type_=Rating.__table__.c.updated_at.type),
)
_ANSWERED = text("SELECT count(*) FROM rating WHERE participant_id = :participant_id")


def save_by_token(session: Session, *, code: str, token: str, answer: Answer) -> int | None:
    """Upsert one answer for the phone holding `token`, only while people may rate the
    round (open, on phones), in one INSERT … SELECT … ON CONFLICT DO UPDATE (a hidden
    comment stays hidden); commit. The phone's sequence number decides between two
    versions of one answer: an update with a lower or equal one (an old retry, a second
    tab) changes nothing; 0 (a post without JavaScript) always applies.

    Returns how many statements this participant has answered, or None when nothing was
    written (an unknown phone, the round is not open, or a newer answer is already kept:
    the caller finds out which).
    """
    params = {
        "statement_id": answer.statement_id,
        "level": answer.level,
        "matters_most": answer.matters_most,
        "comment": answer.comment,
        "hidden": False,
        "seq": answer.seq,
        "now": utcnow(),
        "token_hash": hash_token(token),
        "code": normalise_code(code),
    }
    # Queue in the process first, then take the database's lock: never the other way round
    # (a session already in a transaction holds SQLite's lock, so it must not queue here).
    sqlite = session.get_bind().dialect.name == "sqlite" and not session.in_transaction()
    if sqlite:
        _SQLITE_SAVES.acquire()
    try:
        participant_id = session.execute(_SAVE_BY_TOKEN, params).scalar()
        if participant_id is None:
            session.rollback()
            return None
        answered = session.execute(_ANSWERED, {"participant_id": participant_id}).scalar_one()
        session.commit()
        return answered
    except BaseException:
        session.rollback()
        raise
    finally:
        if sqlite:
            _SQLITE_SAVES.release()
