"""Retention periods in detail: where a period comes from, its floor and ceiling with the exact
messages, how it is described, and the audit of every change."""

from __future__ import annotations

import contextlib
import dataclasses

import pytest
from django.contrib.auth import get_user_model

from learnward.audit.actions import Action
from learnward.audit.models import AuditEntry
from learnward.learning.models import ActivityEvent
from learnward.privacy import registry
from learnward.privacy.registry import Retention, RetentionAction
from learnward.privacy.retention.models import RetentionOverride, RetentionPeriodState
from learnward.privacy.retention.rules import (
    ACCOUNT_ERASE,
    Period,
    RetentionConfigError,
    Rule,
    describe_period,
    effective_period,
    effective_periods,
    retention_override_set,
    retention_record_period_changes,
    retention_rules,
    rule_for,
)

pytestmark = pytest.mark.django_db

ACTIVITY = "learning.ActivityEvent"
SETTING = "LEARNWARD_RETENTION_ACTIVITY_MONTHS"


@contextlib.contextmanager
def financial_activity():
    """ActivityEvent declared as holding payment records (kept for at most 84 months)."""
    original = registry.declaration_for(ActivityEvent)
    fields = {**original.fields, "kind": "user.financial"}
    registry._REGISTRY[original.key] = dataclasses.replace(original, fields=fields)
    try:
        yield
    finally:
        registry._REGISTRY[original.key] = original


def _changes():
    return [e.payload for e in AuditEntry.objects.filter(action=Action.RETENTION_SETTING_CHANGED)]


def test_a_rule_reads_its_declaration():
    rule = rule_for(ACTIVITY)
    declaration = registry.declaration_for(ActivityEvent)
    assert rule.key == ACTIVITY
    assert rule.model is ActivityEvent
    assert rule.retention is declaration.retention
    assert rule.label == "Lessons you viewed and completed"
    assert (rule.is_account_rule, rule.action) == (False, "delete")


def test_only_the_account_deletion_rule_is_erase_account():
    account = rule_for("accounts.User")
    assert (account.is_account_rule, account.action) == (True, ACCOUNT_ERASE)
    assert ACCOUNT_ERASE == "erase account"
    declaration = registry.declaration_for(get_user_model())
    anonymise = Rule(
        dataclasses.replace(
            declaration,
            retention=dataclasses.replace(
                declaration.retention, action=RetentionAction.ANONYMISE, fields=("display_name",)
            ),
        )
    )
    assert (anonymise.is_account_rule, anonymise.action) == (False, "anonymise")
    other_subject = Rule(dataclasses.replace(declaration, subject="id"))
    assert other_subject.is_account_rule is False


def test_rules_are_exactly_the_declarations_with_retention():
    keys = [r.key for r in retention_rules()]
    expected = [d.key for d in registry.declarations() if d.retention is not None]
    assert keys == expected and ACTIVITY in keys and "learning.Enrolment" not in keys


def test_an_unknown_rule_is_refused_by_name():
    with pytest.raises(RetentionConfigError) as raised:
        rule_for("learning.Enrolment")
    assert str(raised.value) == "learning.Enrolment has no retention rule in the registry"


def test_the_default_period_with_every_field():
    assert effective_period(rule_for(ACTIVITY)) == Period(24, "default", 24, 12, SETTING)


def test_the_setting_is_read_as_a_whole_number_and_ignored_when_absent(settings):
    settings.RETENTION_MONTHS = {SETTING: "13", "SOMETHING_ELSE": 99}
    assert effective_period(rule_for(ACTIVITY)) == Period(13, "setting", 24, 12, SETTING)
    settings.RETENTION_MONTHS = {"SOMETHING_ELSE": 99}
    assert effective_period(rule_for(ACTIVITY)).source == "default"
    del settings.RETENTION_MONTHS
    assert effective_period(rule_for(ACTIVITY)).source == "default"


def test_a_rule_without_a_setting_ignores_the_settings(settings):
    rule = rule_for(ACTIVITY)
    plain = Rule(
        dataclasses.replace(
            rule.declaration, retention=dataclasses.replace(rule.retention, setting="")
        )
    )
    settings.RETENTION_MONTHS = {"": 30, SETTING: 30}
    assert effective_period(plain) == Period(24, "default", 24, 12, "")


