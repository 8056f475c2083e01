"""Demo assessments, and the demo learner's journey through the demo courses (idempotent).

This runs after catalog.demo and learning's app in INSTALLED_APPS order, so the courses exist.
The learner's progress goes through the real services: enrolment, lesson completion, an attempt
that passes, and so the completion and its certificate, exactly as on the site.
"""

from __future__ import annotations

from django.utils import timezone

from learnward.accounts.models import User
from learnward.catalog.demo_content import DEMO_COURSES, GDPR, SAFEGUARDING
from learnward.catalog.models import Course, Lesson
from learnward.learning.selectors import completed_lesson_ids, enrolment_for
from learnward.learning.services import enrolment_create, lesson_mark_complete

from .models import Assessment, Attempt, Choice, Question
from .services import attempt_start, attempt_submit

DEMO_LEARNER = "learner@learnward.test"
DEMO_LEARNER_PASSWORD = "tulip-harbour-42"  # noqa: S105 - a published demo login


def assessment_from_spec(course: Course, spec: dict) -> Assessment:
    """Create a course's assessment with its questions from a demo_content spec (once)."""
    assessment = Assessment.objects.filter(course=course).first()
    if assessment is not None:
        return assessment
    assessment = Assessment.objects.create(
        course=course,
        title=spec["title"],
        instructions=spec["instructions"],
        time_limit_minutes=spec["time_limit_minutes"],
    )
    for position, q in enumerate(spec["questions"]):
        question = Question.objects.create(
            assessment=assessment,
            position=position,
            kind=q["kind"],
            text=q["text"],
            explanation=q["explanation"],
            partial_credit=q.get("partial_credit", False),
        )
        Choice.objects.bulk_create(
            Choice(question=question, position=i, text=text, is_correct=correct)
            for i, (text, correct) in enumerate(q["choices"])
        )
    return assessment


def _right_answers(assessment: Assessment) -> dict[str, list[str]]:
    return {
        str(question.pk): [str(c.pk) for c in question.choices.all() if c.is_correct]
        for question in assessment.questions.prefetch_related("choices")
    }


def _lessons(course: Course) -> list[Lesson]:
    return list(
        Lesson.objects.filter(module__course=course).order_by("module__position", "position")
    )


def _learner_journey(learner: User) -> None:
    completed = Course.objects.get(slug=GDPR["slug"])
    in_progress = Course.objects.get(slug=SAFEGUARDING["slug"])
    enrolment = enrolment_for(user=learner, course=completed)
    if enrolment is None or enrolment.completion is None:
        enrolment_create(user=learner, course=completed)
        done = completed_lesson_ids(user=learner, course=completed)
        for lesson in _lessons(completed):
            if lesson.pk not in done:
                lesson_mark_complete(user=learner, lesson=lesson)
        assessment = completed.assessment
        if not Attempt.objects.filter(user=learner, assessment=assessment, passed=True).exists():
            attempt = attempt_start(user=learner, assessment=assessment)
            attempt_submit(attempt=attempt, actor=learner, answers=_right_answers(assessment))
    if enrolment_for(user=learner, course=in_progress) is None:
        enrolment_create(user=learner, course=in_progress)
        for lesson in _lessons(in_progress)[:2]:
            lesson_mark_complete(user=learner, lesson=lesson)


def load(result: dict) -> None:
    for spec in DEMO_COURSES:
        course = Course.objects.filter(slug=spec["slug"]).first()
        if course is not None:
            assessment_from_spec(course, spec["assessment"])
    learner = User.objects.filter(email__iexact=DEMO_LEARNER).first()
    if learner is None:
        # accounts.demo normally creates the demo learner; stand in only if it did not.
        learner = User.objects.create_user(
            DEMO_LEARNER,
            DEMO_LEARNER_PASSWORD,
            display_name="Alex Learner",
            email_verified_at=timezone.now(),
        )
        result["users"].append(
            {"email": DEMO_LEARNER, "password": DEMO_LEARNER_PASSWORD, "roles": []}
        )
    _learner_journey(learner)
