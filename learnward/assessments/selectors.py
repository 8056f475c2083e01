"""Reading assessments, attempts and results. A learner reaches only their own attempts.

Attempts belong to a cycle of the learner's enrolment; "the learner's attempts" and "passed"
mean the current cycle's unless a cycle is named (a renewal starts the count again).
"""

from __future__ import annotations

from django.db.models import Count, Max, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
    """What is wrong with one bank question (empty when learners can be given it), each a
    phrase such as "at least two choices needed", in the active language."""
    choices = list(question.choices.all())
    kind = question.kind
    problems = []
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.TRUE_FALSE):
        correct = sum(1 for c in choices if c.is_correct)
        single = kind != Question.Kind.MULTIPLE
        if len(choices) < 2:
            problems.append(_("at least two choices needed"))
        elif kind == Question.Kind.TRUE_FALSE and len(choices) != 2:
            problems.append(_("exactly two choices needed (true or false)"))
        if correct == 0 or (single and correct != 1):
            problems.append(
                _("exactly one correct choice needed")
                if single
                else _("at least one correct choice needed")
            )
    elif kind == Question.Kind.SHORT and not any(c.is_correct for c in choices):
        problems.append(_("at least one accepted answer needed"))
    elif kind == Question.Kind.NUMERIC and question.numeric_answer is None:
        problems.append(_("the right number is missing"))
    elif kind in (Question.Kind.MATCHING, Question.Kind.ORDERING) and len(choices) < 2:
        problems.append(
            _("at least two pairs needed")
            if kind == Question.Kind.MATCHING
            else _("at least two items needed")
        )
    elif kind == Question.Kind.ESSAY:
        criteria = list(question.criteria.all())
        if not criteria:
            problems.append(_("a rubric with at least one criterion needed"))
        elif sum(c.max_marks for c in criteria) != question.points:
            problems.append(_("its points differ from the total of its rubric's marks"))
    return problems