def test_the_admin_period_wins_over_the_setting_and_is_read_from_the_database(settings, make_user):
    settings.RETENTION_MONTHS = {SETTING: 30}
    rule = rule_for(ACTIVITY)
    assert effective_period(rule, overrides={ACTIVITY: 40}) == Period(40, "admin", 24, 12, SETTING)
    assert effective_period(rule, overrides={"other.Rule": 40}).source == "setting"
    retention_override_set(key=ACTIVITY, months=36, actor=make_user())
    assert effective_period(rule) == Period(36, "admin", 24, 12, SETTING)
    assert effective_period(rule, overrides={}) == Period(30, "setting", 24, 12, SETTING)
    assert effective_periods()[ACTIVITY] == Period(36, "admin", 24, 12, SETTING)
    assert set(effective_periods()) == {r.key for r in retention_rules()}


def test_the_minimum_itself_is_allowed(settings):
    settings.RETENTION_MONTHS = {SETTING: 12}
    assert effective_period(rule_for(ACTIVITY)).months == 12


@pytest.mark.parametrize(
    ("source", "where"),
    [
        ("setting", "the environment variable LEARNWARD_RETENTION_ACTIVITY_MONTHS"),
        ("admin", "the admin (retention overrides)"),
    ],
)
def test_a_period_below_the_minimum_names_where_it_was_set(settings, source, where):
    overrides = {}
    if source == "setting":
        settings.RETENTION_MONTHS = {SETTING: 11}
    else:
        overrides = {ACTIVITY: 11}
    with pytest.raises(RetentionConfigError) as raised:
        effective_period(rule_for(ACTIVITY), overrides=overrides)
    assert str(raised.value) == (
        f"learning.ActivityEvent: the retention period set in {where} is 11 months, below the "
        "minimum of 12 months that this rule allows."
    )


def test_a_period_above_the_categorys_ceiling_is_refused(settings):
    with financial_activity():
        rule = rule_for(ACTIVITY)
        assert effective_period(rule, overrides={ACTIVITY: 84}).months == 84
        with pytest.raises(RetentionConfigError) as raised:
            effective_period(rule, overrides={ACTIVITY: 85})
        assert str(raised.value) == (
            "learning.ActivityEvent: the retention period set in the admin (retention overrides) "
            "is 85 months, above the 84 months that payment and billing records may be kept."
        )
        settings.RETENTION_MONTHS = {SETTING: 90}
        with pytest.raises(RetentionConfigError, match="environment variable .* is 90 months"):
            effective_period(rule, overrides={})


@pytest.mark.parametrize(
    ("months", "text"),
    [(12, "1 year"), (36, "3 years"), (1, "1 month"), (13, "13 months"), (0, "0 years")],
)
def test_a_changed_period_is_described_in_years_or_months(months, text):
    rule = rule_for(ACTIVITY)
    described = describe_period(rule, Period(months, "admin", 24, 0, ""))
    assert described == (
        f"{rule.retention.description} (the provider has set this period to {text})"
    )


def test_an_unchanged_period_is_described_as_declared():
    rule = rule_for(ACTIVITY)
    assert describe_period(rule, Period(24, "admin", 24, 12, "")) == rule.retention.description


def test_setting_an_admin_period_stores_it_and_audits_from_and_to(make_user):
    dpo = make_user()
    period = retention_override_set(key=ACTIVITY, months=12, actor=dpo, reason="Enough")
    assert period == Period(12, "admin", 24, 12, SETTING)
    override = RetentionOverride.objects.get(rule=ACTIVITY)
    assert (override.months, override.reason, override.changed_by) == (12, "Enough", dpo)
    assert override.changed_at is not None
    retention_override_set(key=ACTIVITY, months=30, actor=dpo, reason="Longer")
    override = RetentionOverride.objects.get(rule=ACTIVITY)
    assert (override.months, override.reason) == (30, "Longer")
    retention_override_set(key=ACTIVITY, months=30, actor=dpo)  # no change: no audit
    assert RetentionOverride.objects.get(rule=ACTIVITY).reason == ""  # no reason given
    retention_override_set(key=ACTIVITY, months=None, actor=dpo)
    assert not RetentionOverride.objects.exists()
    assert _changes() == [
        {
            "rule": ACTIVITY,
            "from_months": 24,
            "from_source": "default",
            "to_months": 12,
            "to_source": "admin",
        },
        {
            "rule": ACTIVITY,
            "from_months": 12,
            "from_source": "admin",
            "to_months": 30,
            "to_source": "admin",
        },
        {
            "rule": ACTIVITY,
            "from_months": 30,
            "from_source": "admin",
            "to_months": 24,
            "to_source": "default",
        },
    ]
    entry = AuditEntry.objects.filter(action=Action.RETENTION_SETTING_CHANGED).first()
    assert entry.actor_id == dpo.pk
    state = RetentionPeriodState.objects.get(rule=ACTIVITY)
    assert (state.months, state.source) == (24, "default")


