"""The participant's forms: the join code, the perspective, something to bring, and one
statement's answer (fields named level-<id>, matters_most-<id>, comment-<id>)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.core.i18n import N_
from app.core.refused import Refused
from app.models.assets import ASSET_KINDS
from app.models.base import PERSPECTIVE_LABELS

COMMENT_MAX = 500
ALIAS_MAX = 40
DONT_KNOW = "dk"

BAD_LEVEL = N_("Choose one of the answers shown.")
LONG_COMMENT = N_("Your comment must be 500 characters or fewer.")  # COMMENT_MAX
NO_ANSWER = N_("Choose an answer before writing a comment.")
NO_ANSWER_MARKED = N_("Choose an answer before marking it as mattering most.")
CHOOSE_ONE = N_("Choose an answer to save it.")


def _short_nickname(value: str) -> str:
    """Messages written here (not pydantic's) so they are in the catalogue for Welsh."""
    if len(value) > ALIAS_MAX:
        raise ValueError(N_("Your nickname must be 40 characters or fewer."))  # ALIAS_MAX
    return value


class JoinForm(BaseModel):
    code: str = Field(default="", max_length=40, title="The code")


class WelcomeForm(BaseModel):
    model_config = ConfigDict(validate_default=True)  # a missing field is checked too

    perspective: str = Field(default="", title="Your group")
    alias: str = Field(default="", title="Your nickname")
    easy_read: str = ""  # the checkbox: "1" when ticked

    @property
    def wants_easy_read(self) -> bool:
        return self.easy_read not in ("", "0", "false", "off")

    @field_validator("perspective")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in PERSPECTIVE_LABELS:
            raise ValueError(N_("Choose the group that fits you best today."))
        return value

    @field_validator("alias")
    @classmethod
    def _short_alias(cls, value: str) -> str:
        return _short_nickname(value)


class BringForm(BaseModel):
    model_config = ConfigDict(validate_default=True)  # a missing field is checked too

    kind: str = Field(default="", title="What kind of thing")
    description: str = Field(default="", title="What you could bring")
    happy_to_share: str = ""
    alias: str = Field(default="", title="Your nickname")

    @field_validator("alias")
    @classmethod
    def _short_alias(cls, value: str) -> str:
        return _short_nickname(value)

    @field_validator("description")
    @classmethod
    def _described(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError(N_("Tell us what you could bring."))
        if len(value) > 500:
            raise ValueError(N_("Write what you could bring in 500 characters or fewer."))
        return value

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in ASSET_KINDS:
            raise ValueError(N_("Choose what kind of thing it is."))
        return value


# --- one statement's answer ----------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    statement_id: int
    level: int | None  # None: "don't know"
    matters_most: bool = False
    comment: str | None = None
    seq: int = 0  # the phone's sequence number for this answer (0: none, always applies)


SEQ_MAX = 2**31 - 1


def parse_seq(value) -> int:
    """The phone's sequence number, sent by workshop.js (anything else: 0)."""
    try:
        seq = int(value)
    except (TypeError, ValueError):
        return 0
    return seq if 0 < seq <= SEQ_MAX else 0


def parse_answer(
    statement_id: int, level: str | None, matters_most: str | None, comment: str | None
) -> Answer | None:
    """Form values → an Answer; None when nothing was chosen (nothing to save).

    Refused (422, by its field) for a level that is not a whole number or "dk", an
    over-long comment, or a comment/mark without an answer.
    """
    comment = (comment or "").replace("\r\n", "\n").strip() or None
    if comment is not None and len(comment) > COMMENT_MAX:
        raise Refused(LONG_COMMENT, status=422, field="comment")
    marked = matters_most not in (None, "", "0", "false", "off")
    level = (level or "").strip()
    if not level:
        if comment or marked:
            raise Refused(NO_ANSWER_MARKED if marked else NO_ANSWER, status=422, field="level")
        return None
    if level == DONT_KNOW:
        value = None
    else:
        try:
            value = int(level)
        except ValueError:
            raise Refused(BAD_LEVEL, status=422, field="level") from None
    return Answer(statement_id, value, marked, comment)


def one_answer(form, statement_id: int) -> tuple[dict[str, str], Answer | Refused]:
    """The one-tap save's form (level-<id> or level, …): what was sent, and the answer or
    why it cannot be saved."""
    values = {}
    for name in ("level", "matters_most", "comment"):
        value = form.get(f"{name}-{statement_id}", form.get(name))
        if isinstance(value, str):
            values[name] = value
    try:
        answer = parse_answer(
            statement_id, values.get("level"), values.get("matters_most"), values.get("comment")
        )
    except Refused as refused:
        return values, refused
    if answer is None:
        return values, Refused(CHOOSE_ONE, status=422, field="level")
    seq = parse_seq(form.get("seq"))
    return values, replace(answer, seq=seq) if seq else answer
