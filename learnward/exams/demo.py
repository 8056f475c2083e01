"""Demo exam for `learnward demo`: a classroom course, "Practical First Aid (classroom)", with
one exam sitting held by the demo teacher (teacher@learnward.test), without a moderator. The
second demo learner (learner2@learnward.test, Sam Second) sat it; the result (78 out of 100, a
pass) is released, so "My results" (/exams/results/) shows the points and the course is complete
with its certificate. The teacher sees the sitting under "Exams I hold" (/exams/teach/).
Idempotent: found again by the course's slug and the sitting's title."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from learnward.accounts.models import User
from learnward.catalog.models import Course
from learnward.core.links import absolute_url

from .models import ExamSitting
from .services import Entry, exam_release_schedule, exam_results_enter, exam_sitting_create

OWN_TRANSACTIONS = True  # the services below are durable, each its own transaction

COURSE_SLUG = "practical-first-aid-classroom"
SITTING_TITLE = "Practical assessment"
DEMO_LEARNER = "learner2@learnward.test"  # Sam Second; Alex's dashboard is the catalog demo's
DEMO_TEACHER = "teacher@learnward.test"  # the Teacher role (learnward.classes demo)
DEMO_ADMIN = "admin@learnward.test"


def load(result: dict) -> None:
    learner = User.objects.filter(email__iexact=DEMO_LEARNER).first()
    teacher = User.objects.filter(email__iexact=DEMO_TEACHER).first()
    admin = User.objects.filter(email__iexact=DEMO_ADMIN).first()
    if learner is None or teacher is None or admin is None:
        return
    course, _ = Course.objects.get_or_create(
        slug=COURSE_SLUG,
        defaults={
            "title": "Practical First Aid (classroom)",
            "summary": "A one-day classroom course with a practical assessment held by your "
            "teacher.",
            "cpd_hours": Decimal("6"),
            "certificate_validity_months": 36,
            "published": True,
        },
    )
    if not ExamSitting.objects.filter(course=course, title=SITTING_TITLE).exists():
        from learnward.learning.services import enrolment_create

        enrolment_create(user=learner, course=course)
        sitting = exam_sitting_create(
            actor=_managing(admin),
            course=course,
            title=SITTING_TITLE,
            held_on=timezone.localdate() - timedelta(days=7),
            max_marks=100,
            pass_marks=60,
            teachers=[teacher],
        )
        exam_results_enter(
            actor=teacher,
            sitting=sitting,
            entries=[Entry(user=learner, marks=Decimal("78"), note="Confident CPR and recovery")],
        )
        exam_release_schedule(actor=teacher, sitting=sitting, release_at=timezone.now())
    # Not under "courses" (the substantial online courses): a classroom course of its own.
    result.setdefault("exams", []).append(
        {
            "course": course.title,
            "sitting": SITTING_TITLE,
            "results_url": absolute_url(reverse("exams:my_results")),
            "teacher": DEMO_TEACHER,
        }
    )


def _managing(admin):
    """The demo administrator, as the exam manager creating the sitting (no request: two-factor
    does not apply to a demo loader)."""
    admin.is_verified = lambda: True
    return admin
