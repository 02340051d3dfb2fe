"""What a participant's pages read: the round by its code (the one rule for joining and
rating), the participant by their cookie, the framework laid out, their answers so far."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, text
from sqlmodel import Session, select

from app.core.codes import CODE_LENGTH, normalise_code
from app.core.i18n import N_
from app.core.refused import Refused
from app.models import Framework, Participant, Rating, Round, Section, Statement
from app.security.tokens import hash_token

# The one rule: people join and rate only an open round rated on phones (led or
# self-paced); a group round's code is refused everywhere (/join, /r/{code}, every save).
OPEN = "open"
PHONE_MODES = ("led", "self_paced")
JOINABLE_SQL = f"r.status = '{OPEN}' AND r.mode IN ('led', 'self_paced')"  # the fast save

NOT_FOUND = N_("We could not find an open workshop with that code. Check the code on the screen.")
FINISHED = N_("This workshop has finished, so answers can no longer be changed. Thank you.")
NOT_IN_ROUND = N_("That statement is not part of this workshop.")
GROUP_NOW = N_("This workshop is now answered together in the room. Follow the screen.")
NO_COOKIE = N_(
    "We could not tell that this phone has joined this workshop. "
    "Open the workshop again with the code on the screen."
)


def joinable(found: Round) -> bool:
    return found.status == OPEN and found.mode in PHONE_MODES


def _code(code: str | None) -> str | None:
    code = normalise_code(code)
    return code if code and len(code) <= CODE_LENGTH else None


def open_round_by_code(session: Session, code: str | None) -> Round | None:
    """The round people may join and rate with this code (case, spaces and dashes forgiven):
    open, and rated on phones. A draft, closed or group round's code does not work."""
    code = _code(code)
    if code is None:
        return None
    return session.exec(
        select(Round).where(
            Round.join_code == code, Round.status == OPEN, Round.mode.in_(PHONE_MODES)
        )
    ).first()


def round_by_code(session: Session, code: str | None) -> Round | None:
    """The phones round with this code, open or finished (to say which), never a draft or
    a group round's (codes are never reused)."""
    code = _code(code)
    if code is None:
        return None
    found = session.exec(select(Round).where(Round.join_code == code)).first()
    if found is None or found.mode not in PHONE_MODES or found.status == "draft":
        return None
    return found


def find_participant(session: Session, round_: Round, token: str | None) -> Participant | None:
    if not token:
        return None
    return session.exec(
        select(Participant).where(
            Participant.round_id == round_.id, Participant.token_hash == hash_token(token)
        )
    ).first()


def participant_by_code(
    session: Session, code: str, token: str | None
) -> tuple[Round, Participant] | None:
    """The round people may rate and the participant holding `token`, in one query."""
    if not token:
        return None
    row = session.exec(
        select(Round, Participant)
        .join(Participant, Participant.round_id == Round.id)
        .where(Round.join_code == normalise_code(code), Round.status == OPEN)
        .where(Round.mode.in_(PHONE_MODES), Participant.token_hash == hash_token(token))
    ).first()
    return (row[0], row[1]) if row else None


def joined_round(session: Session, code: str, token: str | None) -> Round | None:
    """The round with this code when the cookie names one of its participants, whatever its
    mode or status now (a round that changed under a phone that joined it)."""
    if not token:
        return None
    return session.exec(
        select(Round)
        .join(Participant, Participant.round_id == Round.id)
        .where(Round.join_code == normalise_code(code), Participant.token_hash == hash_token(token))
    ).first()


def why_not(
    session: Session, code: str, joined: Round | None = None
) -> tuple[Round | None, Refused]:
    """Why a participant's save found no round to rate: 404 (no such code, or now a group
    round), 410 (finished) or 403 (this phone has not joined). Nothing is written."""
    if joined is not None and joined.mode not in PHONE_MODES and joined.status != "closed":
        return joined, Refused(GROUP_NOW, status=404)
    found = joined or round_by_code(session, code)
    if found is None:
        return None, Refused(NOT_FOUND, status=404)
    if found.status == "closed":
        return found, Refused(FINISHED, status=410)
    return found, Refused(NO_COOKIE, status=403)


# --- the framework, laid out for the pages ----------------------------------------------


@dataclass
class Layout:
    framework: Framework
    sections: list[Section]
    statements: dict[int, list[Statement]] = field(default_factory=dict)  # by section id

    @property
    def total(self) -> int:
        return sum(len(items) for items in self.statements.values())

    @property
    def scale(self) -> list[dict]:
        return sorted(self.framework.scale, key=lambda item: item["level"])

    def section(self, number: int) -> Section | None:
        return self.sections[number - 1] if 1 <= number <= len(self.sections) else None

    @property
    def ordered(self) -> list[Statement]:
        """Every statement, part by part: statement number n is ordered[n - 1]."""
        return [s for section in self.sections for s in self.statements.get(section.id, [])]

    def place(self, number: int) -> tuple[Statement, Section, int] | None:
        """Statement number `number`, its section and the section's number (None: no such)."""
        at = 0
        for section_number, section in enumerate(self.sections, start=1):
            items = self.statements.get(section.id, [])
            if number <= at + len(items) and number > at:
                return items[number - at - 1], section, section_number
            at += len(items)
        return None

    def statement_number(self, statement_id: int | None) -> int:
        """The number of a statement across the whole round (0 if none)."""
        for number, statement in enumerate(self.ordered, start=1):
            if statement.id == statement_id:
                return number
        return 0


