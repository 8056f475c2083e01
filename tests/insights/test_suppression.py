"""The small-count rule, cell by cell (docs/insights.md#small-numbers)."""

from __future__ import annotations

import pytest

from learnward.insights import suppression
from learnward.insights.suppression import Kind, State


@pytest.fixture(autouse=True)
def _threshold(settings):
    settings.INSIGHTS_MIN_COUNT = 5


@pytest.mark.parametrize(
    ("n", "text", "csv", "state"),
    [
        (0, "0", "0", State.SHOWN),
        (1, "fewer than 5", "<5", State.SMALL),
        (4, "fewer than 5", "<5", State.SMALL),
        (5, "5", "5", State.SHOWN),
        (1234, "1,234", "1234", State.SHOWN),
    ],
)
def test_counts(n, text, csv, state):
    cell = suppression.count(n)
    assert (cell.text, cell.csv, cell.state) == (text, csv, state)


def test_a_suppressed_cell_does_not_keep_its_value():
    assert suppression.count(3).value is None
    assert suppression.hide(suppression.count(40)).value is None


def test_the_threshold_comes_from_the_setting(settings):
    settings.INSIGHTS_MIN_COUNT = 10
    cell = suppression.count(9)
    assert (cell.text, cell.csv, cell.short) == ("fewer than 10", "<10", "<10")
    assert suppression.count(10).text == "10"


def test_a_total_is_withheld_when_any_cell_it_adds_up_is_suppressed():
    cells = [suppression.count(n) for n in (20, 3, 0)]
    total = suppression.total(cells)
    assert (total.text, total.csv) == ("not shown", "suppressed")
    # 20 + 0 + 7: nothing suppressed, the total is shown.
    assert suppression.total([suppression.count(n) for n in (20, 0, 7)]).text == "27"


def test_a_part_suppressed_hides_its_complement():
    whole, passed, failed = suppression.parts_of_whole(20, [18, 2])
    assert [whole.text, passed.text, failed.text] == ["20", "not shown", "fewer than 5"]
    whole, passed, failed = suppression.parts_of_whole(20, [20, 0])
    assert [whole.text, passed.text, failed.text] == ["20", "20", "0"]
    whole, passed, failed = suppression.parts_of_whole(12, [6, 6])
    assert [whole.text, passed.text, failed.text] == ["12", "6", "6"]


def test_a_small_whole_hides_its_parts_even_zero():
    # "fewer than 5" took it and 0 did not pass would say every one of them passed.
    cells = suppression.parts_of_whole(3, [3, 0])
    assert [c.text for c in cells] == ["fewer than 5", "not shown", "not shown"]


def test_rates():
    assert suppression.rate(5, 10, kind=Kind.PERCENT).text == "50%"
    assert suppression.rate(5, 10, kind=Kind.PERCENT).csv == "50.0"
    assert suppression.rate(8, 6, kind=Kind.AVERAGE).text == "1.3"
    assert suppression.rate(8, 6, kind=Kind.AVERAGE).csv == "1.33"
    # A group smaller than the threshold: no rate.
    assert suppression.rate(4, 4, kind=Kind.PERCENT).text == "not shown"
    assert suppression.rate(9, 4, kind=Kind.AVERAGE).csv == "suppressed"
    # A rate that would give back a suppressed count is withheld too.
    _, passed, failed = suppression.parts_of_whole(20, [18, 2])
    withheld = suppression.rate(18, 20, kind=Kind.PERCENT, depends_on=[passed, failed])
    assert withheld.text == "not shown" and withheld.value is None
