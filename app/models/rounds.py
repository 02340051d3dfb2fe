"""Benchmarking rounds: participants, their ratings, agreed ratings and summaries."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from app.models.base import utcnow


class Round(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    framework_id: int = Field(foreign_key="framework.id", index=True)
    title: str = Field(max_length=120)
    held_on: date
    status: str = Field(default="draft", max_length=10)  # draft | open | closed
    # led: the facilitator moves the room and phones follow | self_paced: each phone at its
    # own pace | group: the group agrees together, nobody joins by phone
    mode: str = Field(default="led", max_length=10)
    join_code: str = Field(max_length=6, unique=True)
    current_statement_id: int | None = Field(default=None, foreign_key="statement.id")
    spread_shown: bool = False
    shown_comment_id: int | None = None  # a Rating id whose comment is on the projector
    created_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    purged_at: datetime | None = None
    # the close publication every reader outside the room reads (None: never closed)
    publication_id: int | None = None
    # the projector's frozen spread for the current statement (None: too few answers yet)
    snapshot_id: int | None = None
    # goes up with everything the room's screens show (moves, show/hide, agreement, mode,
    # answer counts): a poll with the same number is answered 204 No Content
    room_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # goes up with what the shared screen shows apart from its counts (moves, show/hide, a
    # comment shown, agreement, mode, status): a projector poll with the same number but an
    # older room_version is answered with the counts alone (app.rounds.pages.projector)
    screen_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = Field(default_factory=utcnow)


class Participant(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("round_id", "sheet_number"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    perspective: str = Field(max_length=20)
    alias: str | None = Field(default=None, max_length=40)
    source: str = Field(default="phone", max_length=10)  # phone | paper
    sheet_number: int | None = None  # the number printed on a paper sheet (unique in the round)
    # chosen at join: the phone shows the framework's Easy Read text and pictures (issue 15);
    # the ratings are the same statements', so they count with everyone else's
    easy_read: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    created_at: datetime = Field(default_factory=utcnow)


class Rating(SQLModel, table=True):
    """One participant's view of one statement. level None means "don't know"."""

    __table_args__ = (
        UniqueConstraint("participant_id", "statement_id"),
        Index("ix_rating_round_id_statement_id", "round_id", "statement_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id")
    participant_id: int = Field(foreign_key="participant.id")
    statement_id: int = Field(foreign_key="statement.id")
    level: int | None = None
    matters_most: bool = False
    comment: str | None = Field(default=None, max_length=500)
    comment_hidden: bool = False
    # goes up each time the level or "matters most" changes (a new version of the answer)
    revision: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    # the phone's own sequence number for this answer: the save keeps the newer one
    seq: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    updated_at: datetime = Field(default_factory=utcnow)


class AgreedRating(SQLModel, table=True):
    __tablename__ = "agreed_rating"
    __table_args__ = (
        UniqueConstraint("round_id", "statement_id"),
        # compare: section levels of many rounds read from this index alone
        Index("ix_agreed_rating_round_id_statement_id_level", "round_id", "statement_id", "level"),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    statement_id: int = Field(foreign_key="statement.id")
    level: int | None = None  # None: the team said "don't know"
    well_notes: str = Field(default="", max_length=2000)
    could_notes: str = Field(default="", max_length=2000)
    version: int = 1
    updated_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)


class StatementSummary(SQLModel, table=True):
    """Raw counts per statement and perspective, written when a round closes."""

    __tablename__ = "statement_summary"
    __table_args__ = (UniqueConstraint("round_id", "statement_id", "perspective"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    statement_id: int = Field(foreign_key="statement.id", index=True)
    perspective: str = Field(max_length=20)
    level_1: int = 0
    level_2: int = 0
    level_3: int = 0
    level_4: int = 0
    dont_know: int = 0
    matters_most: int = 0
    n: int = 0  # people of this perspective who answered this statement


class Publication(SQLModel, table=True):
    """A set of figures someone could read: a close (results) or a projector snapshot.

    Append-only: every figure outside the facilitator's own screen comes from one of these,
    and a new one is made only if the disclosure check passes over all of the round's
    publications together (app.rounds.publications)."""

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    kind: str = Field(max_length=10)  # close | snapshot
    statement_id: int | None = Field(default=None, foreign_key="statement.id")  # snapshot
    heads: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    kept: int = 0  # statements whose earlier figures were kept (the check refused new ones)
    created_at: datetime = Field(default_factory=utcnow)


class PublishedCell(SQLModel, table=True):
    """One safe cell: a group's counts for one statement in one publication."""

    __tablename__ = "published_cell"
    __table_args__ = (
        UniqueConstraint("publication_id", "statement_id", "group"),
        Index("ix_published_cell_round_id_statement_id", "round_id", "statement_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    publication_id: int = Field(foreign_key="publication.id", index=True)
    round_id: int = Field(foreign_key="round.id")
    statement_id: int = Field(foreign_key="statement.id", index=True)
    group: str = Field(max_length=20)  # all | staff_side | service_user | carer | community | other
    perspectives: str = Field(max_length=80)  # the perspectives it adds up, comma-separated
    level_1: int = 0
    level_2: int = 0
    level_3: int = 0
    level_4: int = 0
    dont_know: int = 0
    matters_most: int = 0
    n: int = 0


class PublicationMember(SQLModel, table=True):
    """Which answer (participant and revision) a publication counted for a statement: the
    structure the disclosure check needs. Holds no answer; removed when a round is purged."""

    __tablename__ = "publication_member"
    __table_args__ = (UniqueConstraint("publication_id", "statement_id", "participant_id"),)

    id: int | None = Field(default=None, primary_key=True)
    publication_id: int = Field(foreign_key="publication.id", index=True)
    statement_id: int = Field(foreign_key="statement.id")
    participant_id: int = Field(foreign_key="participant.id")
    revision: int
