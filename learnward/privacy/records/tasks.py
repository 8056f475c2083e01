"""Background tasks for breach notices. Thin: call a service."""

from __future__ import annotations

from django_tasks import task


@task()
def send_breach_notifications(*, breach_id: int) -> int:
    from learnward.privacy.records.breaches import breach_send_notifications

    return breach_send_notifications(breach_id=breach_id)
