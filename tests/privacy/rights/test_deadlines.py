"""The ICO's calendar-month rule, with extensions, pauses and weekends."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learnward.privacy.rights.deadlines import add_months, due_date, next_working_day, paused_days

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2025, 9, 3), date(2025, 10, 3)),  # the ICO's own example
        (date(2025, 1, 31), date(2025, 2, 28)),  # no 31 February: last day of the month
        (date(2024, 1, 31), date(2024, 2, 29)),  # leap year
        (date(2024, 1, 29), date(2024, 2, 29)),
        (date(2025, 1, 29), date(2025, 2, 28)),
        (date(2025, 3, 31), date(2025, 4, 30)),
        (date(2025, 12, 31), date(2026, 1, 31)),  # across the year end
        (date(2024, 2, 29), date(2024, 3, 29)),
        (date(2025, 2, 28), date(2025, 3, 28)),  # not the last day of March
    ],
)
def test_add_one_month(start, expected):
    assert add_months(start, 1) == expected


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2025, 9, 3), date(2025, 10, 3)),  # Friday stays
        (date(2025, 5, 4), date(2025, 6, 4)),
        (date(2025, 1, 31), date(2025, 2, 28)),  # Friday
        (date(2025, 7, 31), date(2025, 9, 1)),  # 31 August 2025 is a Sunday: Monday
        (date(2025, 9, 6), date(2025, 10, 6)),  # 6 October 2025 is a Monday
        (date(2025, 10, 4), date(2025, 11, 4)),
        (date(2025, 8, 31), date(2025, 9, 30)),
    ],
)
def test_due_date_moves_a_weekend_to_the_next_monday(start, expected):
    assert due_date(start, today=start) == expected


def test_extension_adds_months_by_the_same_rule():
    assert due_date(date(2023, 11, 30), extension_months=2, today=date(2023, 11, 30)) == date(
        2024, 2, 29
    )
    # 31 May 2025 is a Saturday: the next working day is Monday 2 June.
    assert due_date(date(2025, 3, 31), extension_months=1, today=date(2025, 3, 31)) == date(
        2025, 6, 2
    )


@pytest.mark.parametrize("months", [-1, 3])
def test_extension_is_at_most_two_months(months):
    with pytest.raises(ValueError, match="extension"):
        due_date(date(2025, 1, 1), extension_months=months)


def test_pauses_shift_the_date_by_the_paused_days():
    start = date(2025, 3, 3)  # due 3 April 2025 (Thursday)
    pauses = [(date(2025, 3, 10), date(2025, 3, 14))]  # 4 days
    assert due_date(start, pauses=pauses, today=date(2025, 3, 20)) == date(2025, 4, 7)
    # an open pause keeps moving the date until it ends
    open_pause = [(date(2025, 3, 10), None)]
    assert due_date(start, pauses=open_pause, today=date(2025, 3, 12)) == date(2025, 4, 7)
    assert due_date(start, pauses=open_pause, today=date(2025, 3, 20)) == date(2025, 4, 14)


def test_overlapping_pauses_count_once_and_backwards_pauses_are_refused():
    assert (
        paused_days(
            [(date(2025, 1, 1), date(2025, 1, 5)), (date(2025, 1, 3), date(2025, 1, 8))],
            today=date(2025, 2, 1),
        )
        == 7
    )
    with pytest.raises(ValueError):
        paused_days([(date(2025, 1, 5), date(2025, 1, 1))], today=date(2025, 2, 1))


@given(days)
def test_one_month_is_the_corresponding_date_or_the_last_day(start):
    due = add_months(start, 1)
    expected_month = start.month % 12 + 1
    assert due.month == expected_month
    last = calendar.monthrange(due.year, due.month)[1]
    assert due.day == min(start.day, last)
    assert 28 <= (due - start).days <= 31


@given(days, st.integers(min_value=0, max_value=2))
def test_due_date_is_a_working_day_within_three_days_of_the_month_rule(start, extension):
    due = due_date(start, extension_months=extension, today=start)
    base = add_months(start, 1 + extension)
    assert due.weekday() < 5
    assert base <= due <= base + timedelta(days=2)


@given(days, days)
def test_later_requests_are_never_due_earlier(a, b):
    first, second = sorted((a, b))
    assert due_date(first, today=first) <= due_date(second, today=second)


@given(days, st.lists(st.tuples(st.integers(0, 60), st.integers(0, 20)), max_size=4))
def test_pauses_move_the_deadline_by_exactly_the_paused_days(start, spans):
    pauses = [(start + timedelta(days=a), start + timedelta(days=a + n)) for a, n in spans]
    today = start + timedelta(days=200)
    shifted = add_months(start, 1) + timedelta(days=paused_days(pauses, today=today))
    assert due_date(start, pauses=pauses, today=today) == next_working_day(shifted)
    covered = {start + timedelta(days=a + i) for a, n in spans for i in range(n)}
    assert paused_days(pauses, today=today) == len(covered)