def round_layout(session: Session, round_: Round) -> Layout:
    return framework_layout(session, round_.framework_id)


def framework_layout(session: Session, framework_id: int) -> Layout:
    framework = session.get(Framework, framework_id)
    sections = list(
        session.exec(
            select(Section)
            .where(Section.framework_id == framework_id)
            .order_by(Section.position, Section.id)
        ).all()
    )
    layout = Layout(framework=framework, sections=sections)
    statements = session.exec(
        select(Statement)
        .where(Statement.framework_id == framework_id)
        .order_by(Statement.position, Statement.id)
    ).all()
    for section in sections:
        layout.statements[section.id] = []
    for statement in statements:
        layout.statements.setdefault(statement.section_id, []).append(statement)
    return layout


def ratings_of(session: Session, participant: Participant) -> dict[int, Rating]:
    rows = session.exec(select(Rating).where(Rating.participant_id == participant.id)).all()
    return {row.statement_id: row for row in rows}


def answered_count(session: Session, participant: Participant) -> int:
    return session.exec(
        select(func.count()).select_from(Rating).where(Rating.participant_id == participant.id)
    ).one()


# --- what a save checks against (cached per process) -------------------------------------


@dataclass(frozen=True)
class FrameworkFacts:
    """The framework's statements and scale levels."""

    statement_ids: frozenset[int]
    levels: frozenset[int]

    @property
    def total(self) -> int:
        return len(self.statement_ids)


def framework_facts(
    session: Session, framework_id: int, cache: dict | None = None
) -> FrameworkFacts:
    """Read once per process when `cache` is given: a framework a round uses never changes
    (a changed file becomes a new version) and cannot be deleted while a round uses it."""
    if cache is not None and framework_id in cache:
        return cache[framework_id]
    ids = session.exec(select(Statement.id).where(Statement.framework_id == framework_id)).all()
    scale = session.exec(select(Framework.scale).where(Framework.id == framework_id)).one()
    facts = FrameworkFacts(frozenset(ids), frozenset(int(item["level"]) for item in scale))
    if cache is not None:
        cache[framework_id] = facts
    return facts


def open_round_facts(session: Session, code: str, cache: dict) -> FrameworkFacts | None:
    """The framework facts of the round people may rate with this code (cached per
    process), or None. Only what never changes is cached (a round's framework and mode);
    whether the round is still open is checked by the save itself."""
    key = ("code", normalise_code(code))
    if key in cache:
        return cache[key]
    found = open_round_by_code(session, key[1])
    facts = None if found is None else framework_facts(session, found.framework_id, cache)
    # end this read now: on SQLite it holds the write lock, and the save that follows
    # queues for that lock (app.workshop.service.saving.save_by_token)
    session.commit()
    if facts is not None:
        cache[key] = facts
    return facts


# --- the room, for a phone in a led round --------------------------------------------------

# One indexed statement (round.join_code and participant.token_hash are unique): the room's
# statement for the phone holding this cookie; a poll from a phone already on that statement's
# version (phone_version) is answered 204 from this alone.
_ROOM = text(
    """
    SELECT r.room_version, r.current_statement_id, r.framework_id, r.status, r.mode
    FROM "round" AS r JOIN participant AS p ON p.round_id = r.id
    WHERE r.join_code = :code AND p.token_hash = :token_hash
    """
)


@dataclass(frozen=True)
class Room:
    version: int
    statement_id: int | None
    framework_id: int
    status: str
    mode: str


def room_for_phone(session: Session, code: str, token: str | None) -> Room | None:
    if not token:
        return None
    row = session.execute(
        _ROOM, {"code": normalise_code(code), "token_hash": hash_token(token)}
    ).first()
    if not row:
        return None
    _version, statement_id, framework_id, status, mode = row
    return Room(phone_version(statement_id), statement_id, framework_id, status, mode)


def phone_version(statement_id: int | None) -> int:
    """A phone's version of the room is the statement the room is on. Answers, joins and
    comments bump room_version for the facilitator's counts; a phone needs only the room's
    place, so 40 phones answering do not make each other's polls re-fetch."""
    return statement_id or 0


def statement_order(session: Session, framework_id: int, cache: dict) -> tuple[int, ...]:
    """The framework's statement ids in the phones' order (cached per process: a framework a
    round uses never changes)."""
    key = ("order", framework_id)
    if key not in cache:
        cache[key] = tuple(s.id for s in framework_layout(session, framework_id).ordered)
    return cache[key]


def max_seq(ratings: dict[int, Rating]) -> int:
    """The highest sequence number this phone has saved (its counter starts above it)."""
    return max((r.seq for r in ratings.values()), default=0)
