"""Suggested priorities from a closed round's results, each with its reason.

Rating-derived numbers in the reasons come only from the round's published cells
(`rounds_queries.published_spreads`): a gap quotes the two sides' means only where
`divergence_of(spread).comparable` (both sides published, each with 3 or more who gave a
level), and "matters most" counts are the published totals'. A reason is a list of parts —
text, `Figure`s and `Ratio`s — so the page marks each number with the `fig`/`ratio` macros.
Agreed levels need no floor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, select

from app.core.floor import Divergence, Figure, Ratio, divergence_of
from app.core.i18n import N_, _, ngettext
from app.models import AgreedRating, Framework, Round, Statement
from app.rounds import queries as rounds_queries

TOP = 5

Part = str | Figure | Ratio


@dataclass(frozen=True)
class Difference:
    """How far apart the two sides' (published) means are: shown beside both means."""

    divergence: Divergence

    @property
    def shown(self) -> str:
        return f"{abs(self.divergence.difference):.1f}"


@dataclass
class Suggestion:
    statement: Statement
    parts: list[Part | Difference]

    @property
    def reason(self) -> str:
        """The reason as plain text."""
        return "".join(p if isinstance(p, str) else _plain(p) for p in self.parts)


def _plain(part: Figure | Ratio | Difference) -> str:
    if isinstance(part, Figure):
        return str(part.value)
    return part.shown


def _text(reason: str) -> list[Part]:
    return [reason]


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _parts(sentence: str, **values: object) -> list:
    """A translated `sentence` cut at its %(name)s placeholders into text and the values
    (numbers stay objects, so the page marks them), in the order the language puts them."""
    pieces = _PLACEHOLDER.split(sentence)
    parts: list = []
    for i, piece in enumerate(pieces):
        if i % 2:
            parts.append(values[piece])
        elif piece:
            parts.append(piece)
    return parts


@dataclass
class SuggestionGroup:
    key: str
    heading: str
    intro: str
    items: list[Suggestion]


def agreed_levels(session: Session, round_id: int) -> dict[int, int | None]:
    """{statement_id: agreed level (None = don't know)} for a round."""
    return {
        r.statement_id: r.level
        for r in session.exec(select(AgreedRating).where(AgreedRating.round_id == round_id))
    }


def _label(scale: list, level: int) -> str:
    for item in scale:
        if item.get("level") == level:
            return f"{level} ({item.get('label')})"
    return str(level)


def suggest(session: Session, round_: Round) -> list[SuggestionGroup]:
    framework = session.get(Framework, round_.framework_id)
    statements = list(
        session.exec(
            select(Statement)
            .where(Statement.framework_id == framework.id)
            .order_by(Statement.position, Statement.id)
        )
    )
    order = {s.id: i for i, s in enumerate(statements)}
    by_id = {s.id: s for s in statements}
    levels = agreed_levels(session, round_.id)
    spreads = rounds_queries.published_spreads(session, round_.id)
    scale = framework.scale

    lowest = sorted(
        (sid for sid, level in levels.items() if level is not None and sid in by_id),
        key=lambda sid: (levels[sid], order[sid]),
    )
    top_level = max((item["level"] for item in scale), default=4)
    lowest = [sid for sid in lowest if levels[sid] < top_level][:TOP]
    low_items = [
        Suggestion(
            by_id[sid],
            _text(_("The team agreed level %(level)s.") % {"level": _label(scale, levels[sid])}),
        )
        for sid in lowest
    ]

    gaps = []
    for sid, spread in spreads.items():
        if sid not in by_id:
            continue
        d = divergence_of(spread)
        if d.comparable and d.difference:
            gaps.append((sid, d))
    gaps.sort(key=lambda pair: (-abs(pair[1].difference), order[pair[0]]))
    gap_items = []
    for sid, d in gaps[:TOP]:
        if d.difference > 0:
            sentence = _(
                "Staff and peer workers gave %(staff)s on average; people using the service "
                "gave %(service_user)s. Staff rated it %(difference)s levels higher."
            )
        else:
            sentence = _(
                "Staff and peer workers gave %(staff)s on average; people using the service "
                "gave %(service_user)s. People using the service rated it %(difference)s "
                "levels higher."
            )
        gap_items.append(
            Suggestion(
                by_id[sid],
                _parts(
                    sentence,
                    staff=d.staff,
                    service_user=d.service_user,
                    difference=Difference(d),
                ),
            )
        )

    matters = sorted(
        (
            (sid, spread.total.matters_most)
            for sid, spread in spreads.items()
            if sid in by_id and spread.total is not None
        ),
        key=lambda pair: (-pair[1].value, order[pair[0]]),
    )
    matter_items = [
        Suggestion(
            by_id[sid],
            _parts(
                ngettext(
                    "%(count)s person said this matters most to them.",
                    "%(count)s people said this matters most to them.",
                    n.value,
                ),
                count=n,
            ),
        )
        for sid, n in matters[:TOP]
        if n.value > 0
    ]

    fell_items = []
    before = rounds_queries.previous_round(session, round_)
    if before is not None:
        codes_before = rounds_queries.statement_levels(session, before.id)
        fell = []
        for sid in order:
            now_level = levels.get(sid)
            was = codes_before.get(by_id[sid].code)
            if now_level is not None and was is not None and now_level < was:
                fell.append((sid, was, now_level))
        fell.sort(key=lambda t: (t[2] - t[1], order[t[0]]))
        fell_items = [
            Suggestion(
                by_id[sid],
                _text(
                    _("Fell from level %(was)s in '%(round)s' to level %(now)s.")
                    % {"was": _label(scale, was), "round": before.title, "now": _label(scale, now)}
                ),
            )
            for sid, was, now in fell[:TOP]
        ]

    return [
        SuggestionGroup(
            "lowest",
            N_("Lowest agreed levels"),
            N_("Where the team agreed it has furthest to go."),
            low_items,
        ),
        SuggestionGroup(
            "gaps",
            N_("Widest gaps between staff and people using the service"),
            N_(
                "Shown only where both groups' figures are published and at least 3 staff and 3 "
                "people using the service gave a level."
            ),
            gap_items,
        ),
        SuggestionGroup(
            "matters",
            N_("What matters most to people"),
            N_("Statements people most often marked as mattering most to them."),
            matter_items,
        ),
        SuggestionGroup(
            "fell",
            N_("Went down since the last round"),
            N_("Statements whose agreed level fell since the team's last round on this framework."),
            fell_items,
        ),
    ]
