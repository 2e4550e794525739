"""Review progress draws a visible mark whatever the spread of days (issue 14, bug 5)."""
from __future__ import annotations

import datetime as dt

from dashboard import charts


def _at(day: int) -> dt.datetime:
    return dt.datetime(2031, 5, day, 10, tzinfo=dt.timezone.utc)


def test_reviews_on_one_day_draw_bars_on_a_category_axis():
    fig = charts.progress_figure(charts.progress_counts([(_at(3), "verified"), (_at(3), "disputed")]))
    assert {t.type for t in fig.data} == {"bar"}
    assert fig.layout.xaxis.type == "category" and fig.layout.barmode == "stack"
    assert sorted(t.y[0] for t in fig.data) == [1, 1]


def test_reviews_over_several_days_draw_lines_with_markers():
    fig = charts.progress_figure(charts.progress_counts([(_at(3), "verified"), (_at(4), "verified")]))
    assert [t.type for t in fig.data] == ["scatter"] and "markers" in fig.data[0].mode
    assert list(fig.data[0].y) == [1, 2]


def test_a_few_verdicts_are_counted_in_whole_ticks():
    few = charts.progress_figure(charts.progress_counts([(_at(3), "verified"), (_at(3), "disputed"), (_at(3), "false")]))
    assert few.layout.yaxis.dtick == 1 and few.layout.yaxis.tick0 == 0
    many = charts.progress_figure(charts.progress_counts([(_at(3), "verified")] * 40))
    assert many.layout.yaxis.dtick is None  # plotly's own ticks, whole numbers at that size
