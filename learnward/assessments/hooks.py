"""What assessments add to learning, registered in apps.py (see learnward.learning.extensions):
the completion requirement (the course's assessment passed in the cycle), the assessment on the
course page, and learners' results on the tutor pages."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from learnward.learning.extensions import LearnerColumns, NextStep, Section

from .selectors import (
    assessment_for_course,
    attempts_for,
    attempts_for_learner,
    course_quizzes_for_learner,
    results_by_user,
)


def assessment_next_step(*, course) -> NextStep | None:
    """The assessment's overview, for a course that has one."""
    if assessment_for_course(course=course) is None:
        return None
    return NextStep(
        url=reverse("assessments:overview", args=[course.slug]), label=_("Go to the assessment")
    )


def course_page_section(*, user, course, enrolment) -> Section | None:
    """The assessment's facts, the button to it and the viewer's attempts in this cycle, and
    the practice quizzes after modules."""
    assessment = assessment_for_course(course=course)
    quizzes = course_quizzes_for_learner(course=course)
    if assessment is None and not quizzes:
        return None
    attempts = attempts_for(user=user, assessment=assessment) if assessment else []
    return Section(
        "assessments/_course_page.html",
        {
            "assessment": assessment,
            "attempts": attempts,
            "passed": any(a.passed for a in attempts),
            "quizzes": quizzes,
        },
    )


_NO_RESULTS = {"attempts": 0, "best_score": None, "passed": False, "status": ""}


def tutor_learner_columns(*, actor, course, user_ids: list[int]) -> LearnerColumns:
    """Attempts used and best score in each learner's current cycle; "Passed" as the status of
    a learner who passed but has not completed. Shown whether or not the course has an
    assessment (learning has checked that ``actor`` tutors ``course``)."""
    results = results_by_user(course=course, user_ids=user_ids)
    by_user = {
        user_id: {**result, "status": _("Passed") if result["passed"] else ""}
        for user_id, result in results.items()
    }
    return LearnerColumns("assessments/_tutor_columns.html", by_user, default=_NO_RESULTS)


def tutor_learner_section(*, actor, course, enrolment) -> Section:
    """The learner's attempts on the course in every cycle."""
    attempts = attempts_for_learner(actor=actor, course=course, user_id=enrolment.user_id)
    return Section("assessments/_tutor_learner.html", {"attempts": attempts})
