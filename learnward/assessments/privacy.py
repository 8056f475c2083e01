from django.utils.translation import gettext_lazy

from learnward.privacy.registry import Erasure, Retention, RetentionAction, declare
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import (
    Answer,
    Assessment,
    Attempt,
    Choice,
    CriterionMark,
    DrawRule,
    Marking,
    Question,
    QuestionCategory,
    RubricCriterion,
)

declare(
    Assessment,
    fields={
        n: NOT_PERSONAL
        for n in (
            "id",
            "course",
            "module",
            "title",
            "instructions",
            "time_limit_minutes",
            "shuffle_questions",
            "shuffle_choices",
            "second_marking",
        )
    },
)
declare(QuestionCategory, fields={n: NOT_PERSONAL for n in ("id", "course", "name", "position")})
declare(DrawRule, fields={n: NOT_PERSONAL for n in ("id", "assessment", "category", "count")})
declare(
    RubricCriterion,
    fields={n: NOT_PERSONAL for n in ("id", "question", "position", "text", "max_marks")},
)
declare(
    Question,
    fields={
        n: NOT_PERSONAL
        for n in (
            "id",
            "course",
            "category",
            "position",
            "kind",
            "text",
            "explanation",
            "points",
            "partial_credit",
            "match",
            "numeric_answer",
            "numeric_tolerance",
            "retired_at",
        )
    },
)
declare(
    Choice,
    fields={
        n: NOT_PERSONAL for n in ("id", "question", "position", "text", "match_text", "is_correct")
    },
)


def _results_rule(anchor: str) -> Retention:
    # The seeds: exam results are kept for two years, then destroyed. Certificates are separate
    # snapshots and are not affected.
    return Retention(
        description=gettext_lazy(
            "2 years after the attempt was submitted, then destroyed; your certificate "
            "is a separate record and is not affected"
        ),
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
        "marking_pending": "user.assessment.results",
        # Which questions the attempt drew, in the order shown: part of the learner's answers.
        "draw": "user.assessment.answers",
    },
    purposes=["assessment"],
    erasure=Erasure.delete(),
    retention=_results_rule("submitted_at"),
    source=gettext_lazy("You, when you take an assessment"),
    label=gettext_lazy("Your assessment attempts and results"),
)
declare(
    Answer,
    subject="attempt__user",
    fields={
        "id": NOT_PERSONAL,
        "attempt": "user.assessment.answers",
        "question": "user.assessment.answers",
        "choices": "user.assessment.answers",
        # Short answers, numbers and essays as written; matches and orders as given.
        "text": "user.assessment.answers",
        "response": "user.assessment.answers",
        "correct": "user.assessment.results",
        "points_awarded": "user.assessment.results",
    },
    purposes=["assessment"],
    erasure=Erasure.delete(),
    retention=_results_rule("attempt__submitted_at"),
    source=gettext_lazy("You, when you take an assessment"),
    label=gettext_lazy("Your assessment answers"),
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
    source=gettext_lazy("You, when you take an assessment"),
    label=gettext_lazy("Choices you picked"),
)

# A tutor's marks and written feedback on an essay, and the second marker's moderation, are part
# of the learner's answers and result (like an exam's teacher's note): exported with them, erased
# with the learner, and destroyed with the attempt after the results period.
declare(
    Marking,
    subject="answer__attempt__user",
    fields={
        "id": NOT_PERSONAL,
        "answer": "user.assessment.answers",
        "marker": "user.assessment.answers",
        "marked_at": "user.assessment.answers",
        "feedback": "user.assessment.answers",
        "first_marks": "user.assessment.results",
        "moderator": "user.assessment.answers",
        "moderated_at": "user.assessment.answers",
        "moderation_agreed": "user.assessment.results",
        "moderation_note": "user.assessment.answers",
    },
    purposes=["assessment"],
    erasure=Erasure.delete(),
    retention=_results_rule("answer__attempt__submitted_at"),
    source=gettext_lazy("Your tutor, when they mark a written answer"),
    label=gettext_lazy("Your tutor's marks and feedback"),
)
declare(
    CriterionMark,
    subject="marking__answer__attempt__user",
    fields={
        "id": NOT_PERSONAL,
        "marking": "user.assessment.results",
        "criterion": "user.assessment.results",
        "marks": "user.assessment.results",
    },
    purposes=["assessment"],
    erasure=Erasure.delete(),
    retention=_results_rule("marking__answer__attempt__submitted_at"),
    source=gettext_lazy("Your tutor, when they mark a written answer"),
    label=gettext_lazy("Your marks against the rubric"),
)
