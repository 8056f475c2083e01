"""Reading assessments, attempts and results. A learner reaches only their own attempts.

Attempts belong to a cycle of the learner's enrolment; "the learner's attempts" and "passed"
mean the current cycle's unless a cycle is named (a renewal starts the count again).
"""

from __future__ import annotations

from django.db.models import Count, Max, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from learnward.catalog.models import Course

from .models import Answer, Assessment, Attempt, Choice, Question, QuestionCategory


def assessment_for_course(*, course: Course) -> Assessment | None:
    """The course's assessment; no query when the course was loaded with it (select_related)."""
    try:
        return course.assessment
    except Assessment.DoesNotExist:
        return None


def assessment_question_count(*, assessment: Assessment) -> int:
    """How many questions each attempt draws."""
    return sum(rule.count for rule in assessment.rules.all())


def attempt_questions(*, attempt: Attempt) -> list[tuple[Question, list[Choice]]]:
    """The attempt's drawn questions in the order shown, each with its choices in the order
    shown (both stored with the attempt, so a resumed attempt shows the same)."""
    ids = [item["question"] for item in attempt.draw]
    questions = {
        q.pk: q
        for q in Question.objects.filter(pk__in=ids).prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("position", "id")), "criteria"
        )
    }
    drawn = []
    for item in attempt.draw:
        question = questions.get(item["question"])
        if question is None:
            continue
        by_id = {c.pk: c for c in question.choices.all()}
        drawn.append((question, [by_id[c] for c in item["choices"] if c in by_id]))
    return drawn


def question_problems(question: Question) -> list[str]:
    """What is wrong with one bank question (empty when learners can be given it)."""
    choices = list(question.choices.all())
    kind = question.kind
    problems = []
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.TRUE_FALSE):
        correct = sum(1 for c in choices if c.is_correct)
        single = kind != Question.Kind.MULTIPLE
        if len(choices) < 2:
            problems.append("needs at least two choices.")
        elif kind == Question.Kind.TRUE_FALSE and len(choices) != 2:
            problems.append("(true or false) needs exactly two choices.")
        if correct == 0 or (single and correct != 1):
            problems.append(f"needs {'exactly one' if single else 'at least one'} correct choice.")
    elif kind == Question.Kind.SHORT and not any(c.is_correct for c in choices):
        problems.append("needs at least one accepted answer.")
    elif kind == Question.Kind.NUMERIC and question.numeric_answer is None:
        problems.append("needs the right number.")
    elif kind in (Question.Kind.MATCHING, Question.Kind.ORDERING) and len(choices) < 2:
        problems.append(
            "needs at least two pairs." if kind == Question.Kind.MATCHING else "needs two items."
        )
    elif kind == Question.Kind.ESSAY:
        criteria = list(question.criteria.all())
        if not criteria:
            problems.append("needs a rubric with at least one criterion.")
        elif sum(c.max_marks for c in criteria) != question.points:
            problems.append("is worth a different number of points than its rubric's marks.")
    return problems


def assessment_problems(*, assessment: Assessment) -> list[str]:
    """What stops learners taking this assessment (empty when it is ready)."""
    rules = list(assessment.rules.select_related("category"))
    if not rules:
        return ["The assessment has no questions yet."]
    problems = []
    for rule in rules:
        pool = list(
            Question.objects.filter(category=rule.category, retired_at__isnull=True)
            .order_by("position", "id")
            .prefetch_related("choices", "criteria")
        )
        if len(pool) < rule.count:
            problems.append(
                f"{rule.category.name}: {rule.count} questions are drawn but only "
                f"{len(pool)} {'is' if len(pool) == 1 else 'are'} in use."
            )
        for number, question in enumerate(pool, start=1):
            problems += [
                f"{rule.category.name}, question {number} {p}" for p in question_problems(question)
            ]
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
        Attempt.objects.select_related("assessment__course", "assessment__module__course")
        .filter(pk=attempt_id, user_id=getattr(actor, "pk", None))
        .first()
    )
    if attempt is None:
        raise Http404("No such attempt")
    return attempt


def attempt_answers(*, attempt: Attempt) -> dict[int, Answer]:
    answers = (
        Answer.objects.filter(attempt=attempt)
        .select_related("marking")
        .prefetch_related("choices", "marking__marks__criterion")
    )
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
