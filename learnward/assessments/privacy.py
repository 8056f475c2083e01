from learnward.privacy.registry import Erasure, Retention, RetentionAction, declare
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import Answer, Assessment, Attempt, Choice, Question

declare(
    Assessment,
    fields={
        n: NOT_PERSONAL for n in ("id", "course", "title", "instructions", "time_limit_minutes")
    },
)
declare(
    Question,
    fields={
        n: NOT_PERSONAL
        for n in (
            "id",
            "assessment",
            "position",
            "kind",
            "text",
            "explanation",
            "points",
            "partial_credit",
        )
    },
)
declare(
    Choice, fields={n: NOT_PERSONAL for n in ("id", "question", "position", "text", "is_correct")}
)


def _results_rule(anchor: str) -> Retention:
    # The seeds: exam results are kept for two years, then destroyed. Certificates are separate
    # snapshots and are not affected.
    return Retention(
        description="2 years after the attempt was submitted, then destroyed; your certificate "
        "is a separate record and is not affected",
        anchor=anchor,
        months=24,
        minimum_months=12,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_RESULTS_MONTHS",
    )


declare(
    Attempt,
    subject="user",
    fields={
        "id": NOT_PERSONAL,
        "assessment": "user.assessment.results",
        "user": "user.unique_id",
        "cycle": "user.assessment.results",
        "number": "user.assessment.results",
        "started_at": "user.assessment.results",
        "deadline": "user.assessment.results",
        "submitted_at": "user.assessment.results",
        "timed_out": "user.assessment.results",
        "points_awarded": "user.assessment.results",
        "points_possible": "user.assessment.results",
        "score": "user.assessment.results",
        "passed": "user.assessment.results",
    },
    purposes=["assessment"],
    erasure=Erasure.delete(),
    retention=_results_rule("submitted_at"),
    source="You, when you take an assessment",
    label="Your assessment attempts and results",
)
declare(
    Answer,
    subject="attempt__user",
    fields={
        "id": NOT_PERSONAL,
        "attempt": "user.assessment.answers",
        "question": "user.assessment.answers",
        "choices": "user.assessment.answers",
        "correct": "user.assessment.results",
        "points_awarded": "user.assessment.results",
    },
    purposes=["assessment"],
    erasure=Erasure.delete(),
    retention=_results_rule("attempt__submitted_at"),
    source="You, when you take an assessment",
    label="Your assessment answers",
)
declare(
    Answer.choices.through,
    subject="answer__attempt__user",
    fields={
        "id": NOT_PERSONAL,
        "answer": "user.assessment.answers",
        "choice": "user.assessment.answers",
    },
    purposes=["assessment"],
    erasure=Erasure.delete(),
    retention=_results_rule("answer__attempt__submitted_at"),
    source="You, when you take an assessment",
    label="Choices you picked",
)
