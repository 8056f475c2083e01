"""Shared steps for the renewal tests: courses with a renewal route, and finishing a course
through the real learning and assessment services."""

from __future__ import annotations

from learnward.assessments.services import attempt_start, attempt_submit
from learnward.certificates.models import Certificate
from learnward.learning.models import Enrolment
from learnward.learning.services import enrolment_create, lesson_mark_complete
from tests.catalog.factories import answers_for, lessons_of
from tests.catalog.factories import make_course as course_factory


def renewable_course(*, validity=12, renews_itself=True, **fields):
    """A published course with two lessons and a one-question assessment."""
    course = course_factory(
        modules=1, lessons_per_module=2, questions=1, certificate_validity_months=validity, **fields
    )
    if renews_itself:
        course.renewal_course = course
        course.save(update_fields=["renewal_course"])
    return course


def finish(user, course) -> Certificate:
    """Enrol if need be, complete every lesson and pass the assessment; the certificate issued."""
    if not Enrolment.objects.filter(user=user, course=course, left_at__isnull=True).exists():
        enrolment_create(user=user, course=course)
    completion = None
    for lesson in lessons_of(course):
        completion = lesson_mark_complete(user=user, lesson=lesson)
    if hasattr(course, "assessment"):
        attempt = attempt_start(user=user, assessment=course.assessment)
        attempt_submit(attempt=attempt, actor=user, answers=answers_for(course))
        enrolment = Enrolment.objects.get(user=user, course=course)
        enrolment.forget_completion()
        completion = enrolment.completion
    assert completion is not None, "the course did not complete"
    return Certificate.objects.get(completion=completion)
