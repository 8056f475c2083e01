"""The daily jobs, for cron or for the task worker's own schedule.

django-tasks has no periodic scheduler, so the worker schedules itself: ``learnward periodic
--schedule`` enqueues :func:`~learnward.core.tasks.run_periodic_jobs` with ``run_after`` set to
the next ``LEARNWARD_PERIODIC_HOUR`` (local time); each run executes the daily jobs and enqueues
the next one. The daily jobs are the commands the apps register with :func:`register_daily_job`,
or ``LEARNWARD_PERIODIC_COMMANDS`` when the operator names them. Scheduling is idempotent: a run is
enqueued only when none is waiting. With cron, call ``learnward periodic`` once a day instead
(or each command separately). See docs/operator-guide.md.
"""

from __future__ import annotations

import io
import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

logger = logging.getLogger(__name__)


# The daily jobs the apps registered (management command names), in registration order, which is
# INSTALLED_APPS order: each app registers its own from its AppConfig.ready().
_DAILY_JOBS: list[str] = []


def register_daily_job(command: str) -> None:
    """Run the management command ``command`` once a day (registering twice changes nothing)."""
    if command not in _DAILY_JOBS:
        _DAILY_JOBS.append(command)


def registered_daily_jobs() -> list[str]:
    return list(_DAILY_JOBS)


def periodic_commands() -> list[str]:
    """LEARNWARD_PERIODIC_COMMANDS when the operator set it, otherwise every registered job."""
    return list(getattr(settings, "PERIODIC_COMMANDS", None) or _DAILY_JOBS)


def run_periodic() -> dict[str, str]:
    """Run every periodic command; one failing does not stop the others. Returns each result."""
    results: dict[str, str] = {}
    for name in periodic_commands():
        out = io.StringIO()
        try:
            call_command(name, stdout=out, stderr=out)
        except Exception as exc:  # noqa: BLE001 - report and carry on with the other jobs
            logger.exception("periodic command failed: %s", name)
            results[name] = f"failed: {type(exc).__name__}: {exc}"
        else:
            results[name] = "ok"
    return results


def next_run_after(now: datetime | None = None) -> datetime:
    """The next ``LEARNWARD_PERIODIC_HOUR`` o'clock (local time) strictly after ``now``."""
    now = timezone.localtime(now or timezone.now())
    hour = getattr(settings, "PERIODIC_HOUR", 3)
    candidate = timezone.make_aware(datetime.combine(now.date(), time(hour)))
    if candidate <= now:
        candidate = timezone.make_aware(
            datetime.combine(now.date() + timedelta(days=1), time(hour))
        )
    return candidate


def _waiting_runs() -> int | None:
    """How many scheduled runs wait in the database queue (None if the backend cannot say)."""
    from learnward.core.tasks import run_periodic_jobs

    try:
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.models import DBTaskResult
    except ImportError:
        return None
    if not isinstance(run_periodic_jobs.get_backend(), DatabaseBackend):
        return None

    return DBTaskResult.objects.filter(
        task_path=run_periodic_jobs.module_path, status="READY"
    ).count()


def periodic_schedule(*, now: datetime | None = None) -> datetime | None:
    """Enqueue the next daily run unless one is already waiting. Returns when it will run, or
    None if one was already waiting. Raises if the backend cannot defer tasks."""
    from learnward.core.tasks import run_periodic_jobs

    if not run_periodic_jobs.get_backend().supports_defer:
        raise RuntimeError(
            "The task backend cannot run tasks later (run_after); use cron with "
            "`learnward periodic` instead."
        )
    if _waiting_runs():
        return None
    run_after = next_run_after(now)
    run_periodic_jobs.using(run_after=run_after).enqueue()
    return run_after


def periodic_run_and_reschedule() -> dict[str, str]:
    try:
        return run_periodic()
    finally:
        from learnward.core.tasks import run_periodic_jobs

        if run_periodic_jobs.get_backend().supports_defer:
            periodic_schedule()
