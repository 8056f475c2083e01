"""The processing gate, purpose by purpose: restriction, objection, consent and children."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from learnward.privacy.consent.gate import (
    ProcessingBlocked,
    processing_allowed,
    processing_decision,
    require_processing,
)
from learnward.privacy.consent.services import consent_record
from learnward.privacy.registry.purposes import PURPOSES, LawfulBasis
from learnward.privacy.rights import services

pytestmark = pytest.mark.django_db

# What restriction leaves running, written out by hand from UK GDPR Art. 18 and the issue:
# storage, legal claims and the learner's own access; no marketing, no profiling or
# personalisation, nothing sent to outside processors apart from hosting.
WHILE_RESTRICTED = {
    "account": True,  # the learner's own access to their account
    "security": True,  # protecting everyone's accounts (rights of others)
    "learning": True,  # the learner's own use of the courses they take
    "assessment": True,
    "certification": True,  # others rely on certificates already shown to them
    "awarding_body_registration": False,  # sent outside
    "service_communications": False,  # sent through an outside email provider
    "audit": True,  # legal obligation
    "rights_requests": True,  # legal obligation
    "marketing": False,
    "support": False,  # replies go out through the email provider
    "evaluation": False,
    "research": False,
    "guardian_consent": True,  # legal obligation
    "cookies_analytics": False,  # profiling
    "ai_assistance": False,  # AI, profiling, an outside processor
    "cpd_record": True,  # the learner's own record
    "breach_management": True,  # legal obligation
    "purchases": True,  # the learner's own order, at their request
    "accounting": True,  # legal obligation (tax records)
    "employer_training_records": False,  # shown to the employer's managers, not the learner
    "connected_systems": False,  # sent to the systems the provider connects (webhooks)
    "xapi_statements": False,  # sent to an outside learning record store
    "lti_grade_passback": False,  # sent to the employer's learning platform
    "notifications": True,  # the learner's own notification centre
    "web_push": False,  # sent through the browser vendors' push services
    "community": False,  # posts shown to other members: paused while processing is restricted
    "recommendations": False,  # profiling
}
OBJECTION_STOPS = {
    "support",
    "evaluation",
    "marketing",
    "employer_training_records",
    "connected_systems",
    "xapi_statements",
    "lti_grade_passback",
    "recommendations",
}
OBJECTION_REVIEWED = {"security", "certification"}  # compelling grounds stated
MINORS_BLOCKED = {"marketing", "cookies_analytics", "ai_assistance", "recommendations"}


def test_every_purpose_has_an_expectation_here():
    missing = set(PURPOSES) - set(WHILE_RESTRICTED)
    assert not missing, f"add the gate's expected behaviour for {sorted(missing)} to this test"


def _consent_to_everything(user):
    for key, purpose in PURPOSES.items():
        if purpose.basis == LawfulBasis.CONSENT:
            consent_record(
                subject=user,
                purpose=key,
                given=True,
                text="Yes please.",
                version="1",
                method="account",
            )


@pytest.fixture
def adult(make_user):
    user = make_user(date_of_birth=date(1980, 1, 1))
    _consent_to_everything(user)
    return user


@pytest.mark.parametrize("purpose", sorted(PURPOSES))
def test_an_adult_who_consented_may_be_processed_for_every_purpose(adult, purpose):
    assert processing_allowed(user=adult, purpose=purpose)


@pytest.mark.parametrize("purpose", sorted(WHILE_RESTRICTED))
def test_restriction_stops_all_but_storage_legal_claims_and_own_access(adult, purpose):
    restriction = services.restriction_start(user=adult, actor=adult, reason="checking my data")
    decision = processing_decision(user=adult, purpose=purpose)
    assert decision.allowed is WHILE_RESTRICTED[purpose]
    if not decision.allowed:
        assert "restricted" in decision.reason
        with pytest.raises(ProcessingBlocked) as raised:
            require_processing(user=adult, purpose=purpose)
        assert raised.value.purpose == purpose
    services.restriction_lift(restriction=restriction, actor=adult)
    assert processing_allowed(user=adult, purpose=purpose)


def test_a_restriction_by_the_dpo_counts_the_same(adult, make_user):
    from learnward.accounts.roles import DPO

    dpo = make_user(roles=[DPO])
    services.restriction_start(user=adult, actor=dpo, reason="legal claim")
    assert not processing_allowed(user=adult, purpose="marketing")
    assert processing_allowed(user=adult, purpose="audit")


@pytest.mark.parametrize("purpose", sorted(k for k, p in PURPOSES.items() if p.objectable))
def test_an_objection_stops_the_purpose_unless_grounds_are_stated(adult, purpose):
    assert purpose in OBJECTION_STOPS | OBJECTION_REVIEWED
    objection = services.objection_record(user=adult, purpose=purpose, actor=adult)
    decision = processing_decision(user=adult, purpose=purpose)
    if purpose in OBJECTION_STOPS:
        assert not decision.allowed and "objected" in decision.reason
    else:
        assert decision.allowed
    # other purposes are untouched
    assert processing_allowed(user=adult, purpose="learning")
    services.objection_withdraw(objection=objection, actor=adult)
    assert processing_allowed(user=adult, purpose=purpose)


@pytest.mark.parametrize("purpose", sorted(k for k, p in PURPOSES.items() if not p.objectable))
def test_objecting_to_a_purpose_without_that_right_is_refused(adult, purpose):
    with pytest.raises(services.RightsError):
        services.objection_record(user=adult, purpose=purpose, actor=adult)


@pytest.mark.parametrize(
    "purpose", sorted(k for k, p in PURPOSES.items() if p.basis == LawfulBasis.CONSENT)
)
def test_consent_purposes_need_current_consent(make_user, purpose):
    user = make_user(date_of_birth=date(1980, 1, 1))
    assert not processing_allowed(user=user, purpose=purpose)
    consent_record(
        subject=user, purpose=purpose, given=True, text="Yes", version="1", method="account"
    )
    assert processing_allowed(user=user, purpose=purpose)
    consent_record(
        subject=user, purpose=purpose, given=False, text="No", version="1", method="account"
    )
    assert not processing_allowed(user=user, purpose=purpose)


@pytest.mark.parametrize("purpose", sorted(PURPOSES))
def test_under_18s_get_no_profiling_ai_or_marketing(make_user, purpose):
    with time_machine.travel(date(2026, 6, 1)):
        child = make_user(date_of_birth=date(2009, 6, 2))  # 16, turns 17 tomorrow
        _consent_to_everything(child)
        decision = processing_decision(user=child, purpose=purpose)
        assert decision.allowed is (purpose not in MINORS_BLOCKED)
        if purpose in MINORS_BLOCKED:
            assert "under 18" in decision.reason


def test_the_day_a_learner_turns_18_the_childrens_rules_stop(make_user):
    user = make_user(date_of_birth=date(2008, 6, 1))
    _consent_to_everything(user)
    with time_machine.travel(date(2026, 5, 31)):
        assert not processing_allowed(user=user, purpose="marketing")
    with time_machine.travel(date(2026, 6, 1)):
        assert processing_allowed(user=user, purpose="marketing")


def test_unknown_purposes_and_missing_users_are_refused(adult):
    with pytest.raises(ValueError):
        processing_allowed(user=adult, purpose="selling_data")
    assert not processing_allowed(user=None, purpose="learning")
