"""The daily jobs: `learnward periodic` for cron, and the worker's self-scheduling task."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks_db.models import DBTaskResult

from learnward.audit.actions import Action
from learnward.audit.models import AuditEntry
from learnward.core import periodic
from learnward.core.tasks import run_periodic_jobs
from learnward.privacy.records.models import NoticeVersion
from learnward.privacy.retention.models import RetentionRun

from .retention_support import aware

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_next_run_is_the_next_configured_hour_in_local_time(settings):
    settings.PERIODIC_HOUR = 3
    assert periodic.next_run_after(aware(2030, 7, 1, 2, 59)) == aware(2030, 7, 1, 3, 0)
    assert periodic.next_run_after(aware(2030, 7, 1, 3, 0)) == aware(2030, 7, 2, 3, 0)
    # Across the clocks going back in October the run stays at 03:00 local time.
    assert periodic.next_run_after(aware(2030, 10, 26, 23, 0)) == aware(2030, 10, 27, 3, 0)


def test_periodic_runs_every_configured_command_and_reports_each(settings, capsys):
    settings.PERIODIC_COMMANDS = ["retention", "privacy_notice"]
    call_command("periodic")
    out = capsys.readouterr().out
    assert "retention: ok" in out and "privacy_notice: ok" in out
    assert RetentionRun.objects.get().status == RetentionRun.Status.COMPLETED
    assert NoticeVersion.objects.count() == 1


def test_a_failing_command_does_not_stop_the_others(settings, capsys):
    settings.PERIODIC_COMMANDS = ["no_such_command", "retention"]
    with pytest.raises(CommandError, match="1 periodic command"):
        call_command("periodic")
    out = capsys.readouterr().out
    assert "no_such_command: failed" in out
    assert "retention: ok" in out
    assert AuditEntry.objects.filter(action=Action.RETENTION_RUN).count() == 1


def test_schedule_enqueues_one_deferred_run(database_backend, capsys):
    with time_machine.travel(aware(2030, 7, 1, 12, 0), tick=False):
        call_command("periodic", "--schedule")
        call_command("periodic", "--schedule")
    out = capsys.readouterr().out
    assert "scheduled for 2030-07-02 03:00" in out
    assert "already scheduled" in out
    waiting = DBTaskResult.objects.get()
    assert waiting.task_path == run_periodic_jobs.module_path
    assert waiting.run_after == aware(2030, 7, 2, 3, 0)


def test_each_daily_run_schedules_the_next(database_backend, settings):
    settings.PERIODIC_COMMANDS = ["retention"]
    with time_machine.travel(aware(2030, 7, 2, 3, 0, 5), tick=False):
        results = run_periodic_jobs.call()
    assert results == {"retention": "ok"}
    assert RetentionRun.objects.count() == 1
    waiting = DBTaskResult.objects.get(status="READY")
    assert waiting.run_after == aware(2030, 7, 3, 3, 0)


def test_the_worker_runs_the_scheduled_task_when_it_is_due(database_backend, settings, monkeypatch):
    settings.PERIODIC_COMMANDS = ["retention"]
    # The real worker loop, except that it must not close the test's in-memory database.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    with time_machine.travel(aware(2030, 7, 1, 12, 0), tick=False):
        periodic.periodic_schedule()
        call_command("db_worker", "--batch", "--no-startup-delay")
        assert not RetentionRun.objects.exists()  # not due yet
    with time_machine.travel(aware(2030, 7, 2, 3, 1), tick=False):
        call_command("db_worker", "--batch", "--no-startup-delay")
    assert RetentionRun.objects.count() == 1
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1
    nxt = DBTaskResult.objects.get(status="READY")
    assert nxt.run_after == aware(2030, 7, 3, 3, 0)


def test_scheduling_needs_a_backend_that_can_defer(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with pytest.raises(CommandError, match="use cron"):
        call_command("periodic", "--schedule")


def test_a_run_scheduled_in_the_past_is_still_only_one(database_backend):
    with time_machine.travel(aware(2030, 7, 1, 12, 0), tick=False):
        periodic.periodic_schedule()
    with time_machine.travel(aware(2030, 7, 5, 12, 0) + timedelta(hours=1), tick=False):
        assert periodic.periodic_schedule() is None
    assert DBTaskResult.objects.count() == 1
