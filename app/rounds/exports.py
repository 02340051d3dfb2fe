"""The round's ratings as CSV: one row per published cell (statement, group, counts) — the
same cells as the results page, never individual ratings and nothing for hidden groups. A
statement with no published cell (fewer than 3 answers) keeps one row for its agreed level,
with no counts. Comments (never hidden ones) only for the team's own people."""

from __future__ import annotations

import csv
import io

from app.core.floor import FEWER_THAN_3
from app.rounds.queries.results import RoundResults

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str | None) -> str:
    """Plain text that a spreadsheet will not run as a formula."""
    text = text or ""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _level_name(framework, level: int | None, agreed: bool) -> str:
    if not agreed:
        return ""
    if level is None:
        return framework.dont_know_label
    for item in framework.scale:
        if item["level"] == level:
            return item["label"]
    return str(level)


def ratings_csv(results: RoundResults, *, with_comments: bool) -> str:
    framework = results.framework
    labels = [f"{item['level']} {item['label']}" for item in framework.scale]
    header = [
        "section",
        "statement_code",
        "statement",
        "agreed_level",
        "agreed_label",
        "what_we_do_well",
        "what_we_could_do",
        "group",
        "people",
        *labels,
        framework.dont_know_label,
        "matters_most",
    ]
    if with_comments:
        header.append("comments")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for section in results.sections:
        for item in section.statements:
            agreed = item.agreed
            base = [
                section.section.code,
                item.statement.code,
                _cell(item.statement.text),
                "" if agreed is None or agreed.level is None else agreed.level,
                _level_name(framework, agreed.level if agreed else None, agreed is not None),
                _cell(agreed.well_notes if agreed else ""),
                _cell(agreed.could_notes if agreed else ""),
            ]
            cells = item.rows
            rows = [
                [
                    c.label,
                    c.n.value,
                    *(c.level(level).value for level in (1, 2, 3, 4)),
                    c.dont_know.value,
                    c.matters_most.value,
                ]
                for c in cells
            ] or [["", FEWER_THAN_3, "", "", "", "", "", ""]]
            for index, counts in enumerate(rows):
                row = [*base, *counts]
                if with_comments:
                    row.append(
                        _cell("\n".join(item.comments)) if index == 0 and item.comments else ""
                    )
                writer.writerow(row)
    return out.getvalue()
