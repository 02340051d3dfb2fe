"""The shared numbers, on small hand-computed cases."""

from __future__ import annotations

import pytest

from app.rounds.figures import Counts, apply_floor, divergence, quadrant, section_level


def c(l1=0, l2=0, l3=0, l4=0, dk=0, mm=0) -> Counts:
    return Counts(levels=(l1, l2, l3, l4), dont_know=dk, matters_most=mm, n=l1 + l2 + l3 + l4 + dk)


def test_section_level_leaves_out_dont_know_and_unrated():
    level = section_level([2, 3, None, 4])
    assert level.mean == pytest.approx(3.0)
    assert level.n == 3
    assert level.shown == "3.0"
    assert section_level([None, None]).shown == "–"


def test_divergence_counts_peer_workers_with_staff_and_needs_three_each_side():
    groups = {"staff": c(l4=2), "peer_worker": c(l3=1), "service_user": c(l1=2, l2=1, dk=4)}
    d = divergence(groups)
    assert d.staff_mean == pytest.approx(11 / 3)
    assert d.service_user_mean == pytest.approx(4 / 3)
    assert d.flagged
    # two people using the service gave a level: not flagged however wide the gap
    assert not divergence({"staff": c(l4=5), "service_user": c(l1=2, dk=5)}).flagged
    # a gap just under 1.0 is not flagged
    assert not divergence({"staff": c(l3=3), "service_user": c(l2=1, l3=2)}).flagged


def test_floor_merges_small_groups_into_other():
    b = apply_floor({"staff": c(l2=5), "carer": c(l1=2), "community": c(l3=1)})
    assert b.groups is not None
    assert set(b.groups) == {"staff", "other"}
    assert b.groups["other"].n == 3


def test_floor_hides_the_breakdown_when_other_is_still_under_three():
    b = apply_floor({"staff": c(l2=5), "service_user": c(l3=4), "carer": c(l1=2)})
    assert b.groups is None
    assert b.total.n == 11


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
