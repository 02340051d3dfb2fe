"""The XmR chart maths (app.core.xmr), the NHS "Making Data Count" way: limits at
mean ± 2.66 × mean moving range, and each signal on its own."""

from __future__ import annotations

import pytest

from app.core.xmr import MIN_POINTS_FOR_LIMITS, xmr

# a steady, wobbling series: no signal of any kind
STEADY = [2.0, 2.2, 1.9, 2.1, 2.0, 2.2, 1.8, 2.1, 1.9, 2.2, 2.0, 1.9]


def test_mean_moving_range_and_limits_by_hand():
    chart = xmr([1.0, 3.0, 2.0, 2.0])
    assert chart.mean == pytest.approx(2.0)
    # moving ranges 2, 1, 0 → mean 1.0
    assert chart.mean_moving_range == pytest.approx(1.0)
    assert chart.upper == pytest.approx(4.66)
    assert chart.lower == pytest.approx(-0.66)
    assert not chart.signals


def test_steady_series_has_no_signal():
    chart = xmr(STEADY)
    assert chart.signals == {}
    assert all(p.signals == () and p.side == "" for p in chart.points)


def test_a_point_above_the_upper_limit():
    values = [*STEADY, 3.5]
    chart = xmr(values)
    assert chart.signals["outside"] == [12]
    assert chart.points[12].signals[0] == "outside"
    assert chart.points[12].side == "high"


def test_a_point_below_the_lower_limit_is_low():
    chart = xmr([*STEADY, 0.5])
    assert chart.signals["outside"] == [12]
    assert chart.points[12].side == "low"


def test_a_run_of_seven_above_the_mean():
    values = [1.0, 1.2, 1.1, 2.1, 2.2, 2.1, 2.3, 2.2, 2.1, 2.2, 1.0, 1.1]
    chart = xmr(values)
    assert chart.signals["run"] == [3, 4, 5, 6, 7, 8, 9]
    assert "trend" not in chart.signals
    assert all(chart.points[i].side == "high" for i in range(3, 10))


def test_six_on_one_side_is_not_a_run():
    values = [1.0, 1.2, 1.1, 2.1, 2.2, 2.1, 2.3, 2.2, 2.1, 1.0, 1.1, 1.2]
    assert "run" not in xmr(values).signals


def test_a_point_on_the_mean_breaks_a_run():
    # mean is 2.0; the point equal to it splits 8 points above into 4 and 4
    values = [1.0, 1.0, 1.0, 1.0, 3.0, 3.0, 3.0, 3.0, 2.0, 3.0, 3.0, 3.0, 3.0, 1.0, 1.0, 1.0, 1.0]
    chart = xmr(values)
    assert chart.mean == pytest.approx(2.0)
    assert "run" not in chart.signals


def test_six_rising_is_a_trend():
    values = [2.0, 2.1, 1.9, 1.5, 1.6, 1.8, 1.9, 2.2, 2.4, 2.0, 2.1, 1.9]
    chart = xmr(values)
    assert chart.signals["trend"] == [3, 4, 5, 6, 7, 8]
    assert [chart.points[i].side for i in range(3, 9)] == ["high"] * 6


def test_six_falling_is_a_trend_pointing_low():
    values = [2.0, 2.1, 1.9, 2.6, 2.4, 2.3, 2.1, 1.9, 1.8, 2.0, 2.1, 1.9]
    chart = xmr(values)
    assert chart.signals["trend"] == [3, 4, 5, 6, 7, 8]
    assert chart.points[8].side == "low"


def test_five_rising_or_an_equal_step_is_not_a_trend():
    assert "trend" not in xmr([2.0, 1.5, 1.6, 1.8, 1.9, 2.2, 2.0, 2.1]).signals
    # 1.5 1.6 1.8 1.8 1.9 2.2 2.4: the equal step breaks six rising into two short ones
    assert "trend" not in xmr([2.0, 1.5, 1.6, 1.8, 1.8, 1.9, 2.2, 2.4, 2.0]).signals


def test_no_limits_below_the_minimum_points():
    chart = xmr(STEADY[:11], min_points=MIN_POINTS_FOR_LIMITS)
    assert not chart.has_limits and chart.signals == {}
    assert chart.mean == pytest.approx(sum(STEADY[:11]) / 11)
    assert xmr(STEADY, min_points=MIN_POINTS_FOR_LIMITS).has_limits


def test_empty_and_single():
    assert xmr([]).mean is None
    one = xmr([2.5])
    assert one.mean == 2.5 and not one.has_limits
