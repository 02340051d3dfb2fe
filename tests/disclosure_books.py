"""The test's books for the disclosure property test (tests/test_disclosure_property.py):
each participant's answers version by version, which versions each publication counted, and
every published figure — cells, the readers' sums and the room's counts — as a linear form."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session, select

from app.compare.queries import TeamFilter, build_view, labelled_teams
from app.compare.queries.cells import long_rows
from app.core.floor import FIELDS, Cell, Counts, divergence_of
from app.models import PublicationMember, PublishedCell, Round
from app.rounds import queries as rounds_queries

PERSPECTIVES = ("staff", "peer_worker", "service_user", "carer", "community")
SETTINGS = ("community", "inpatient")


class Books:
    """The test's own record: each participant's answers, version by version, and which
    versions each publication counted (per statement and perspective)."""

    def __init__(self):
        self.perspective: dict[int, str] = {}
        self.history: dict[tuple[int, int], list[tuple]] = defaultdict(list)
        self.members: dict[tuple[int, int, str], list] = defaultdict(list)
        self.forms: list[dict] = []
        self.seen: set[frozenset] = set()
        self.moment = 0

    def add_form(self, form) -> None:
        key = frozenset(form.items())
        if key not in self.seen:
            self.seen.add(key)
            self.forms.append(dict(form))

    def answered(self, participant: int, statement: int, level, matters: bool) -> None:
        versions = self.history[(participant, statement)]
        if not versions or versions[-1] != (level, matters):
            versions.append((level, matters))

    def now(self, participants: list[int], statement: int) -> list[tuple[int, int]]:
        return [
            (p, len(self.history[(p, statement)]))
            for p in participants
            if self.history.get((p, statement))
        ]

    def _value(self, versions, name: str) -> int:
        total = 0
        for p, version in versions:
            level, matters = self.history[(p, self._statement)][version - 1]
            total += {
                "n": 1,
                "dont_know": level is None,
                "matters_most": matters,
            }.get(name, name == f"level_{level}")
        return total

    def record_publication(self, session: Session, pub_id: int) -> None:
        """Book a publication: which versions it counted (the app's PublicationMember rows,
        checked against the books: each is a real version, and every published value is
        exactly what those versions add up to), and every figure of every cell."""
        counted: dict[int, list] = defaultdict(list)
        for row in session.exec(
            select(PublicationMember).where(PublicationMember.publication_id == pub_id)
        ).all():
            assert 1 <= row.revision <= len(self.history[(row.participant_id, row.statement_id)])
            counted[row.statement_id].append((row.participant_id, row.revision))
        for row in session.exec(
            select(PublishedCell).where(PublishedCell.publication_id == pub_id)
        ).all():
            perspectives = tuple(row.perspectives.split(","))
            versions = [
                (p, v) for p, v in counted[row.statement_id] if self.perspective[p] in perspectives
            ]
            self._statement = row.statement_id
            for name in FIELDS:
                assert getattr(row, name) == self._value(versions, name), (row, name)
            for p, v in versions:
                key = (pub_id, row.statement_id, self.perspective[p])
                if (p, v) not in self.members[key]:
                    self.members[key].append((p, v))
            cell = Cell(pub_id, row.statement_id, row.group, perspectives, Counts())
            for name in FIELDS:
                self.add_form(cell.figure(name).form)

    def record_room_counts(self, people: list[int], statements: list[int]) -> None:
        """The room's exact "N have answered this statement", read at this moment: one
        equation per statement over everyone's current version (a negative pseudo id)."""
        self.moment -= 1
        for statement in statements:
            for p, version in self.now(people, statement):
                self.members[(self.moment, statement, self.perspective[p])].append((p, version))
            self.add_form({(self.moment, statement, q, "n"): 1 for q in PERSPECTIVES})

    def record_readers(self, session: Session, world: World) -> None:
        """What the readers show now, as the app builds it: the compare statement view under
        every filter (each service × setting × framework key, and none) and the API's
        round figures. Each form must name published cells; each goes into the equations."""
        published = {
            (c.publication_id, c.statement_id, p)
            for c in session.exec(select(PublishedCell)).all()
            for p in c.perspectives.split(",")
        }
        forms, seen = [], set()
        for where in world.filters():
            # filters that keep the same teams give the same view: build it once
            teams = tuple(t.id for t in labelled_teams(session, where)[0])
            if teams in seen:
                continue
            seen.add(teams)
            for statement in world.statements:
                view = build_view(session, statement.id, where)
                forms.extend(_spread_forms(view.people))
        # the analysts' long export under every filter: each row one figure of a published
        # cell of the round's current publication, its count that cell's figure exactly
        current = {
            (c.publication_id, c.statement_id, c.group): c
            for c in session.exec(select(PublishedCell)).all()
        }
        for where in world.filters():
            for row in long_rows(session, where):
                found = current.get((row.publication_id, row.statement_id, row.group))
                assert found is not None, (row, "not a published cell")
                assert getattr(found, row.figure) == row.count, row
                perspectives = tuple(found.perspectives.split(","))
                cell = Cell(row.publication_id, row.statement_id, row.group, perspectives, Counts())
                forms.append(cell.figure(row.figure).form)
        closed = session.exec(select(Round.id).where(Round.status == "closed")).all()
        for round_id in closed:
            for spread in rounds_queries.published_spreads(session, round_id).values():
                forms.extend(_spread_forms(spread))
        session.commit()  # end the reads
        for form in forms:
            for pub, statement, perspective, _ in form:
                assert (pub, statement, perspective) in published, (form, "not published")
            self.add_form(form)


def _spread_forms(spread) -> list:
    """The forms of every figure a reader shows from a spread: counts, means, divergence."""
    cells = ([spread.total] if spread.total is not None else []) + list(spread.groups.values())
    forms = [c.figure(name).form for c in cells for name in FIELDS]
    forms += [f.form for c in cells for f in (c.mean.numerator, c.mean.denominator)]
    forms += [f.form for f in divergence_of(spread).figures]
    return [f for f in forms if f]


class World:
    """The world's statements and the filters a reader can choose."""

    def __init__(self, statements, services, framework_key: str):
        self.statements = statements
        self.services = services
        self.framework_key = framework_key

    def filters(self) -> list[TeamFilter]:
        return [
            TeamFilter(service, setting, key)
            for service in (None, *(s.id for s in self.services))
            for setting in (None, *SETTINGS)
            for key in (None, self.framework_key)
        ]
