"""Background tasks for retention, breach notices and the daily schedule. Thin: call a service."""

from __future__ import annotations

from django_tasks import task


@task()
def send_breach_notifications(*, breach_id: int) -> int:
    from .breaches import breach_send_notifications

    return breach_send_notifications(breach_id=breach_id)


@task()
def run_periodic_jobs() -> dict:
    """The worker's own daily schedule: run the periodic commands, then enqueue the next run."""
    from .periodic import periodic_run_and_reschedule

    return periodic_run_and_reschedule()
