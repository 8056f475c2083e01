"""The retention engine: rules from the registry, periods, dry run = run, batches, resumability."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.core.management.base import CommandError

from learnward.audit.actions import Action
from learnward.audit.models import AuditEntry
from learnward.learning.models import ActivityEvent
from learnward.privacy.registry import Retention, RetentionAction
from learnward.privacy.retention import services as retention
from learnward.privacy.retention.models import RetentionOverride, RetentionRun
from learnward.privacy.retention.services import RetentionConfigError

from .retention_support import activity, aware, rule_replaced

pytestmark = pytest.mark.django_db

NOW = aware(2030, 6, 15, 12, 0)


_agents = iter(range(10**6))


def attempt(at, *, username="someone@example.test", agent=None):
    agent = agent or f"Browser {next(_agents)}"
    row = AccessAttempt.objects.create(
        username=username,
        ip_address="192.0.2.1",
        user_agent=agent,
        http_accept="text/html",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=1,
    )
    # attempt_time is set on creation; move it to when the attempt is meant to have happened.
    AccessAttempt.objects.filter(pk=row.pk).update(attempt_time=at)
    row.refresh_from_db()
    return row


def plan_for(key, **kwargs):
    return next(p for p in retention.retention_plan(**kwargs) if p.key == key)


def test_rules_come_only_from_the_registry():
    keys = {r.key for r in retention.retention_rules()}
    assert {"axes.AccessAttempt", "learning.ActivityEvent", "accounts.User"} <= keys
    with rule_replaced(AccessAttempt, None):
        assert "axes.AccessAttempt" not in {r.key for r in retention.retention_rules()}


def test_dry_run_announces_exactly_what_the_run_then_does(make_user):
    learner = make_user()
    with time_machine.travel(NOW, tick=False):
        old = activity(learner, at=NOW - timedelta(days=800), count=3)
        activity(learner, at=NOW - timedelta(days=30), count=2)
        attempt(NOW - timedelta(days=40))
        attempt(NOW - timedelta(days=3))
        before = {p.key: p for p in retention.retention_plan()}
        assert before["learning.ActivityEvent"].due == 3
        assert before["learning.ActivityEvent"].action == "delete"
        assert before["axes.AccessAttempt"].due == 1
        assert any(
            k.count == 2 and "not yet due" in k.reason
            for k in before["learning.ActivityEvent"].keeps
        )
        run = retention.retention_run()
    assert run.stats["learning.ActivityEvent"]["processed"] == 3
    assert run.stats["axes.AccessAttempt"]["processed"] == 1
    assert not ActivityEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert ActivityEvent.objects.count() == 2
    assert AccessAttempt.objects.count() == 1
    for key, plan in before.items():
        if plan.action in ("delete", "anonymise"):
            assert run.stats[key]["processed"] == plan.due, key


def test_declarations_without_rules_are_kept_with_their_reason():
    plan = plan_for("learning.Enrolment")
    assert plan.action == "keep"
    assert "account exists" in plan.keeps[0].reason


def test_running_twice_changes_nothing_the_second_time(make_user):
    learner = make_user()
    with time_machine.travel(NOW, tick=False):
        activity(learner, at=NOW - timedelta(days=800), count=4)
        first = retention.retention_run()
        second = retention.retention_run()
    assert first.stats["learning.ActivityEvent"]["processed"] == 4
    assert second.pk != first.pk
    assert second.stats["learning.ActivityEvent"]["processed"] == 0
    runs = AuditEntry.objects.filter(action=Action.RETENTION_RUN)
    assert runs.count() == 2


def test_each_run_is_summarised_in_the_audit_trail_without_personal_data(make_user):
    learner = make_user(email="private.person@example.test", display_name="Private Person")
    with time_machine.travel(NOW, tick=False):
        activity(learner, at=NOW - timedelta(days=800), count=2)
        run = retention.retention_run()
    entry = AuditEntry.objects.get(action=Action.RETENTION_RUN)
    assert entry.target_id == str(run.pk)
    rule = entry.payload["rules"]["learning.ActivityEvent"]
    assert (rule["action"], rule["processed"]) == ("delete", 2)
    text = str(entry.payload)
    assert "private.person" not in text and "Private Person" not in text


def test_small_batches_each_commit_and_a_crash_loses_nothing(make_user, monkeypatch):
    learner = make_user()
    real_delete = retention._delete_batch
    calls = {"n": 0}

    def crash_on_third(model, *args):
        if model is ActivityEvent:
            calls["n"] += 1
            if calls["n"] == 3:
                raise RuntimeError("power cut")
        return real_delete(model, *args)

    with time_machine.travel(NOW, tick=False):
        activity(learner, at=NOW - timedelta(days=800), count=10)
        monkeypatch.setattr(retention, "_delete_batch", crash_on_third)
        with pytest.raises(RuntimeError, match="power cut"):
            retention.retention_run(batch_size=2)
        # Two batches of two were committed before the crash; the third rolled back.
        assert ActivityEvent.objects.count() == 6
        interrupted = RetentionRun.objects.get()
        assert interrupted.status == RetentionRun.Status.RUNNING
        assert interrupted.stats["learning.ActivityEvent"]["processed"] == 4
        assert "RuntimeError" in interrupted.last_error
        assert not AuditEntry.objects.filter(action=Action.RETENTION_RUN).exists()
        # The dry run now reports against the interrupted run's reference time.
        assert plan_for("learning.ActivityEvent").due == 6
        monkeypatch.setattr(retention, "_delete_batch", real_delete)
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        resumed = retention.retention_run(batch_size=2)
    assert resumed.pk == interrupted.pk
    assert resumed.reference_time == NOW
    assert resumed.attempts == 2
    assert resumed.status == RetentionRun.Status.COMPLETED
    assert ActivityEvent.objects.count() == 0
    entry = AuditEntry.objects.get(action=Action.RETENTION_RUN)
    assert entry.payload["rules"]["learning.ActivityEvent"]["processed"] == 10
    assert entry.payload["attempts"] == 2


def test_longest_batch_and_batch_count_are_recorded(make_user):
    learner = make_user()
    with time_machine.travel(NOW, tick=False):
        activity(learner, at=NOW - timedelta(days=800), count=7)
        run = retention.retention_run(batch_size=3)
    # On PostgreSQL, empty monthly partitions older than the cutoff are dropped too, one each.
    dropped = sum(len(s.get("partitions_dropped", [])) for s in run.stats.values())
    assert run.batches == 3 + dropped
    assert run.longest_batch_ms > 0


def test_anonymise_rule_clears_only_its_fields_and_keeps_the_rows():
    rule = Retention(
        description="anonymised after a month",
        anchor="attempt_time",
        months=1,
        action=RetentionAction.ANONYMISE,
        fields=("user_agent", "http_accept"),
    )
    with rule_replaced(AccessAttempt, rule), time_machine.travel(NOW, tick=False):
        old = attempt(NOW - timedelta(days=45), agent="Old browser")
        new = attempt(NOW - timedelta(days=2), agent="New browser")
        assert plan_for("axes.AccessAttempt").due == 1
        run = retention.retention_run()
        assert run.stats["axes.AccessAttempt"] == {
            **run.stats["axes.AccessAttempt"],
            "action": "anonymise",
            "processed": 1,
        }
        old.refresh_from_db()
        new.refresh_from_db()
        assert (old.user_agent, old.http_accept) == ("", "")
        assert old.username == "someone@example.test"  # not one of the rule's fields
        assert new.user_agent == "New browser"
        again = retention.retention_run()
        assert again.stats["axes.AccessAttempt"]["processed"] == 0
        kept = plan_for("axes.AccessAttempt").keeps
        assert any(k.reason == "already anonymised" and k.count == 1 for k in kept)


def test_an_anonymise_rule_naming_a_field_it_cannot_clear_is_refused():
    rule = Retention(
        description="bad",
        anchor="attempt_time",
        months=1,
        action=RetentionAction.ANONYMISE,
        fields=("failures_since_start",),
    )
    with rule_replaced(AccessAttempt, rule):
        problems = retention.retention_problems()
        assert any("failures_since_start cannot be anonymised" in p for p in problems)
        with pytest.raises(RetentionConfigError):
            retention.retention_run()


# --- Periods: settings and admin, never below the minimum, always audited -------------------------


def test_a_period_set_in_the_environment_moves_the_cutoff_and_is_audited(settings, make_user):
    learner = make_user()
    with time_machine.travel(NOW, tick=False):
        activity(learner, at=NOW - timedelta(days=500), count=2)  # ~16 months old
        assert plan_for("learning.ActivityEvent").due == 0
        settings.RETENTION_MONTHS = {"LEARNWARD_RETENTION_ACTIVITY_MONTHS": 13}
        plan = plan_for("learning.ActivityEvent")
        assert (plan.due, plan.months, plan.source) == (2, 13, "setting")
        retention.retention_run()
    change = AuditEntry.objects.get(action=Action.RETENTION_SETTING_CHANGED)
    assert change.payload == {
        "rule": "learning.ActivityEvent",
        "from_months": 24,
        "from_source": "default",
        "to_months": 13,
        "to_source": "setting",
    }
    retention.retention_run()
    assert AuditEntry.objects.filter(action=Action.RETENTION_SETTING_CHANGED).count() == 1


def test_an_environment_period_below_the_minimum_stops_the_run_with_a_clear_message(settings):
    settings.RETENTION_MONTHS = {"LEARNWARD_RETENTION_ACTIVITY_MONTHS": 6}
    with pytest.raises(CommandError) as exc:
        call_command("retention")
    message = str(exc.value)
    assert "LEARNWARD_RETENTION_ACTIVITY_MONTHS" in message
    assert "6 months, below the minimum of 12 months" in message
    with pytest.raises(CommandError, match="below the minimum"):
        call_command("retention", "--dry-run")
    assert not RetentionRun.objects.exists()


def test_an_admin_period_overrides_the_setting_and_is_audited(settings, make_user):
    dpo = make_user(roles=["Data protection officer"])
    settings.RETENTION_MONTHS = {"LEARNWARD_RETENTION_ACTIVITY_MONTHS": 30}
    period = retention.retention_override_set(
        key="learning.ActivityEvent", months=18, actor=dpo, reason="Shorter is enough"
    )
    assert (period.months, period.source) == (18, "admin")
    entry = AuditEntry.objects.get(action=Action.RETENTION_SETTING_CHANGED)
    assert entry.actor_id == dpo.pk
    assert entry.payload["from_months"] == 30 and entry.payload["to_months"] == 18
    retention.retention_override_set(key="learning.ActivityEvent", months=None, actor=dpo)
    assert retention.effective_period(retention.rule_for("learning.ActivityEvent")).months == 30
    assert AuditEntry.objects.filter(action=Action.RETENTION_SETTING_CHANGED).count() == 2


def test_an_admin_period_below_the_minimum_is_refused_and_nothing_is_stored(make_user):
    dpo = make_user(roles=["Data protection officer"])
    with pytest.raises(RetentionConfigError, match="below the minimum of 12 months"):
        retention.retention_override_set(key="learning.ActivityEvent", months=3, actor=dpo)
    assert not RetentionOverride.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.RETENTION_SETTING_CHANGED).exists()
    with pytest.raises(RetentionConfigError, match="has no retention rule"):
        retention.retention_override_set(key="learning.Enrolment", months=30, actor=dpo)


def test_changed_periods_appear_in_the_rule_description():
    rule = retention.rule_for("learning.ActivityEvent")
    period = retention.Period(36, "admin", 24, 12, "")
    assert "set this period to 3 years" in retention.describe_period(rule, period)


def test_month_arithmetic_clamps_to_the_end_of_the_month():
    assert retention.months_before(aware(2030, 3, 31), 1) == aware(2030, 2, 28)
    assert retention.months_before(aware(2030, 1, 15), 13) == aware(2028, 12, 15)
    assert retention.months_before(aware(2030, 1, 31), -1) == aware(2030, 2, 28)


# --- Restricted subjects are held back ---------------------------------------------------------------


def test_rows_of_a_learner_who_restricted_processing_are_kept(make_user):
    from learnward.privacy.rights.services import restriction_start

    held, other = make_user(), make_user()
    with time_machine.travel(NOW, tick=False):
        activity(held, at=NOW - timedelta(days=800), count=2)
        activity(other, at=NOW - timedelta(days=800), count=3)
        restriction_start(user=held, actor=held, reason="I need it for a tribunal")
        plan = plan_for("learning.ActivityEvent")
        assert plan.due == 3
        assert any(k.count == 2 and "restricted" in k.reason for k in plan.keeps)
        retention.retention_run()
    assert ActivityEvent.objects.filter(user=held).count() == 2
    assert not ActivityEvent.objects.filter(user=other).exists()


# --- The command ---------------------------------------------------------------------------------------


def test_dry_run_command_prints_each_rule_and_changes_nothing(make_user, capsys):
    learner = make_user()
    with time_machine.travel(NOW, tick=False):
        activity(learner, at=NOW - timedelta(days=800), count=3)
        call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert "learning.ActivityEvent" in out and "delete" in out
    assert "learning.Enrolment" in out and "keep" in out
    assert ActivityEvent.objects.count() == 3
    assert not RetentionRun.objects.exists()


def test_dry_run_json_lists_due_rows_and_reasons(make_user, capsys):
    import json

    learner = make_user()
    with time_machine.travel(NOW, tick=False):
        activity(learner, at=NOW - timedelta(days=800), count=3)
        call_command("retention", "--dry-run", "--format", "json")
    rows = {r["model"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["learning.ActivityEvent"]["due"] == 3
    assert rows["learning.ActivityEvent"]["months"] == 24
    assert rows["certificates.Certificate"]["action"] == "delete"
    assert rows["learning.Enrolment"]["action"] == "keep"


def test_command_reports_lines_when_not_a_terminal(make_user, capsys):
    learner = make_user()
    with time_machine.travel(NOW, tick=False):
        activity(learner, at=NOW - timedelta(days=800), count=3)
        call_command("retention", "--batch-size", "2")
    out = capsys.readouterr().out
    assert "learning.ActivityEvent: delete 3" in out
    assert "Retention run" in out and "completed in" in out


def test_command_draws_a_progress_bar_on_a_terminal(make_user):
    import io

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    learner = make_user()
    out = Terminal()
    with time_machine.travel(NOW, tick=False):
        activity(learner, at=NOW - timedelta(days=800), count=3)
        call_command("retention", stdout=out)
    text = out.getvalue()
    assert "learning.ActivityEvent" in text
    assert "3/3" in text


def _runner(size: int, target_ms: float) -> retention._Runner:
    return retention._Runner(RetentionRun(), size, retention.Progress(), 0.0, target_ms)


def test_batches_are_resized_towards_the_target_duration():
    runner = _runner(1000, 40)
    runner.resize(1000, 10.0)  # 4x faster than the target: grows by half at most
    assert runner.batch_size == 1500
    runner.resize(1500, 30.0)
    assert runner.batch_size == 2000
    runner.resize(2000, 50.0)
    assert runner.batch_size == 1600
    runner.resize(1600, 400.0)  # 10x too slow: at most halves
    assert runner.batch_size == 800
    runner.resize(300, 1.0)  # a short last batch says nothing about the rate
    assert runner.batch_size == 800
    slow = _runner(150, 40)
    slow.resize(150, 1000.0)
    assert slow.batch_size == retention.BATCH_SIZE_MIN
    fast = _runner(15_000, 40)
    fast.resize(15_000, 1.0)
    assert fast.batch_size == retention.BATCH_SIZE_MAX


def test_an_explicit_batch_size_stays_fixed_and_the_setting_adapts(settings, monkeypatch):
    targets = []
    real_runner = retention._Runner

    def recording_runner(*args):
        runner = real_runner(*args)
        targets.append((runner.batch_size, runner.target_ms))
        return runner

    monkeypatch.setattr(retention, "_Runner", recording_runner)
    settings.RETENTION_BATCH_SIZE = 500
    settings.RETENTION_BATCH_TARGET_MS = 40
    retention.retention_run()
    retention.retention_run(batch_size=3)
    settings.RETENTION_BATCH_TARGET_MS = 0
    retention.retention_run()
    assert targets == [(500, 40.0), (3, 0.0), (500, 0.0)]
