"""The shared numbers, on small hand-computed cases: the floor (app.core.floor) and the
numbers that need none (app.core.levels)."""

from __future__ import annotations

import pytest

from app.core.floor import Counts, divergence_of, safe_cells, spread_of
from app.core.levels import quadrant, section_level


def c(l1=0, l2=0, l3=0, l4=0, dk=0, mm=0) -> Counts:
    return Counts(levels=(l1, l2, l3, l4), dont_know=dk, matters_most=mm, n=l1 + l2 + l3 + l4 + dk)


def spread(perspectives: dict):
    return spread_of(safe_cells(perspectives, publication_id=1, statement_id=1))


def test_section_level_leaves_out_dont_know_and_unrated():
    level = section_level([2, 3, None, 4])
    assert level.mean == pytest.approx(3.0)
    assert level.n == 3
    assert level.shown == "3.0"
    assert section_level([None, None]).shown == "–"


def test_divergence_counts_peer_workers_with_staff_and_needs_three_each_side():
    d = divergence_of(
        spread({"staff": c(l4=2), "peer_worker": c(l3=1), "service_user": c(l1=2, l2=1, dk=4)})
    )
    assert d.staff.value == pytest.approx(11 / 3)
    assert d.service_user.value == pytest.approx(4 / 3)
    assert d.flagged
    # two people using the service gave a level: not comparable however wide the gap
    d = divergence_of(spread({"staff": c(l4=5), "service_user": c(l1=2, dk=5)}))
    assert not d.comparable and not d.flagged
    # a gap just under 1.0 is not flagged
    assert not divergence_of(spread({"staff": c(l3=3), "service_user": c(l2=1, l3=2)})).flagged


def test_floor_merges_small_groups_into_other():
    s = spread({"staff": c(l2=5), "carer": c(l1=2), "community": c(l3=1)})
    assert set(s.groups) == {"staff_side", "other"}
    assert s.groups["other"].n.value == 3


def test_floor_hides_the_breakdown_when_other_is_still_under_three():
    s = spread({"staff": c(l2=5), "service_user": c(l3=4), "carer": c(l1=2)})
    assert not s.has_breakdown
    assert s.total.n.value == 11
    # a total under 3 is not published at all
    assert not spread({"staff": c(l2=1), "carer": c(l1=1)}).shown


@pytest.mark.parametrize(
    ("impact", "effort", "expected"),
    [
        ("high", "low", "quick win"),
        ("high", "high", "major project"),
        ("low", "low", "fill-in"),
        ("low", "high", "think again"),
    ],
)
def test_quadrants(impact, effort, expected):
    assert quadrant(impact, effort) == expected
