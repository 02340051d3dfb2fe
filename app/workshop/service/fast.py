"""The one-tap save from a phone, as one prepared statement: the hot path (it keeps its
own commit)."""

from __future__ import annotations

import threading

from sqlalchemy import Boolean, Integer, bindparam, text
from sqlmodel import Session

from app.core.codes import normalise_code
from app.models import Rating, utcnow
from app.rounds.service import BUMP_SQL
from app.security.tokens import hash_token
from app.workshop.forms import Answer
from app.workshop.queries import JOINABLE_SQL

# On SQLite one write happens at a time anyway: saves queue on this lock in the process
# (woken at once) rather than in SQLite's busy handler (which sleeps and polls).
_SQLITE_SAVES = threading.Lock()


# The row already holds this level and "matters most" (a new version of the answer if not)
_SAME_ANSWER = """((rating.level = excluded.level
      OR (rating.level IS NULL AND excluded.level IS NULL))
     AND rating.matters_most = excluded.matters_most)"""
_SAME_COMMENT = """(rating.comment = excluded.comment
     OR (rating.comment IS NULL AND excluded.comment IS NULL))"""

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
        comment = excluded.comment,
        updated_at = CASE WHEN {_SAME_ANSWER} AND {_SAME_COMMENT}
            THEN rating.updated_at ELSE excluded.updated_at END,
        revision = CASE WHEN {_SAME_ANSWER} THEN rating.revision ELSE rating.revision + 1 END,
        seq = CASE WHEN excluded.seq = 0 THEN rating.seq ELSE excluded.seq END
    WHERE excluded.seq = 0 OR rating.seq < excluded.seq
    RETURNING participant_id, round_id, updated_at
    """
).bindparams(
    bindparam("statement_id", type_=Integer),
    bindparam("seq", type_=Integer),
    bindparam("matters_most", type_=Boolean),
    bindparam("hidden", type_=Boolean),
    bindparam("now", type_=Rating.__table__.c.updated_at.type),
)
_ANSWERED = text("SELECT count(*) FROM rating WHERE participant_id = :participant_id")
_TIME = Rating.__table__.c.updated_at.type


def _changed(convert, returned, now) -> bool:
    """The row's updated_at moves only when the answer is new or what the room sees of it
    changed (the level, "matters most", the comment): then the room's screens redraw. A
    plain re-save of the same answer leaves it, and the room, alone."""
    return (convert(returned) if convert is not None else returned) == now


def save_by_token(session: Session, *, code: str, token: str, answer: Answer) -> int | None:
    """Upsert one answer for the phone holding `token`, only while people may rate the
    round (open, on phones), in one INSERT … SELECT … ON CONFLICT DO UPDATE (a hidden
    comment stays hidden); commit. The phone's sequence number decides between two
    versions of one answer: an update with a lower or equal one (an old retry, a second
    tab) changes nothing; 0 (a post without JavaScript) always applies.

    A new answer, or a changed level, "matters most" or comment, bumps the round's
    room_version in the same transaction (the facilitator's counts and comments redraw); a
    plain re-save does not.

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
    engine = session.get_bind()
    if session.in_transaction():  # (not on the hot path) the session's own connection
        return _save_in_session(session, params)
    # Queue in the process first, then take the database's lock: never the other way round
    # (a session already in a transaction holds SQLite's lock, so it must not queue here).
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        _SQLITE_SAVES.acquire()
    try:
        return _save_raw(engine, params, sqlite)
    finally:
        if sqlite:
            _SQLITE_SAVES.release()


def _save_in_session(session: Session, params: dict) -> int | None:
    try:
        row = session.execute(_SAVE_BY_TOKEN, params).first()
        if row is None:
            session.rollback()
            return None
        participant_id, round_id, updated_at = row
        dialect = session.get_bind().dialect
        convert = _TIME.dialect_impl(dialect).result_processor(dialect, None)
        if _changed(convert, updated_at, params["now"]):
            session.execute(BUMP_SQL, {"round_id": round_id})
        answered = session.execute(_ANSWERED, {"participant_id": participant_id}).scalar_one()
        session.commit()
        return answered
    except BaseException:
        session.rollback()
        raise


class _Prepared:
    """The three statements compiled once for a dialect, with their parameters' converters:
    the save runs them on a pooled DBAPI connection, without the ORM session's machinery."""

    def __init__(self, dialect) -> None:
        save = _SAVE_BY_TOKEN.compile(dialect=dialect)
        answered = _ANSWERED.compile(dialect=dialect)
        bump = BUMP_SQL.compile(dialect=dialect)
        self.save_sql, self.answered_sql, self.bump_sql = str(save), str(answered), str(bump)
        self.positional = dialect.positional
        self.save_names = list(save.positiontup or []) if self.positional else None
        self.answered_names = list(answered.positiontup or []) if self.positional else None
        self.bump_names = list(bump.positiontup or []) if self.positional else None
        self.converters = {
            name: bind.type.bind_processor(dialect) for name, bind in save.binds.items()
        }
        self.convert_time = _TIME.dialect_impl(dialect).result_processor(dialect, None)

    def arguments(self, params: dict, names: list[str] | None):
        converted = {}
        for name, value in params.items():
            convert = self.converters.get(name)
            converted[name] = convert(value) if convert is not None else value
        return tuple(converted[n] for n in names) if names is not None else converted

    @staticmethod
    def plain(params: dict, names: list[str] | None):
        return tuple(params[n] for n in names) if names is not None else params


_prepared: dict[str, _Prepared] = {}


def _save_raw(engine, params: dict, sqlite: bool) -> int | None:
    prepared = _prepared.get(engine.dialect.name)
    if prepared is None:
        prepared = _prepared[engine.dialect.name] = _Prepared(engine.dialect)
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        if sqlite:  # the driver is in autocommit mode (app.db): begin as the app does
            cursor.execute("BEGIN IMMEDIATE")
        cursor.execute(prepared.save_sql, prepared.arguments(params, prepared.save_names))
        row = cursor.fetchone()
        if row is None:
            connection.rollback()
            return None
        if _changed(prepared.convert_time, row[2], params["now"]):
            bump = {"round_id": row[1]}
            cursor.execute(prepared.bump_sql, prepared.plain(bump, prepared.bump_names))
        answered = {"participant_id": row[0]}
        cursor.execute(prepared.answered_sql, prepared.plain(answered, prepared.answered_names))
        count = cursor.fetchone()[0]
        connection.commit()  # (pysqlite commits or rolls back whatever BEGIN began)
        return count
    except BaseException:
        connection.rollback()
        raise
    finally:
        connection.close()  # back to the pool