def test_admin_periods_out_of_bounds_are_refused_with_the_rules_label(make_user):
    dpo = make_user()
    with pytest.raises(RetentionConfigError) as raised:
        retention_override_set(key=ACTIVITY, months=11, actor=dpo)
    assert str(raised.value) == (
        "Lessons you viewed and completed: 11 months is below the minimum of 12 months for "
        "this rule."
    )
    with pytest.raises(RetentionConfigError) as raised:
        retention_override_set(key="axes.AccessAttempt", months=-1, actor=dpo)
    assert str(raised.value) == "A retention period cannot be negative."
    assert retention_override_set(key="axes.AccessAttempt", months=0, actor=dpo).months == 0
    with financial_activity():
        with pytest.raises(RetentionConfigError) as raised:
            retention_override_set(key=ACTIVITY, months=85, actor=dpo)
        assert str(raised.value) == (
            "Lessons you viewed and completed: 85 months is above the 84 months that payment "
            "and billing records may be kept."
        )
        assert retention_override_set(key=ACTIVITY, months=84, actor=dpo).months == 84
    assert not RetentionOverride.objects.filter(months__in=[11, 85]).exists()


def test_changes_made_outside_the_admin_are_recorded_once(settings, make_user):
    # First look: every period is its default, which is what was in force: nothing to audit.
    assert retention_record_period_changes() == []
    assert RetentionPeriodState.objects.filter(rule=ACTIVITY, months=24).exists()
    assert not _changes()
    settings.RETENTION_MONTHS = {SETTING: 13}
    actor = make_user()
    assert retention_record_period_changes(actor=actor) == [ACTIVITY]
    assert retention_record_period_changes(actor=actor) == []
    settings.RETENTION_MONTHS = {}
    assert retention_record_period_changes() == [ACTIVITY]
    assert _changes() == [
        {
            "rule": ACTIVITY,
            "from_months": 24,
            "from_source": "default",
            "to_months": 13,
            "to_source": "setting",
        },
        {
            "rule": ACTIVITY,
            "from_months": 13,
            "from_source": "setting",
            "to_months": 24,
            "to_source": "default",
        },
    ]
    entries = AuditEntry.objects.filter(action=Action.RETENTION_SETTING_CHANGED).order_by("pk")
    assert [e.actor_id for e in entries] == [actor.pk, None]


def test_a_default_changed_in_code_is_recorded_against_the_last_recorded_period():
    RetentionPeriodState.objects.create(
        rule=ACTIVITY, months=18, source="default", recorded_at="2030-01-01T00:00Z"
    )
    assert retention_record_period_changes() == [ACTIVITY]
    assert _changes() == [
        {
            "rule": ACTIVITY,
            "from_months": 18,
            "from_source": "default",
            "to_months": 24,
            "to_source": "default",
        }
    ]
    new_default = Retention(
        description="t", anchor="occurred_at", months=30, action=RetentionAction.DELETE
    )
    from .retention_support import rule_replaced

    with rule_replaced(ActivityEvent, new_default):
        assert retention_record_period_changes() == [ACTIVITY]
    assert _changes()[-1]["from_months"] == 24 and _changes()[-1]["to_months"] == 30


def test_every_period_is_read_with_one_query_for_the_overrides(django_assert_num_queries):
    RetentionOverride.objects.create(rule=ACTIVITY, months=36, changed_at="2030-01-01T00:00Z")
    assert len(retention_rules()) > 1
    with django_assert_num_queries(1):
        periods = effective_periods()
    assert periods[ACTIVITY] == Period(36, "admin", 24, 12, SETTING)


def test_an_admin_period_stored_outside_the_admin_is_recorded_once_with_its_source():
    assert retention_record_period_changes() == []
    RetentionOverride.objects.create(rule=ACTIVITY, months=30, changed_at="2030-01-01T00:00Z")
    assert retention_record_period_changes() == [ACTIVITY]
    assert retention_record_period_changes() == []
    assert _changes() == [
        {
            "rule": ACTIVITY,
            "from_months": 24,
            "from_source": "default",
            "to_months": 30,
            "to_source": "admin",
        }
    ]


def test_checking_unchanged_periods_takes_two_queries_however_many_rules(
    django_assert_num_queries,
):
    RetentionOverride.objects.create(rule=ACTIVITY, months=30, changed_at="2030-01-01T00:00Z")
    assert retention_record_period_changes() == [ACTIVITY]
    assert len(retention_rules()) > 1
    # The overrides and the recorded periods, each read once; nothing is written or audited.
    with django_assert_num_queries(2):
        assert retention_record_period_changes() == []
