"""Compare's loaders: what the GET form asked for (`CompareChoices`) and one statement
across the teams those choices keep (`StatementAcross`, 404 if there is no such statement).
Every compare page is for recovery leads and admins (`OverviewUser`)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Query

from app.compare.queries import COLUMNS, SECTION_CODES, StatementView, TeamFilter, build_view
from app.core.i18n import N_
from app.core.refused import Refused
from app.db import SessionDep
from app.models.base import SETTING_LABELS
from app.security.access import OverviewUser


def _is_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) < 10


class Choices:
    """What the GET form asked for; anything unknown is ignored, never an error."""

    def __init__(
        self,
        service: str = "",
        setting: str = "",
        framework: str = "",
        sort: str = "team",
        direction: str = "",
        hide: str = "",
        section: str = "C1",
        team: str = "",
    ) -> None:
        # isascii: '²'.isdigit() is true but int('²') fails; 9 digits fit an id column
        self.service_id = int(service) if _is_id(service) else None
        self.setting = setting if setting in SETTING_LABELS else None
        self.framework_key = framework or None
        self.sort = sort if sort in COLUMNS else "team"
        self.descending = direction == "desc"
        self.hide = hide == "1"
        self.section = section if section in SECTION_CODES else "C1"
        self.team_id = int(team) if _is_id(team) else None  # the trend's own-team chart

    @property
    def where(self) -> TeamFilter:
        return TeamFilter(self.service_id, self.setting, self.framework_key)

    def query(self, **changes) -> str:
        values = {
            "service": self.service_id or "",
            "setting": self.setting or "",
            "framework": self.framework_key or "",
            "sort": self.sort if self.sort != "team" else "",
            "dir": "desc" if self.descending else "",
            "hide": "1" if self.hide else "",
        }
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})

    def sort_link(self, column: str) -> str:
        descending = column == self.sort and not self.descending
        return "?" + self.query(sort=column, dir="desc" if descending else "")

    def aria_sort(self, column: str) -> str | None:
        if column != self.sort:
            return None
        return "descending" if self.descending else "ascending"


def compare_choices(
    user: OverviewUser,
    service: str = "",
    setting: str = "",
    framework: str = "",
    sort: str = "team",
    direction: Annotated[str, Query(alias="dir")] = "",
    hide: str = "",
    section: str = "C1",
    team: str = "",
) -> Choices:
    """The GET form's choices (query parameters), for a recovery lead or an admin (anyone
    else is refused first)."""
    return Choices(service, setting, framework, sort, direction, hide, section, team)


CompareChoices = Annotated[Choices, Depends(compare_choices)]


def statement_across(
    statement_id: int, session: SessionDep, choices: CompareChoices
) -> StatementView:
    view = build_view(session, statement_id, choices.where)
    if view is None:
        raise Refused(N_("There is no statement with this number."), status=404)
    return view


StatementAcross = Annotated[StatementView, Depends(statement_across)]
