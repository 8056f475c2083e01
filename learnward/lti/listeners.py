"""Domain events the LTI tool listens to (subscribed in apps.py): a completion or an
assessment result of a course launched from a platform queues a score for its gradebook."""

from __future__ import annotations


def on_course_completed(*, event: str, user_id: int, course_id: int, **data) -> None:
    from .models import LtiScore
    from .services import scores_queue

    scores_queue(user_id=user_id, course_id=course_id, reason=LtiScore.Reason.COMPLETED)


def on_assessment_result(*, event: str, attempt_id: int, user_id: int, course_id: int) -> None:
    from .models import LtiScore
    from .services import scores_queue

    scores_queue(
        user_id=user_id,
        course_id=course_id,
        reason=LtiScore.Reason.ASSESSMENT,
        attempt_id=attempt_id,
    )
