"""Assessment pages: overview and start, the attempt form, and the result."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnward.catalog.selectors import course_get_visible
from learnward.core.markdown import render_markdown
from learnward.learning.selectors import enrolment_active

from .models import Assessment, Question
from .selectors import (
    assessment_for_course,
    assessment_question_count,
    attempt_answers,
    attempt_get,
    attempt_questions,
    attempts_for,
)
from .services import (
    TIME_LIMIT_GRACE,
    AssessmentError,
    attempt_start,
    attempt_submit,
    attempts_close_overdue,
)

_STATUS = {"invalid": 400, "conflict": 409}


def _course_and_assessment(request, slug: str):
    course = course_get_visible(slug=slug, viewer=request.user)
    assessment = assessment_for_course(course=course)
    if assessment is None:
        raise Http404("This course has no assessment")
    return course, assessment


def _overview(request, course, assessment, *, error: str = "", status: int = 200):
    enrolled = enrolment_active(user=request.user, course=course) is not None
    if enrolled:
        attempts_close_overdue(user=request.user, assessment=assessment)
    attempts = attempts_for(user=request.user, assessment=assessment)
    open_attempt = next((a for a in attempts if a.is_open), None)
    passed = any(a.passed for a in attempts)
    context = {
        "course": course,
        "assessment": assessment,
        "instructions_html": render_markdown(assessment.instructions, heading_offset=2),
        "question_count": assessment_question_count(assessment=assessment),
        "enrolled": enrolled,
        "attempts": attempts,
        "open_attempt": open_attempt,
        "passed": passed,
        "attempts_left": max(course.max_attempts - len(attempts), 0),
        "pending": any(a.marking_pending for a in attempts),
        "error": error,
    }
    return render(request, "assessments/overview.html", context, status=status)


def _quiz(request, slug: str, quiz_id: int):
    course = course_get_visible(slug=slug, viewer=request.user)
    quiz = (
        Assessment.objects.select_related("module__course")
        .filter(pk=quiz_id, module__course=course, module__retired_at__isnull=True)
        .first()
    )
    if quiz is None:
        raise Http404("No such quiz")
    return course, quiz


@login_required
def quiz_overview(request, slug: str, quiz_id: int):
    course, quiz = _quiz(request, slug, quiz_id)
    return _overview(request, course, quiz)


@login_required
@require_POST
def quiz_start(request, slug: str, quiz_id: int):
    course, quiz = _quiz(request, slug, quiz_id)
    try:
        attempt = attempt_start(user=request.user, assessment=quiz)
    except AssessmentError as exc:
        return _overview(
            request, course, quiz, error=exc.message, status=_STATUS.get(exc.code, 400)
        )
    return redirect(attempt.get_absolute_url())


@login_required
def overview(request, slug: str):
    course, assessment = _course_and_assessment(request, slug)
    return _overview(request, course, assessment)


@login_required
@require_POST
def start(request, slug: str):
    course, assessment = _course_and_assessment(request, slug)
    try:
        attempt = attempt_start(user=request.user, assessment=assessment)
    except AssessmentError as exc:
        return _overview(
            request, course, assessment, error=exc.message, status=_STATUS.get(exc.code, 400)
        )
    return redirect(attempt.get_absolute_url())


def _answers_from(post) -> dict[str, list[str]]:
    return {key[2:]: post.getlist(key) for key in post if key.startswith("q-")}


@login_required
def attempt_page(request, attempt_id: int):
    attempt = attempt_get(actor=request.user, attempt_id=attempt_id)
    assessment = attempt.assessment
    course = assessment.owner_course
    error, question_errors, status = "", {}, 200
    if request.method == "POST":
        try:
            attempt_submit(attempt=attempt, actor=request.user, answers=_answers_from(request.POST))
        except AssessmentError as exc:
            if exc.code == "not_found":
                raise Http404("No such attempt") from exc
            status = _STATUS.get(exc.code, 400)
            if exc.code == "conflict":
                attempt.refresh_from_db()
                return render(
                    request,
                    "assessments/closed.html",
                    {"course": course, "attempt": attempt, "error": exc.message},
                    status=status,
                )
            error, question_errors = exc.message, exc.question_errors
        else:
            return redirect("assessments:result", attempt_id=attempt.pk)
    elif not attempt.is_open:
        return redirect("assessments:result", attempt_id=attempt.pk)
    elif attempt.deadline and timezone.now() > attempt.deadline + TIME_LIMIT_GRACE:
        attempts_close_overdue(user=request.user, assessment=assessment)
        messages.error(request, _("The time limit for this attempt ran out."))
        return redirect("assessments:result", attempt_id=attempt.pk)
    sent = _answers_from(request.POST)
    questions = []
    for number, (question, choices) in enumerate(attempt_questions(attempt=attempt), start=1):
        key = str(question.pk)
        picked = set(sent.get(key, ()))
        item = {
            "question": question,
            "number": number,
            "error": question_errors.get(question.pk, ""),
            "text": (sent.get(key) or [""])[-1],
            "choices": [
                {"choice": choice, "checked": str(choice.pk) in picked} for choice in choices
            ],
        }
        if question.kind == Question.Kind.MATCHING:
            # Items in the bank's order; the options (their matches) in the drawn order.
            items = sorted(choices, key=lambda c: (c.position, c.pk))
            seen, options = set(), []
            for c in choices:
                if c.match_text not in seen:
                    seen.add(c.match_text)
                    options.append(c)
            item["pairs"] = [
                {"item": c, "selected": (sent.get(f"{key}-{c.pk}") or [""])[-1]} for c in items
            ]
            item["options"] = options
        elif question.kind == Question.Kind.ORDERING:
            item["items"] = [
                {"item": c, "selected": (sent.get(f"{key}-{c.pk}") or [""])[-1]} for c in choices
            ]
            item["places"] = [str(i) for i in range(1, len(choices) + 1)]
        questions.append(item)
    context = {
        "course": course,
        "attempt": attempt,
        "assessment": assessment,
        "questions": questions,
        "error": error,
        "question_errors": question_errors,
    }
    return render(request, "assessments/attempt.html", context, status=status)


def _given(question, answer, choices) -> str:
    """The learner's answer, as words."""
    if answer is None:
        return _("none")
    by_id = {c.pk: c for c in choices}
    if question.uses_choices:
        chosen = {c.pk for c in answer.choices.all()}
        return "; ".join(c.text for c in choices if c.pk in chosen) or _("none")
    if question.kind == Question.Kind.MATCHING:
        return "; ".join(
            f"{by_id[int(item)].text} → {by_id[option].match_text}"
            for item, option in answer.response.items()
            if int(item) in by_id and option in by_id
        )
    if question.kind == Question.Kind.ORDERING:
        return "; ".join(by_id[i].text for i in answer.response if i in by_id)
    return answer.text


