"""The gate's decisions in detail: the reasons shown, the order of the checks, the age boundary."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from learnward.privacy.consent.gate import (
    ADULT_AGE,
    Decision,
    ProcessingBlocked,
    age_decision,
    processing_decision,
    require_processing,
)
from learnward.privacy.consent.services import consent_record
from learnward.privacy.registry.purposes import PURPOSES, LawfulBasis
from learnward.privacy.rights import services

pytestmark = pytest.mark.django_db

UNDER_18 = "We do not do this for learners under 18."


def _consent(user, purpose):
    consent_record(
        subject=user, purpose=purpose, given=True, text="Yes.", version="1", method="account"
    )


def test_the_adult_age_is_18():
    assert ADULT_AGE == 18


def test_a_decision_is_truthy_only_when_allowed_and_an_allowed_one_has_no_reason():
    assert bool(Decision(True)) is True and Decision(True).reason == ""
    assert bool(Decision(False, "no")) is False


@pytest.mark.parametrize(
    ("born", "allowed"),
    [
        (date(2008, 6, 1), True),  # 18 today
        (date(2008, 6, 2), False),  # 18 tomorrow
        (date(1980, 1, 1), True),
    ],
)
def test_age_decision_at_the_18th_birthday(born, allowed):
    decision = age_decision(purpose="marketing", date_of_birth=born, today=date(2026, 6, 1))
    assert decision == Decision(allowed, "" if allowed else UNDER_18)


def test_age_decision_uses_todays_date_when_none_is_given():
    with time_machine.travel(date(2026, 6, 1)):
        assert not age_decision(purpose="marketing", date_of_birth=date(2008, 6, 2))
        assert age_decision(purpose="marketing", date_of_birth=date(2008, 6, 1))


def test_age_decision_allows_without_a_date_of_birth_or_for_purposes_open_to_children():
    assert age_decision(purpose="marketing", date_of_birth=None) == Decision(True)
    child = date(2020, 1, 1)
    assert age_decision(purpose="learning", date_of_birth=child, today=date(2026, 1, 1))
    assert not age_decision(purpose="ai_assistance", date_of_birth=child, today=date(2026, 1, 1))


def test_there_is_no_account_to_check_for_a_missing_or_unsaved_user(make_user):
    from learnward.accounts.models import User

    for user in (None, User(email="unsaved@example.test")):
        decision = processing_decision(user=user, purpose="learning")
        assert decision == Decision(False, "There is no account to check.")


def test_an_adult_without_any_consent_may_still_be_processed_for_non_consent_purposes(make_user):
    user = make_user(date_of_birth=date(1980, 1, 1))
    for key, purpose in PURPOSES.items():
        decision = processing_decision(user=user, purpose=key)
        if purpose.basis == LawfulBasis.CONSENT:
            assert decision == Decision(False, "You have not given your consent to this.")
        else:
            assert decision == Decision(True), key


def test_a_learner_without_a_date_of_birth_is_treated_as_an_adult(make_user):
    user = make_user()
    _consent(user, "marketing")
    assert processing_decision(user=user, purpose="marketing") == Decision(True)


def test_each_block_gives_its_exact_reason_and_the_exception_carries_it(make_user):
    user = make_user(date_of_birth=date(1980, 1, 1))
    _consent(user, "marketing")
    objection = services.objection_record(user=user, purpose="marketing", actor=user)
    assert processing_decision(user=user, purpose="marketing") == Decision(
        False, "You have objected to this use of your data."
    )
    restriction = services.restriction_start(user=user, actor=user, reason="checking")
    # restriction is checked before objection
    assert processing_decision(user=user, purpose="marketing") == Decision(
        False, "You have restricted the processing of your data."
    )
    with pytest.raises(ProcessingBlocked) as raised:
        require_processing(user=user, purpose="marketing")
    assert raised.value.purpose == "marketing"
    assert raised.value.reason == "You have restricted the processing of your data."
    assert str(raised.value) == "marketing: You have restricted the processing of your data."
    services.restriction_lift(restriction=restriction, actor=user)
    services.objection_withdraw(objection=objection, actor=user)
    assert require_processing(user=user, purpose="marketing") is None


def test_the_childrens_rule_is_checked_before_restriction(make_user):
    with time_machine.travel(date(2026, 6, 1)):
        child = make_user(date_of_birth=date(2010, 1, 1))
        _consent(child, "marketing")
        services.restriction_start(user=child, actor=child, reason="checking")
        assert processing_decision(user=child, purpose="marketing") == Decision(False, UNDER_18)


def test_another_learners_restriction_or_objection_does_not_block(make_user):
    user, other = make_user(date_of_birth=date(1980, 1, 1)), make_user()
    _consent(user, "marketing")
    services.restriction_start(user=other, actor=other, reason="mine")
    services.objection_record(user=other, purpose="marketing", actor=other)
    assert processing_decision(user=user, purpose="marketing") == Decision(True)


def test_an_objection_to_one_purpose_leaves_another_objectable_purpose_running(make_user):
    user = make_user(date_of_birth=date(1980, 1, 1))
    services.objection_record(user=user, purpose="support", actor=user)
    assert processing_decision(user=user, purpose="evaluation") == Decision(True)
    assert not processing_decision(user=user, purpose="support")
