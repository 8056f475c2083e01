"""Which rows a retention rule finds due, exactly: cutoffs at the boundary, date-only anchors,
rules in days, anonymised values, holds, and the checks that refuse a rule the engine cannot
apply."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from learnward.accounts.models import User
from learnward.learning.models import ActivityEvent
from learnward.privacy import registry
from learnward.privacy.registry import Retention, RetentionAction
from learnward.privacy.retention.due import (
    Keep,
    RulePlan,
    anonymised_value,
    cutoff_for,
    cutoff_value,
    due_queryset,
    held_subject_ids,
    months_before,
    retention_problems,
)
from learnward.privacy.retention.rules import Period, RetentionConfigError, Rule

from .retention_support import activity, aware, rule_replaced

pytestmark = pytest.mark.django_db

NOW = aware(2030, 6, 15, 12, 0)


def _rule(model, **retention) -> Rule:
    declaration = registry.declaration_for(model)
    base = {"description": "test", "anchor": "attempt_time", "months": 1}
    base["action"] = RetentionAction.DELETE
    return Rule(dataclasses.replace(declaration, retention=Retention(**{**base, **retention})))


def _attempt(at, *, agent, accept="text/html", ip="192.0.2.1"):
    row = AccessAttempt.objects.create(
        username="someone@example.test",
        ip_address=ip,
        user_agent=agent,
        http_accept=accept,
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=1,
    )
    AccessAttempt.objects.filter(pk=row.pk).update(attempt_time=at)
    return row


# --- anonymised values ----------------------------------------------------------------------------


def test_anonymised_values_are_null_empty_text_or_the_fixed_default():
    assert anonymised_value(AccessAttempt._meta.get_field("ip_address")) is None  # nullable
    assert anonymised_value(AccessAttempt._meta.get_field("user_agent")) == ""
    assert anonymised_value(User._meta.get_field("date_of_birth")) is None
    assert anonymised_value(User._meta.get_field("is_staff")) is False


def test_a_field_without_a_safe_anonymised_value_is_refused_with_its_name():
    with pytest.raises(RetentionConfigError) as raised:
        anonymised_value(AccessAttempt._meta.get_field("failures_since_start"))
    assert str(raised.value) == (
        "axes.AccessAttempt.failures_since_start cannot be anonymised: it is not nullable, "
        "not text and has no fixed default"
    )
    with pytest.raises(RetentionConfigError, match="date_joined cannot be anonymised"):
        anonymised_value(User._meta.get_field("date_joined"))  # a callable default


# --- the checks -----------------------------------------------------------------------------------


def test_the_declared_rules_have_no_problems():
    assert retention_problems() == []


@pytest.mark.parametrize(
    ("retention", "problem"),
    [
        (
            {"anchor": "user"},
            "learning.ActivityEvent: anchor user is not a date or time",
        ),
        (
            {"anchor": "nowhere"},
            "learning.ActivityEvent: anchor nowhere does not exist",
        ),
        (
            {"anchor": "user__nowhere"},
            "learning.ActivityEvent: anchor user__nowhere does not exist",
        ),
        (
            {"action": RetentionAction.ANONYMISE},
            "learning.ActivityEvent: an anonymise rule must name the fields it clears",
        ),
        (
            {"action": RetentionAction.ANONYMISE, "fields": ("nowhere",)},
            "learning.ActivityEvent: anonymise field nowhere does not exist",
        ),
        (
            {"action": RetentionAction.ANONYMISE, "fields": ("occurred_at",)},
            "learning.ActivityEvent.occurred_at cannot be anonymised: it is not nullable, "
            "not text and has no fixed default",
        ),
        (
            {"months": 3, "minimum_months": 6},
            "learning.ActivityEvent: the retention period set in the registry is 3 months, "
            "below the minimum of 6 months that this rule allows.",
        ),
    ],
)
def test_each_problem_is_reported_once_in_plain_words(retention, problem):
    rule = {
        "description": "test",
        "anchor": "occurred_at",
        "months": 24,
        "action": RetentionAction.DELETE,
        **retention,
    }
    with rule_replaced(ActivityEvent, Retention(**rule)):
        assert retention_problems() == [problem]


def test_an_anchor_through_a_relation_to_a_date_is_accepted():
    rule = Retention(
        description="t", anchor="user__date_of_birth", months=24, action=RetentionAction.DELETE
    )
    with rule_replaced(ActivityEvent, rule):
        assert retention_problems() == []


def test_the_check_reads_the_admin_periods_once_however_many_rules(django_assert_num_queries):
    from learnward.privacy.retention.models import RetentionOverride
    from learnward.privacy.retention.rules import retention_rules

    RetentionOverride.objects.create(
        rule="learning.ActivityEvent", months=2, changed_at=timezone.now()
    )
    assert len(retention_rules()) > 1
    with django_assert_num_queries(1):
        problems = retention_problems()
    assert problems == [
        "learning.ActivityEvent: the retention period set in the admin (retention overrides) is "
        "2 months, below the minimum of 12 months that this rule allows."
    ]


def test_an_admin_period_below_the_minimum_is_a_problem(make_user):
    from learnward.privacy.retention.models import RetentionOverride

    RetentionOverride.objects.create(
        rule="learning.ActivityEvent", months=2, changed_at=timezone.now()
    )
    assert retention_problems() == [
        "learning.ActivityEvent: the retention period set in the admin (retention overrides) is "
        "2 months, below the minimum of 12 months that this rule allows."
    ]


# --- cutoffs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (aware(2030, 6, 15, 12, 0), 0, aware(2030, 6, 15, 12, 0)),
        (aware(2030, 12, 31, 8, 0), 10, aware(2030, 2, 28, 8, 0)),
        (aware(2031, 1, 31, 8, 0), 1, aware(2030, 12, 31, 8, 0)),
        (aware(2032, 3, 30, 8, 0), 1, aware(2032, 2, 29, 8, 0)),
        (aware(2030, 6, 15, 12, 0), 24, aware(2028, 6, 15, 12, 0)),
        (aware(2030, 12, 15, 12, 0), 12, aware(2029, 12, 15, 12, 0)),
    ],
)
def test_months_before_known_answers(moment, months, expected):
    assert months_before(moment, months) == expected


def test_a_rule_in_days_counts_days_until_its_period_is_changed():
    rule = _rule(AccessAttempt, days=90, months=3)
    assert cutoff_for(rule, Period(3, "default", 3, 0, ""), NOW) == NOW - timedelta(days=90)
    assert cutoff_for(rule, Period(3, "setting", 3, 0, "X"), NOW) == aware(2030, 3, 15, 12, 0)
    assert cutoff_for(rule, Period(5, "admin", 3, 0, ""), NOW) == aware(2030, 1, 15, 12, 0)
    months_rule = _rule(AccessAttempt, months=3)
    assert cutoff_for(months_rule, Period(3, "default", 3, 0, ""), NOW) == aware(2030, 3, 15, 12, 0)


def test_a_date_only_anchor_is_compared_with_the_local_date():
    rule = _rule(User, anchor="date_of_birth")
    # 00:30 in London on 15 June is still 14 June in UTC
    assert cutoff_value(rule, aware(2030, 6, 15, 0, 30)) == date(2030, 6, 15)
    through = _rule(ActivityEvent, anchor="user__date_of_birth")
    assert cutoff_value(through, aware(2030, 6, 15, 0, 30)) == date(2030, 6, 15)
    timed = _rule(AccessAttempt)
    assert cutoff_value(timed, NOW) == NOW


# --- due rows -------------------------------------------------------------------------------------


def test_a_row_exactly_at_the_cutoff_is_not_yet_due():
    rule = _rule(AccessAttempt)
    cutoff = NOW - timedelta(days=30)
    at_cutoff = _attempt(cutoff, agent="at")
    before = _attempt(cutoff - timedelta(microseconds=1000), agent="before")
    _attempt(cutoff + timedelta(seconds=1), agent="after")
    assert set(due_queryset(rule, cutoff)) == {before}
    assert at_cutoff not in due_queryset(rule, cutoff)


def test_a_rules_filter_narrows_the_due_rows():
    rule = _rule(AccessAttempt, filter={"ip_address": "192.0.2.9"})
    cutoff = NOW - timedelta(days=30)
    matching = _attempt(cutoff - timedelta(days=1), agent="a", ip="192.0.2.9")
    _attempt(cutoff - timedelta(days=1), agent="b")
    assert list(due_queryset(rule, cutoff)) == [matching]


def test_anonymise_finds_rows_where_any_field_still_holds_data():
    rule = _rule(
        AccessAttempt,
        action=RetentionAction.ANONYMISE,
        fields=("user_agent", "http_accept", "ip_address"),
    )
    old = NOW - timedelta(days=60)
    cutoff = NOW - timedelta(days=30)
    done = _attempt(old, agent="", accept="", ip=None)
    agent_left = _attempt(old, agent="Browser", accept="", ip=None)
    accept_left = _attempt(old, agent="", accept="text/html", ip=None)
    ip_left = _attempt(old, agent=" ", accept="", ip="192.0.2.5")
    due = set(due_queryset(rule, cutoff))
    assert due == {agent_left, accept_left, ip_left}
    assert done not in due


def test_held_learners_rows_are_left_out_and_rules_without_a_subject_ignore_holds(make_user):
    held, other = make_user(), make_user()
    old = NOW - timedelta(days=800)
    activity(held, at=old, count=2)
    kept = activity(other, at=old, count=1)
    rule = Rule(registry.declaration_for(ActivityEvent))
    assert due_queryset(rule, NOW - timedelta(days=30)).count() == 3
    assert set(due_queryset(rule, NOW, held=[held.pk])) == set(kept)
    assert due_queryset(rule, NOW, held=[]).count() == 3
    attempts = _rule(AccessAttempt)
    _attempt(old, agent="x")
    assert due_queryset(attempts, NOW, held=[held.pk]).count() == 1


def test_held_subjects_are_the_learners_with_an_open_restriction(make_user):
    from learnward.privacy.rights.services import restriction_lift, restriction_start

    held, lifted, _free = make_user(), make_user(), make_user()
    restriction_start(user=held, actor=held, reason="tribunal")
    restriction_lift(restriction=restriction_start(user=lifted, actor=lifted), actor=lifted)
    assert held_subject_ids() == [held.pk]


# --- the plan -------------------------------------------------------------------------------------


def test_a_plan_row_as_a_dict_has_every_field():
    plan = RulePlan(
        key="learning.ActivityEvent",
        label="Lessons",
        action="delete",
        description="24 months",
        months=24,
        source="setting",
        cutoff=NOW,
        due=3,
        keeps=[Keep(2, "not yet due"), Keep(None, "restricted")],
        partitions=["p1"],
        warnings_to_send=4,
    )
    assert plan.as_dict() == {
        "model": "learning.ActivityEvent",
        "label": "Lessons",
        "action": "delete",
        "rule": "24 months",
        "months": 24,
        "period_source": "setting",
        "cutoff": NOW.isoformat(),
        "due": 3,
        "partitions_to_drop": ["p1"],
        "warnings_to_send": 4,
        "kept": [{"rows": 2, "reason": "not yet due"}, {"rows": None, "reason": "restricted"}],
    }


def test_a_kept_rule_has_no_period_source_or_cutoff_and_nothing_due():
    plan = RulePlan(key="learning.Enrolment", label="E", action="keep", description="kept")
    assert plan.as_dict() == {
        "model": "learning.Enrolment",
        "label": "E",
        "action": "keep",
        "rule": "kept",
        "months": None,
        "period_source": None,
        "cutoff": None,
        "due": 0,
        "partitions_to_drop": [],
        "warnings_to_send": 0,
        "kept": [],
    }