def assessment_problems(*, assessment: Assessment) -> list[str]:
    """What stops learners taking this assessment (empty when it is ready)."""
    rules = list(assessment.rules.select_related("category"))
    if not rules:
        return [_("The assessment has no questions yet.")]
    problems = []
    for rule in rules:
        pool = list(
            Question.objects.filter(category=rule.category, retired_at__isnull=True)
            .order_by("position", "id")
            .prefetch_related("choices", "criteria")
        )
        if len(pool) < rule.count:
            problems.append(
                ngettext(
                    "%(category)s: %(drawn)s questions are drawn but only %(count)s is in use.",
                    "%(category)s: %(drawn)s questions are drawn but only %(count)s are in use.",
                    len(pool),
                )
                % {"category": rule.category.name, "drawn": rule.count, "count": len(pool)}
            )
        for number, question in enumerate(pool, start=1):
            problems += [
                _("%(category)s, question %(number)s: %(problem)s.")
                % {"category": rule.category.name, "number": number, "problem": p}
                for p in question_problems(question)
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


# --- the studio: authors -----------------------------------------------------------------------

AUTHOR_PERMISSION = "assessments.author_assessments"
MARKER_PERMISSION = "assessments.mark_essays"


def author_course_get(*, actor, slug: str) -> Course:
    """A course for an author to work on (authors see every course); anyone else: 404."""
    from learnward.core.access import staff_powers

    if not staff_powers(actor, AUTHOR_PERMISSION):
        raise Http404("No such course")
    course = Course.objects.filter(slug=slug).first()
    if course is None:
        raise Http404("No such course")
    return course


def bank_categories(*, course: Course) -> list[QuestionCategory]:
    """The course's categories, each with its questions (``.bank``) in bank order and the
    number in use (not retired)."""
    categories = list(QuestionCategory.objects.filter(course=course))
    questions = Question.objects.filter(course=course).prefetch_related("choices", "criteria")
    by_category: dict[int, list[Question]] = {}
    for question in questions.order_by("position", "id"):
        question.problems = question_problems(question)
        by_category.setdefault(question.category_id, []).append(question)
    for category in categories:
        category.bank = by_category.get(category.pk, [])
        category.in_use = sum(1 for q in category.bank if q.retired_at is None)
    return categories


def bank_question_get(*, course: Course, question_id: int) -> Question:
    question = (
        Question.objects.filter(course=course, pk=question_id)
        .prefetch_related("choices", "criteria")
        .first()
    )
    if question is None:
        raise Http404("No such question")
    return question


def course_quizzes(*, course: Course) -> list[Assessment]:
    return list(
        Assessment.objects.filter(module__course=course, module__retired_at__isnull=True)
        .select_related("module")
        .prefetch_related("rules__category")
        .order_by("module__position", "module_id")
    )


def course_quiz_get(*, course: Course, quiz_id: int) -> Assessment:
    quiz = Assessment.objects.filter(pk=quiz_id, module__course=course).first()
    if quiz is None:
        raise Http404("No such quiz")
    return quiz


def course_quizzes_for_learner(*, course: Course) -> list[Assessment]:
    """The live modules' quizzes that can be taken (for the course page)."""
    return [q for q in course_quizzes(course=course) if not assessment_problems(assessment=q)]


# --- analytics ---------------------------------------------------------------------------------


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return sxy / (sxx * syy) ** 0.5


def question_analytics(*, course: Course) -> list[dict]:
    """Per bank question, from the answers in submitted attempts with a result (not timed out,
    not pending marking) on any of the course's assessments and quizzes:

    - ``answers``: how many;
    - ``facility``: the share of those answers that were fully right (0 to 1);
    - ``discrimination``: the corrected point-biserial correlation (-1 to 1) between getting
      this question fully right (1 or 0) and the learner's score on the rest of the attempt
      (points on the other questions / points possible on them). Near 0 or negative: strong
      and weak learners do about as well, so the question does not tell them apart (often a
      wrong key or an ambiguous wording).

    Small numbers are suppressed with the dashboard's threshold (``LEARNWARD_INSIGHTS_MIN_COUNT``):
    a question answered fewer times shows only "fewer than N", with no facility or
    discrimination, since either would describe a handful of identifiable learners.
    """
    from django.conf import settings

    threshold = settings.INSIGHTS_MIN_COUNT
    rows = Answer.objects.filter(
        question__course=course,
        attempt__submitted_at__isnull=False,
        attempt__timed_out=False,
        attempt__marking_pending=False,
    ).values_list(
        "question_id",
        "correct",
        "points_awarded",
        "question__points",
        "attempt__points_awarded",
        "attempt__points_possible",
    )
    data: dict[int, list[tuple[float, float]]] = {}
    for qid, correct, got, worth, total, possible in rows:
        rest_possible = (possible or 0) - worth
        rest = float((total or 0) - got) / rest_possible if rest_possible > 0 else 0.0
        data.setdefault(qid, []).append((1.0 if correct else 0.0, rest))
    result = []
    for category in bank_categories(course=course):
        for question in category.bank:
            pairs = data.get(question.pk, [])
            n = len(pairs)
            row = {
                "question": question,
                "category": category,
                "answers": n,
                "suppressed": 0 < n < threshold,
                "threshold": threshold,
                "facility": None,
                "discrimination": None,
                "flag": "",
            }
            if n >= threshold:
                xs = [x for x, _y in pairs]
                row["facility"] = sum(xs) / n
                row["discrimination"] = _pearson(xs, [y for _x, y in pairs])
                if row["facility"] < 0.2:
                    row["flag"] = _("Very hard: check the right answer is marked correctly.")
                elif row["discrimination"] is not None and row["discrimination"] < 0.2:
                    row["flag"] = _("Does not tell stronger and weaker learners apart: check it.")
                elif row["facility"] > 0.95:
                    row["flag"] = _("Almost everyone gets it right.")
            result.append(row)
    return result


# --- the marking queue: tutors -----------------------------------------------------------------


def _tutored_course_ids(actor) -> list[int]:
    from learnward.core.access import staff_powers
    from learnward.learning.selectors import tutor_courses

    if not staff_powers(actor, MARKER_PERMISSION):
        return []
    return list(tutor_courses(actor=actor).values_list("pk", flat=True))


def _essays_for(actor):
    ids = _tutored_course_ids(actor)
    return (
        Answer.objects.filter(
            question__kind=Question.Kind.ESSAY,
            attempt__submitted_at__isnull=False,
            question__course_id__in=ids,
        )
        .select_related(
            "attempt__user",
            "attempt__assessment__course",
            "attempt__assessment__module__course",
            "question",
        )
        .order_by("attempt__submitted_at", "id")
    )


def marking_queue(*, actor) -> list[dict]:
    """Essays waiting on ``actor`` in the courses they tutor, oldest first: to mark, or (with
    second marking) to moderate when another tutor marked them. Another tutor's course's essays
    never appear."""
    from .models import Marking

    essays = list(_essays_for(actor).filter(attempt__marking_pending=True))
    markings = {m.answer_id: m for m in Marking.objects.filter(answer__in=essays)}
    queue = []
    for answer in essays:
        marking = markings.get(answer.pk)
        if marking is None:
            status, waiting = _("To mark"), False
        elif marking.moderated_at is None and answer.attempt.assessment.second_marking:
            if marking.marker_id == actor.pk:
                status, waiting = _("Waiting for a second marker"), True
            else:
                status, waiting = _("To moderate"), False
        else:
            continue
        queue.append({"answer": answer, "status": status, "waiting": waiting})
    return queue


def marking_answer_get(*, actor, answer_id: int) -> Answer:
    """An essay answer in a course ``actor`` tutors; anything else is a 404."""
    answer = _essays_for(actor).filter(pk=answer_id).prefetch_related("question__criteria").first()
    if answer is None:
        raise Http404("No such answer")
    return answer
