from datetime import date

import pytest

from learnward.core.dates import age_on


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
