from datetime import UTC, date, datetime

import pytest

from learnward.core.dates import add_months, age_on


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (date(2008, 6, 15), date(2026, 6, 14), 17),  # the day before the 18th birthday
        (date(2008, 6, 15), date(2026, 6, 15), 18),  # the birthday itself
        (date(2008, 6, 15), date(2026, 6, 16), 18),
        (date(2008, 6, 15), date(2026, 5, 31), 17),  # an earlier month, a later day
        (date(2008, 6, 15), date(2008, 6, 15), 0),
        (date(2008, 2, 29), date(2026, 2, 28), 17),  # a leap-day birthday in a common year
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2008, 2, 29), date(2028, 2, 29), 20),
    ],
)
def test_age_on(born, day, age):
    assert age_on(born, day) == age


def test_every_age_calculation_agrees(make_user):
    """The sign-up policy, the account and the processing gate all use the same count."""
    from learnward.accounts.age import age_policy
    from learnward.privacy.consent.gate import age_decision

    born, birthday = date(2008, 6, 15), date(2026, 6, 15)
    user = make_user(date_of_birth=born)
    assert user.age_on(birthday) == 18 and user.age_on(date(2026, 6, 14)) == 17
    assert age_policy(born, birthday).age == 18
    assert age_decision(purpose="marketing", date_of_birth=born, today=birthday).allowed
    assert not age_decision(purpose="marketing", date_of_birth=born, today=date(2026, 6, 14))


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 8, 31), 12, date(2027, 8, 31)),
    ],
)
def test_add_months_clamps_to_the_last_day_of_the_month(start, months, expected):
    assert add_months(start, months) == expected


def test_add_months_keeps_a_datetimes_time_and_zone():
    moment = datetime(2028, 1, 31, 8, 50, tzinfo=UTC)
    assert add_months(moment, 1) == datetime(2028, 2, 29, 8, 50, tzinfo=UTC)


def test_the_retention_runs_partition_horizon_works_on_the_31st():
    """It crashed with "day is out of range for month" on 31 January (and the 29th-31st before
    any shorter month) when it did its own month arithmetic."""
    from learnward.core import partitions

    assert partitions.add_months(datetime(2028, 1, 31, tzinfo=UTC), 3) == datetime(
        2028, 4, 30, tzinfo=UTC
    )
