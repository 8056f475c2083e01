"""Reading assessments, attempts and results. A learner reaches only their own attempts.

Attempts belong to a cycle of the learner's enrolment; "the learner's attempts" and "passed"
mean the current cycle's unless a cycle is named (a renewal starts the count again).
"""

from __future__ import annotations

from django.db.models import Count, Max, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from learnward.catalog.models import Course

from .models import Answer, Assessment, Attempt, Choice, Question


def assessment_for_course(*, course: Course) -> Assessment | None:
    """The course's assessment; no query when the course was loaded with it (select_related)."""
    try:
        return course.assessment
    except Assessment.DoesNotExist:
        return None


def assessment_with_questions(*, assessment: Assessment) -> list[Question]:
    return list(
        Question.objects.filter(assessment=assessment).prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("position", "id"))
        )
    )


def assessment_problems(*, assessment: Assessment) -> list[str]:
    """What stops learners taking this assessment (empty when it is ready)."""
    questions = assessment_with_questions(assessment=assessment)
    if not questions:
        return ["The assessment has no questions yet."]
    problems = []
    for number, question in enumerate(questions, start=1):
        choices = list(question.choices.all())
        correct = sum(1 for c in choices if c.is_correct)
        single = question.kind != Question.Kind.MULTIPLE
        if len(choices) < 2:
            problems.append(f"Question {number} needs at least two choices.")
        elif question.kind == Question.Kind.TRUE_FALSE and len(choices) != 2:
            problems.append(f"Question {number} (true or false) needs exactly two choices.")
        if correct == 0 or (single and correct != 1):
            problems.append(
                f"Question {number} needs {'exactly one' if single else 'at least one'} "
                "correct choice."
            )
    return problems


def current_cycle(*, course, user=None) -> Coalesce:
    """The attempt's learner's current enrolment cycle on ``course``, as an expression for
    filtering attempts (1 when there is no enrolment). Given ``user`` the lookup runs once."""
    from learnward.learning.models import Enrolment

    cycle = Enrolment.objects.filter(
        user=user if user is not None else OuterRef("user_id"), course=course
    ).values("cycle")[:1]
    return Coalesce(Subquery(cycle), Value(1))


def attempts_for(*, user, assessment: Assessment, cycle: int | None = None) -> list[Attempt]:
    """The learner's attempts in ``cycle`` (by default the current one), in order."""
    if not user.is_authenticated:
        return []
    attempts = Attempt.objects.filter(user=user, assessment=assessment)
    if cycle is None:
        attempts = attempts.filter(cycle=current_cycle(user=user, course=assessment.course_id))
    else:
        attempts = attempts.filter(cycle=cycle)
    return list(attempts.order_by("number"))


def assessment_passed(*, user, course: Course, cycle: int | None = None) -> bool:
    """Whether ``user`` passed ``course``'s assessment in ``cycle`` (by default the current
    one); a course without an assessment needs no pass."""
    assessment = assessment_for_course(course=course)
    if assessment is None:
        return True
    attempts = Attempt.objects.filter(user=user, assessment=assessment, passed=True)
    if cycle is None:
        return attempts.filter(cycle=current_cycle(user=user, course=course)).exists()
    return attempts.filter(cycle=cycle).exists()


def attempt_get(*, actor, attempt_id: int) -> Attempt:
    """The acting learner's own attempt; anyone else's (or none) is a 404."""
    attempt = (
        Attempt.objects.select_related("assessment__course")
        .filter(pk=attempt_id, user_id=getattr(actor, "pk", None))
        .first()
    )
    if attempt is None:
        raise Http404("No such attempt")
    return attempt


def attempt_answers(*, attempt: Attempt) -> dict[int, Answer]:
    answers = Answer.objects.filter(attempt=attempt).prefetch_related("choices")
    return {answer.question_id: answer for answer in answers}


def results_by_user(*, course: Course, user_ids: list[int]) -> dict[int, dict]:
    """Attempts used, best score and whether passed in each learner's current cycle, in one
    query (for tutors)."""
    rows = (
        Attempt.objects.filter(assessment__course=course, user_id__in=user_ids)
        .filter(cycle=current_cycle(course=course))
        .values("user_id")
        .annotate(
            attempts=Count("id"),
            best_score=Max("score"),
            passes=Count("id", filter=Q(passed=True)),
        )
    )
    return {
        row["user_id"]: {
            "attempts": row["attempts"],
            "best_score": row["best_score"],
            "passed": row["passes"] > 0,
        }
        for row in rows
    }


def attempts_for_learner(*, actor, course: Course, user_id: int) -> list[Attempt]:
    """A learner's attempts on a course in every cycle, for the learner or a tutor of the
    course; else 404."""
    if getattr(actor, "pk", None) != user_id:
        from learnward.learning.selectors import tutor_course_get

        tutor_course_get(actor=actor, slug=course.slug)
    return list(
        Attempt.objects.filter(assessment__course=course, user_id=user_id).order_by(
            "cycle", "number"
        )
    )
