"""Background work for exams: recording the completions a release leads to, at its time."""

from django_tasks import task


@task()
def release_sitting(sitting_id: int) -> None:
    """Queued for the release time when it is set; the daily ``exams_release`` job catches any
    the queue missed. Safe to run twice."""
    from .services import exam_results_release_due

    exam_results_release_due()


def schedule_release(*, sitting_id: int, at) -> None:
    """Queue :func:`release_sitting` for ``at`` when the task backend can defer work; otherwise
    the daily job does it."""
    if getattr(release_sitting.get_backend(), "supports_defer", False):
        release_sitting.using(run_after=at).enqueue(sitting_id=sitting_id)
