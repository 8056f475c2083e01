"""Background work for the LTI tool: sending a score to a platform, retried with backoff."""

from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task


@task()
def lti_score_send(score_id: int) -> None:
    from .services import retry_delay, score_send

    score = score_send(score_id=score_id)
    delay = retry_delay(score) if score is not None else None
    if delay is not None and default_task_backend.supports_defer:
        run_after = timezone.now() + delay
        transaction.on_commit(lambda: lti_score_send.using(run_after=run_after).enqueue(score_id))