def _right(question, choices) -> str:
    ordered = sorted(choices, key=lambda c: (c.position, c.pk))
    if question.kind == Question.Kind.NUMERIC:
        tolerance = question.numeric_tolerance.normalize()
        answer = number_format(question.numeric_answer.normalize())
        if not tolerance:
            return answer
        return _("%(answer)s (give or take %(tolerance)s)") % {
            "answer": answer,
            "tolerance": number_format(tolerance),
        }
    if question.kind == Question.Kind.MATCHING:
        return "; ".join(f"{c.text} → {c.match_text}" for c in ordered)
    if question.kind == Question.Kind.ORDERING:
        return "; ".join(c.text for c in ordered)
    if question.kind == Question.Kind.ESSAY:
        return ""
    joiner = _(" or ") if question.kind == Question.Kind.SHORT else "; "
    return joiner.join(c.text for c in ordered if c.is_correct)


@login_required
def result(request, attempt_id: int):
    attempt = attempt_get(actor=request.user, attempt_id=attempt_id)
    if attempt.is_open:
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    assessment = attempt.assessment
    course = assessment.owner_course
    # Counted within the attempt's own cycle: an earlier cycle's result page stays as it was.
    attempts = attempts_for(user=request.user, assessment=assessment, cycle=attempt.cycle)
    passed_any = any(a.passed for a in attempts)
    attempts_left = max(course.max_attempts - len(attempts), 0)
    # The right answers are shown once they can no longer help a later attempt; a formative
    # quiz shows them at once.
    reveal = assessment.formative or passed_any or attempts_left == 0
    answers = attempt_answers(attempt=attempt)
    feedback = []
    for number, (question, choices) in enumerate(attempt_questions(attempt=attempt), start=1):
        answer = answers.get(question.pk)
        marking = getattr(answer, "marking", None) if answer is not None else None
        feedback.append(
            {
                "number": number,
                "question": question,
                "answer": answer,
                "given": _given(question, answer, choices),
                "right": _right(question, choices),
                "essay": question.kind == Question.Kind.ESSAY,
                "marked": marking is not None and not attempt.marking_pending,
                "marking": marking,
                "partly": answer is not None and not answer.correct and answer.points_awarded > 0,
            }
        )
    context = {
        "course": course,
        "assessment": assessment,
        "attempt": attempt,
        "feedback": feedback,
        "reveal": reveal,
        "attempts_left": attempts_left,
        "passed_any": passed_any,
        "completion": None
        if assessment.formative
        else getattr(enrolment_active(user=request.user, course=course), "completion", None),
    }
    return render(request, "assessments/result.html", context)
