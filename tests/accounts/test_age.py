from datetime import date

import pytest

from learnward.accounts.age import AgeOutcome, age_on, age_policy


@pytest.mark.parametrize(
    ("born", "today", "age"),
    [
        (date(2000, 6, 15), date(2016, 6, 14), 15),
        (date(2000, 6, 15), date(2016, 6, 15), 16),
        (date(2000, 2, 29), date(2016, 2, 28), 15),
        (date(2000, 2, 29), date(2016, 3, 1), 16),
        (date(2000, 12, 31), date(2001, 1, 1), 0),
    ],
)
def test_age_counts_completed_years(born, today, age):
    assert age_on(born, today) == age


def test_default_policy_refuses_under_16_and_allows_from_the_birthday(settings):
    settings.MINIMUM_AGE = 16
    settings.GUARDIAN_CONSENT_BELOW = 16
    refused = age_policy(date(2010, 6, 15), date(2026, 6, 14))
    assert refused.outcome == AgeOutcome.REFUSE and not refused.allowed
    assert "16 or older" in refused.message
    allowed = age_policy(date(2010, 6, 15), date(2026, 6, 15))
    assert allowed.outcome == AgeOutcome.OK and allowed.allowed and allowed.message == ""


def test_guardian_band_between_minimum_and_consent_age(settings):
    settings.MINIMUM_AGE = 13
    settings.GUARDIAN_CONSENT_BELOW = 16
    today = date(2026, 1, 10)
    assert age_policy(date(2014, 1, 10), today).outcome == AgeOutcome.REFUSE  # 12
    decision = age_policy(date(2013, 1, 10), today)  # 13
    assert decision.outcome == AgeOutcome.GUARDIAN_REQUIRED
    assert "guardian" in decision.message
    assert age_policy(date(2010, 1, 10), today).outcome == AgeOutcome.OK  # 16


def test_minimum_age_is_a_setting(settings):
    settings.MINIMUM_AGE = 18
    settings.GUARDIAN_CONSENT_BELOW = 18
    decision = age_policy(date(2009, 1, 1), date(2026, 1, 1))  # 17
    assert decision.outcome == AgeOutcome.REFUSE
    assert "18 or older" in decision.message
