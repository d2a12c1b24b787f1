import datetime as dt

from tremplin.steering import charts


def test_hbars_scale_to_the_maximum():
    chart = charts.hbars([("A", 50), ("B", None)], max_value=100, suffix=" %")
    a, b = chart.bars
    assert a.width == charts.PLOT_WIDTH / 2 and a.value_text == "50 %"
    assert b.width == 0 and b.value_text == "non affiché"
    assert chart.summary == "A : 50 %; B : non affiché."


def test_stacked_rows_are_shares_of_their_total():
    chart = charts.stacked([("1.1", [("bas", 1), ("haut", 3)])])
    low, high = chart.rows[0].segments
    assert (low.percent, high.percent) == (25, 75)
    assert high.x == round(charts.LABEL_WIDTH + charts.PLOT_WIDTH / 4, 1)


def test_lines_place_months_and_values():
    jan, feb = dt.date(2026, 1, 31), dt.date(2026, 2, 28)
    chart = charts.lines([("Identité", [(jan, 0), (feb, 100)])], max_value=100, suffix=" %")
    first, last = chart.lines[0].points
    assert (first.x, first.y) == (charts.LINE_LEFT, charts.LINE_TOP + charts.LINE_HEIGHT)
    assert (last.x, last.y) == (charts.LINE_LEFT + charts.LINE_WIDTH, charts.LINE_TOP)
    assert "de 0 % (janv. 26) à 100 % (févr. 26)" in chart.summary
    assert charts.nice_top(7.3) == 10 and charts.nice_top(0) == 1
