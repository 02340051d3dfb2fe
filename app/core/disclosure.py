"""The disclosure check: can anyone work out how 1 or 2 people answered a statement?

This is the definition of the rule in docs/privacy.md, as code. It is used by the app (a
re-close or a projector snapshot publishes only if it passes) and by the property test.

The unknowns are, per participant, statement and *version* of their answer (a participant
whose answer changes gets new unknowns), one 0/1 indicator per level, one for "don't know"
and one for "matters most". Every published figure is a linear equation over them: its form
({(publication, statement, perspective, field): coefficient}, see app.core.floor) expanded
through `members` — which answer versions each publication counted per perspective.

The rule holds when, for any one statement and any set P of 1 or 2 participants, no
non-zero combination of P's unknowns other than how many of them answered (their "n"
vectors) lies in the row space of the equations. Exact integer arithmetic (FLINT): no float
rank anywhere.

Method: with N a basis of the null space of the equations, a vector v is in the row space
iff N·v = 0. So dim(row space ∩ span(P's unknowns)) = |P's unknowns| − rank(N restricted to
them), and likewise for the span of P's n vectors; the rule holds when the two are equal.
Participants who appear in exactly the same equations in the same way are interchangeable,
so only one set per pattern needs checking (`exhaustive=True` checks every set).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import flint

from app.core.floor import ANSWER_FIELDS, Atom

UNKNOWN_FIELDS = (*ANSWER_FIELDS, "matters_most")
# A version of one participant's answer to one statement: (participant id, revision).
Version = tuple[int, int]
Members = Mapping[tuple[int, int, str], Iterable[Version]]  # (pub, statement, perspective)


@dataclass(frozen=True)
class Disclosure:
    statement_id: int
    participants: tuple[int, ...]


def _expand(form: Mapping[Atom, int], members: Members) -> dict[tuple, int]:
    """A figure's form → {unknown: coefficient}; unknown = (participant, revision,
    statement, field)."""
    row: dict[tuple, int] = defaultdict(int)
    for (pub, statement, perspective, name), coefficient in form.items():
        fields = ANSWER_FIELDS if name == "n" else (name,)
        for participant, revision in members.get((pub, statement, perspective), ()):
            for f in fields:
                row[(participant, revision, statement, f)] += coefficient
    return {k: v for k, v in row.items() if v}


def _components(rows: list[dict[tuple, int]]) -> list[list[int]]:
    """Group equations that share a statement (they can only combine within a group)."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for row in rows:
        statements = {unknown[2] for unknown in row}
        first, *rest = statements
        for other in rest:
            parent[find(other)] = find(first)
    groups: dict[int, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        groups[find(next(iter(row))[2])].append(i)
    return list(groups.values())


def _rank(rows: list[list[int]]) -> int:
    if not rows or not rows[0]:
        return 0
    return flint.fmpz_mat(rows).rank()


def find_disclosures(
    forms: Iterable[Mapping[Atom, int]], members: Members, *, exhaustive: bool = False
) -> list[Disclosure]:
    """Every (statement, 1–2 participants) whose answers the figures give away."""
    rows = [row for row in (_expand(f, members) for f in forms) if row]
    found: list[Disclosure] = []
    for component in _components(rows):
        found.extend(_check_component([rows[i] for i in component], exhaustive))
    return found


def _check_component(rows: Sequence[dict[tuple, int]], exhaustive: bool) -> list[Disclosure]:
    unknowns = sorted({u for row in rows for u in row})
    index = {u: i for i, u in enumerate(unknowns)}
    # every answer version has all of its unknowns, even those no equation mentions
    versions = sorted({u[:3] for u in unknowns})
    for v in versions:
        for f in UNKNOWN_FIELDS:
            if (*v, f) not in index:
                index[(*v, f)] = len(unknowns)
                unknowns.append((*v, f))
    matrix = [[0] * len(unknowns) for _ in rows]
    for r, row in enumerate(rows):
        for u, coefficient in row.items():
            matrix[r][index[u]] = coefficient
    basis, nullity = flint.fmpz_mat(matrix).nullspace()
    # N restricted to one unknown: the row of the null-space basis for it
    null_row = [[int(basis[i, j]) for j in range(nullity)] for i in range(len(unknowns))]

    # participant → statement → [revisions]
    by_statement: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for participant, revision, statement in versions:
        by_statement[statement][participant].append(revision)

    signature_of = _signatures(rows, index) if not exhaustive else None
    found = []
    for statement, people in by_statement.items():
        for group in _sets_to_check(statement, people, signature_of):
            if _gives_away(group, statement, people, index, null_row, nullity):
                found.append(Disclosure(statement, tuple(sorted(group))))
    return found


def _signatures(rows, index) -> dict[tuple, tuple]:
    """(participant, statement) → how its versions' unknowns appear in the equations."""
    appears: dict[tuple, list] = defaultdict(list)
    for r, row in enumerate(rows):
        for (participant, revision, statement, f), coefficient in row.items():
            appears[(participant, revision, statement, f)].append((r, coefficient))
    result: dict[tuple, list] = defaultdict(list)
    for participant, revision, statement, f in sorted(index):
        result[(participant, statement)].append(
            (f, tuple(appears.get((participant, revision, statement, f), ())))
        )
    return {k: tuple(v) for k, v in result.items()}


def _sets_to_check(statement: int, people: Mapping[int, list[int]], signature_of):
    ids = sorted(people)
    if signature_of is None:
        yield from ([p] for p in ids)
        yield from (list(pair) for pair in combinations(ids, 2))
        return
    classes: dict[tuple, list[int]] = defaultdict(list)
    for p in ids:
        classes[signature_of[(p, statement)]].append(p)
    reps = [members for members in classes.values()]
    for members in reps:
        yield members[:1]
        if len(members) > 1:
            yield members[:2]
    for a, b in combinations(reps, 2):
        yield [a[0], b[0]]


def _gives_away(group, statement, people, index, null_row, nullity) -> bool:
    coords = [
        index[(p, rev, statement, f)] for p in group for rev in people[p] for f in UNKNOWN_FIELDS
    ]
    n_vectors = []
    for p in group:
        for rev in people[p]:
            rows = [null_row[index[(p, rev, statement, f)]] for f in ANSWER_FIELDS]
            n_vectors.append([sum(column) for column in zip(*rows, strict=True)])
    if nullity == 0:
        # everything is determined: any participant with unknowns is given away
        return bool(coords)
    known = len(coords) - _rank([null_row[c] for c in coords])
    known_counts = len(n_vectors) - _rank(n_vectors)
    return known > known_counts
