"""Assessment pages: overview and start, the attempt form, and the result."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from learnward.catalog.selectors import course_get_visible
from learnward.core.markdown import render_markdown
from learnward.learning.selectors import enrolment_active

from .selectors import (
    assessment_for_course,
    assessment_with_questions,
    attempt_answers,
    attempt_get,
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
        "question_count": len(assessment_with_questions(assessment=assessment)),
        "enrolled": enrolled,
        "attempts": attempts,
        "open_attempt": open_attempt,
        "passed": passed,
        "attempts_left": max(course.max_attempts - len(attempts), 0),
        "error": error,
    }
    return render(request, "assessments/overview.html", context, status=status)


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
    course = attempt.assessment.course
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
        attempts_close_overdue(user=request.user, assessment=attempt.assessment)
        messages.error(request, "The time limit for this attempt ran out.")
        return redirect("assessments:result", attempt_id=attempt.pk)
    picked = {key: set(values) for key, values in _answers_from(request.POST).items()}
    questions = [
        {
            "question": question,
            "number": number,
            "error": question_errors.get(question.pk, ""),
            "choices": [
                {"choice": choice, "checked": str(choice.pk) in picked.get(str(question.pk), ())}
                for choice in question.choices.all()
            ],
        }
        for number, question in enumerate(
            assessment_with_questions(assessment=attempt.assessment), start=1
        )
    ]
    context = {
        "course": course,
        "attempt": attempt,
        "assessment": attempt.assessment,
        "questions": questions,
        "error": error,
        "question_errors": question_errors,
    }
    return render(request, "assessments/attempt.html", context, status=status)


@login_required
def result(request, attempt_id: int):
    attempt = attempt_get(actor=request.user, attempt_id=attempt_id)
    if attempt.is_open:
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    course = attempt.assessment.course
    # Counted within the attempt's own cycle: an earlier cycle's result page stays as it was.
    attempts = attempts_for(user=request.user, assessment=attempt.assessment, cycle=attempt.cycle)
    passed_any = any(a.passed for a in attempts)
    attempts_left = max(course.max_attempts - len(attempts), 0)
    # The right answers are shown once they can no longer help a later attempt.
    reveal = passed_any or attempts_left == 0
    answers = attempt_answers(attempt=attempt)
    feedback = []
    for number, question in enumerate(
        assessment_with_questions(assessment=attempt.assessment), start=1
    ):
        answer = answers.get(question.pk)
        chosen = {c.pk for c in answer.choices.all()} if answer else set()
        feedback.append(
            {
                "number": number,
                "question": question,
                "answer": answer,
                "chosen": [c for c in question.choices.all() if c.pk in chosen],
                "right": [c for c in question.choices.all() if c.is_correct],
                "partly": answer is not None and not answer.correct and answer.points_awarded > 0,
            }
        )
    context = {
        "course": course,
        "attempt": attempt,
        "feedback": feedback,
        "reveal": reveal,
        "attempts_left": attempts_left,
        "passed_any": passed_any,
        "completion": getattr(
            enrolment_active(user=request.user, course=course), "completion", None
        ),
    }
    return render(request, "assessments/result.html", context)
