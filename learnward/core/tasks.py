"""The worker's own daily schedule. Thin: call the runner."""

from __future__ import annotations

from django_tasks import task


@task()
def run_periodic_jobs() -> dict:
    """Run the periodic commands, then enqueue the next run."""
    from learnward.core.periodic import periodic_run_and_reschedule

    return periodic_run_and_reschedule()
