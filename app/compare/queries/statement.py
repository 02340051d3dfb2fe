"""One statement across the teams on the same framework key (matched by statement code
across versions): the spread of agreed levels, how people rated it by perspective, the teams
that made it a priority, their actions, and who rose on it.

How people rated it is read from the rounds' published cells only, added up with
`app.core.floor.summed`: "Everyone" is the sum of the published totals and a group the sum
of that group's published cells ("other" is never added across rounds). Every figure is then
a sum of published cells, so the difference between two filters, or between two moments, is
one too: it gives no one away (docs/privacy.md)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from app.compare.queries import teams as queries
from app.compare.queries.teams import TeamFilter, labelled_teams
from app.core.floor import Divergence, Spread, divergence_of, summed
from app.models import (
    Action,
    AgreedRating,
    Framework,
    Plan,
    Priority,
    PriorityStatement,
    Round,
    Section,
    Statement,
    TeamMember,
)
from app.org import queries as org_queries
from app.plans import queries as plans_queries
from app.rounds.queries import published_cells


@dataclass
class TeamLevel:
    team_id: int
    name: str
    label: str
    service: str
    round_id: int
    held_on: date
    level: int | None  # agreed level; None: don't know or not agreed


@dataclass
class PriorityAction:
    what: str
    status: str
    due_on: date | None
    owner_perspective: str | None  # never a name
    not_shown: bool = False  # its words name someone: no perspective (app.core.naming)


@dataclass
class PriorityStory:
    team_id: int
    name: str
    label: str
    title: str
    plan_status: str
    co_leads: list[str]  # perspectives
    actions: list[PriorityAction] = field(default_factory=list)
    level_before: int | None = None
    level_after: int | None = None
    next_round_on: date | None = None
    not_shown: bool = False  # its words name someone: no co-leads (app.core.naming)
    highest_after: int | None = None  # the highest agreed level in any later round

    @property
    def rose_later(self) -> bool:
        """The team acted on it (a priority from a round) and a later round is higher."""
        return (
            self.level_before is not None
            and self.highest_after is not None
            and self.highest_after > self.level_before
        )

    @property
    def outcome(self) -> str:
        """rose | same | lower | no_next_round | unknown"""
        if self.next_round_on is None:
            return "no_next_round"
        if self.level_before is None or self.level_after is None:
            return "unknown"
        if self.level_after > self.level_before:
            return "rose"
        return "same" if self.level_after == self.level_before else "lower"


@dataclass
class StatementView:
    statement: Statement
    section: Section
    framework: Framework
    levels: list[TeamLevel]
    spread: dict[str, int]  # "1".."4", "none" → number of teams
    people: Spread  # published cells summed across the teams' latest rounds
    stories: list[PriorityStory]

    @property
    def teams(self) -> int:
        return len(self.levels)

    @property
    def groups(self) -> list:
        """The groups with published figures, in the order shown (never "other")."""
        return self.people.side_by_side + self.people.separately

    @property
    def divergence(self) -> Divergence:
        return divergence_of(self.people)

    @property
    def learn_from(self) -> list[PriorityStory]:
        """Teams that rose on this statement after acting on it, each team once (its
        story that rose most, the newest of equals)."""
        best: dict[int, PriorityStory] = {}
        for story in self.stories:
            if not story.rose_later:
                continue
            found = best.get(story.team_id)
            rise = story.highest_after - story.level_before
            if found is None or rise >= found.highest_after - found.level_before:
                best[story.team_id] = story
        return sorted(best.values(), key=lambda s: (s.level_before - s.highest_after, s.label))


def matching_statements(session: Session, statement_id: int):
    """The statement, its section and framework, and the ids of the same code in every
    version of that framework key."""
    found = session.exec(
        select(Statement, Section, Framework)
        .join(Section, Section.id == Statement.section_id)
        .join(Framework, Framework.id == Statement.framework_id)
        .where(Statement.id == statement_id)
    ).first()
    if found is None:
        return None
    statement, section, framework = found
    ids = list(
        session.exec(
            select(Statement.id)
            .join(Framework, Framework.id == Statement.framework_id)
            .where(Framework.key == framework.key, Statement.code == statement.code)
        ).scalars()
    )
    return statement, section, framework, ids


def build_view(session: Session, statement_id: int, where: TeamFilter) -> StatementView | None:
    """The statement across the teams the filter keeps; None if there is no such statement."""
    matching = matching_statements(session, statement_id)
    if matching is None:
        return None
    statement, section, framework, ids = matching
    teams, labels = labelled_teams(session, where)
    team_rows = {t.id: t for t in teams}
    ranked = queries.ranked_rounds(framework.key)
    latest = session.exec(
        select(ranked.c.team_id, ranked.c.round_id, ranked.c.held_on, AgreedRating.level)
        .outerjoin(
            AgreedRating,
            (AgreedRating.round_id == ranked.c.round_id) & AgreedRating.statement_id.in_(ids),
        )
        .where(ranked.c.rn == 1)
    ).all()
    levels: list[TeamLevel] = []
    spread = {"1": 0, "2": 0, "3": 0, "4": 0, "none": 0}
    for row in latest:
        team = team_rows.get(row.team_id)
        if team is None:
            continue
        levels.append(
            TeamLevel(
                row.team_id,
                team.name,
                labels.get(row.team_id, ""),
                team.service,
                row.round_id,
                row.held_on,
                row.level,
            )
        )
        spread[str(row.level) if row.level else "none"] += 1
    levels.sort(key=lambda t: (-(t.level or 0), t.label))
    people = people_of(session, [t.round_id for t in levels], ids)
    stories = priority_stories(session, ids, framework.key, team_rows, labels)
    return StatementView(statement, section, framework, levels, spread, people, stories)


def people_of(session: Session, round_ids: list[int], statement_ids: list[int]) -> Spread:
    """How people rated the statement in these rounds: their published cells, summed."""
    cells = published_cells(session, round_ids, statement_ids)
    return summed(
        c for by_statement in cells.values() for found in by_statement.values() for c in found
    )


def priority_stories(session, ids, framework_key, team_rows, labels) -> list[PriorityStory]:
    """Priorities (in agreed or closed plans) on this statement, their actions, and the
    agreed level at the plan's source round and at the team's next closed round."""
    found = session.exec(
        select(Priority, Plan, Round.held_on.label("source_on"))
        .join(PriorityStatement, PriorityStatement.priority_id == Priority.id)
        .join(Plan, Plan.id == Priority.plan_id)
        .outerjoin(Round, Round.id == Plan.source_round_id)
        .where(
            PriorityStatement.statement_id.in_(ids),
            Plan.status.in_(("agreed", "closed")),
            Priority.removed_at.is_(None),
        )
        .order_by(Plan.team_id, Priority.id)
    ).all()
    found = [f for f in found if f.Plan.team_id in team_rows]
    if not found:
        return []
    members = {m.id: m.perspective for m in _members(session, [f.Plan.team_id for f in found])}
    named = org_queries.named_items(session, [f.Plan for f in found], [f.Priority for f in found])
    leads_now = plans_queries.coleads_today(session, [f.Priority.id for f in found])
    actions: dict[int, list[PriorityAction]] = defaultdict(list)
    for action in session.exec(
        select(Action)
        .where(Action.priority_id.in_([f.Priority.id for f in found]))
        .order_by(Action.id)
    ).scalars():
        actions[action.priority_id].append(
            PriorityAction(
                action.what,
                action.status,
                action.due_on,
                named.action_label(action, members.get(action.owner_member_id)),
                named.action_named(action),
            )
        )
    history = _levels_by_team(session, ids, framework_key, {f.Plan.team_id for f in found})
    stories = []
    for f in found:
        priority, plan = f.Priority, f.Plan
        team = team_rows[plan.team_id]
        # as the co-lead rule holds today (plans' coleads_today): not who has left since
        now = [] if named.priority_named(priority) else leads_now.get(priority.id, ())
        co_leads = [p for p in now if p]
        story = PriorityStory(
            plan.team_id,
            team.name,
            labels.get(plan.team_id, ""),
            priority.title,
            plan.status,
            co_leads,
            actions.get(priority.id, []),
            not_shown=named.priority_named(priority),
        )
        team_history = history.get(plan.team_id, [])
        source = next((h for h in team_history if h[0] == plan.source_round_id), None)
        if source is not None:
            story.level_before = source[2]
            following = [h for h in team_history if (h[1], h[0]) > (source[1], source[0])]
            if following:
                story.next_round_on = following[0][1]
                story.level_after = following[0][2]
                later = [h[2] for h in following if h[2] is not None]
                story.highest_after = max(later) if later else None
        stories.append(story)
    order = {"rose": 0, "same": 1, "lower": 2, "unknown": 3, "no_next_round": 4}
    stories.sort(key=lambda s: (order[s.outcome], s.label))
    return stories


def _members(session: Session, team_ids):
    return session.exec(select(TeamMember).where(TeamMember.team_id.in_(team_ids))).scalars()


def _levels_by_team(session, ids, framework_key, team_ids) -> dict[int, list[tuple]]:
    """{team_id: [(round_id, held_on, agreed level)]} of closed rounds on this key, oldest first."""
    rows = session.exec(
        select(Round.team_id, Round.id, Round.held_on, AgreedRating.level)
        .join(Framework, Framework.id == Round.framework_id)
        .outerjoin(
            AgreedRating,
            (AgreedRating.round_id == Round.id) & AgreedRating.statement_id.in_(ids),
        )
        .where(
            Round.status == "closed",
            Round.team_id.in_(team_ids),
            Framework.key == framework_key,
        )
        .order_by(Round.team_id, Round.held_on, Round.id)
    ).all()
    result: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        result[row.team_id].append((row.id, row.held_on, row.level))
    return dict(result)
