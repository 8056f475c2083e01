"""The deadline rules at their exact edges: month arithmetic, pauses, weekends, the default today."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from learnward.privacy.rights.deadlines import add_months, due_date, next_working_day, paused_days


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 5, 15), 0, date(2025, 5, 15)),
        (date(2025, 11, 30), 2, date(2026, 1, 30)),  # across the year end
        (date(2025, 12, 31), 1, date(2026, 1, 31)),  # December + 1 is January next year
        (date(2025, 12, 15), 12, date(2026, 12, 15)),  # exactly a year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # no 29 February next year
        (date(2025, 1, 31), 14, date(2026, 3, 31)),
        (date(2025, 10, 31), 25, date(2027, 11, 30)),
    ],
)
def test_add_months_known_answers(start, months, expected):
    assert add_months(start, months) == expected


def test_add_months_refuses_a_negative_count():
    with pytest.raises(ValueError, match="^months must not be negative$"):
        add_months(date(2025, 5, 15), -1)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 10, 3), date(2025, 10, 3)),  # Friday stays
        (date(2025, 10, 4), date(2025, 10, 6)),  # Saturday: Monday
        (date(2025, 10, 5), date(2025, 10, 6)),  # Sunday: Monday
        (date(2025, 10, 6), date(2025, 10, 6)),  # Monday stays
    ],
)
def test_next_working_day(day, expected):
    assert next_working_day(day) == expected


def test_a_deadline_falling_on_a_saturday_moves_to_monday():
    # 4 October 2025 + 1 month = Tuesday 4 November; 4 September + 1 month = Saturday 4 October.
    assert due_date(date(2025, 9, 4), today=date(2025, 9, 4)) == date(2025, 10, 6)


def test_a_pause_that_ends_the_day_it_starts_stops_nothing():
    assert paused_days([(date(2025, 3, 10), date(2025, 3, 10))], today=date(2025, 4, 1)) == 0


@pytest.mark.parametrize(
    ("pauses", "expected"),
    [
        # back to back: 4 + 3 days
        ([(date(2025, 1, 1), date(2025, 1, 5)), (date(2025, 1, 5), date(2025, 1, 8))], 7),
        # one inside another counts once
        ([(date(2025, 1, 1), date(2025, 1, 10)), (date(2025, 1, 3), date(2025, 1, 5))], 9),
        # given out of order
        ([(date(2025, 1, 20), date(2025, 1, 22)), (date(2025, 1, 1), date(2025, 1, 4))], 5),
        # apart: 2 + 2
        ([(date(2025, 1, 1), date(2025, 1, 3)), (date(2025, 1, 10), date(2025, 1, 12))], 4),
        # an inner pause then a later one overlapping the outer
        (
            [
                (date(2025, 1, 1), date(2025, 1, 10)),
                (date(2025, 1, 2), date(2025, 1, 3)),
                (date(2025, 1, 8), date(2025, 1, 12)),
            ],
            11,
        ),
        ([], 0),
    ],
)
def test_paused_days_known_answers(pauses, expected):
    assert paused_days(pauses, today=date(2025, 6, 1)) == expected


def test_an_open_pause_runs_until_today_and_one_ending_before_it_starts_is_refused():
    assert paused_days([(date(2025, 3, 10), None)], today=date(2025, 3, 17)) == 7
    with pytest.raises(ValueError, match="^a pause cannot end before it starts$"):
        paused_days([(date(2025, 3, 10), date(2025, 3, 9))], today=date(2025, 4, 1))


def test_an_open_pause_runs_until_the_real_today_when_none_is_given():
    with time_machine.travel(date(2025, 3, 17), tick=False):
        # due Thursday 3 April; paused 7 days so far: Thursday 10 April
        assert due_date(date(2025, 3, 3), pauses=[(date(2025, 3, 10), None)]) == date(2025, 4, 10)


def test_the_real_today_is_the_sites_day_not_the_servers(settings):
    """At 23:30 UTC on 16 March 2025 it is already 17 March in Amsterdam: the open pause has run
    7 days there, not 6."""
    from datetime import UTC, datetime

    settings.TIME_ZONE = "Europe/Amsterdam"
    with time_machine.travel(datetime(2025, 3, 16, 23, 30, tzinfo=UTC), tick=False):
        assert due_date(date(2025, 3, 3), pauses=[(date(2025, 3, 10), None)]) == date(2025, 4, 10)


@pytest.mark.parametrize(("months", "expected"), [(0, date(2025, 2, 3)), (2, date(2025, 4, 3))])
def test_extensions_of_zero_and_two_months_are_allowed(months, expected):
    assert due_date(date(2025, 1, 3), extension_months=months, today=date(2025, 1, 3)) == expected


@pytest.mark.parametrize("months", [-1, 3])
def test_an_extension_out_of_range_is_refused_with_its_limits(months):
    with pytest.raises(ValueError, match="^an extension is 0 to 2 months$"):
        due_date(date(2025, 1, 3), extension_months=months, today=date(2025, 1, 3))
