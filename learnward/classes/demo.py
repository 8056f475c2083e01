"""Demo data for classes: a blended course, "First aid at work (classroom)", with two upcoming
sessions taught by teacher@learnward.test: a day in person at the Harbour Training Centre
(capacity 2: learner2@learnward.test and a cohort learner booked, another cohort learner on
the waitlist) and an online follow-up (learner2 booked). The course completes when a learner attended both (the
attendance rule: 100% of the course's sessions).

Idempotent: nothing is added once the course has sessions. Bookings are written directly (no
emails): it is what learners and staff would have booked.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from learnward.accounts.models import User
from learnward.catalog.demo import course_from_spec
from learnward.core.links import absolute_url
from learnward.learning.services import enrolment_create

from .models import AttendanceRule, Booking, Session

SLUG = "first-aid-at-work-classroom"
COURSE = {
    "slug": SLUG,
    "title": "First aid at work (classroom)",
    "summary": "A practical day in a classroom and an online follow-up: what to do in the first "
    "minutes of an emergency at work.",
    "description": (
        "Most of this course happens with a teacher: a practical day in person (CPR on "
        "manikins, the recovery position, bleeding and burns) and an online follow-up to go "
        "through scenarios. Book a place on each session below the outline.\n\n"
        "The course completes when you have attended both sessions; your teacher marks the "
        "register, or you check in by scanning the QR code they show."
    ),
    "cpd_hours": "7.0",
    "course_type": "vocational",
    "pass_mark": 70,
    "certificate_validity_months": 36,
    "max_attempts": 3,
    "entry_requirements": "None. Wear comfortable clothes for the practical day.",
    "modules": [],
}


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = (timezone.localtime() + timedelta(days=days)).date()
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def load(result: dict) -> None:
    course = course_from_spec(COURSE)
    result["sessions"] = {
        "course": course.title,
        "url": absolute_url(course.get_absolute_url()),
        "teacher": "teacher@learnward.test",
    }
    if Session.objects.filter(course=course).exists():
        return
    AttendanceRule.objects.get_or_create(course=course, defaults={"min_percent": 100})
    teacher = User.objects.filter(email__iexact="teacher@learnward.test").first()
    day = Session.objects.create(
        course=course,
        title="Practical day",
        mode=Session.Mode.IN_PERSON,
        venue="Harbour Training Centre, Room 2",
        address="14 Quay Street\nBristol\nBS1 4DB",
        starts_at=_at(7, 9, 30),
        ends_at=_at(7, 16, 30),
        capacity=2,
    )
    follow_up = Session.objects.create(
        course=course,
        title="Online follow-up: scenarios",
        mode=Session.Mode.ONLINE,
        meeting_url="https://meet.example.test/first-aid-follow-up",
        starts_at=_at(14, 18, 0),
        ends_at=_at(14, 19, 30),
        capacity=12,
    )
    if teacher is not None:
        day.teachers.add(teacher)
        follow_up.teachers.add(teacher)
    now = timezone.now()
    people = [
        (email, User.objects.filter(email__iexact=email).first())
        for email in (
            "learner2@learnward.test",
            "cohort01@learnward.test",
            "cohort02@learnward.test",
        )
    ]
    for position, (_email, user) in enumerate(people):
        if user is None:
            continue
        enrolment_create(user=user, course=course)
        Booking.objects.create(
            session=day,
            user=user,
            status=Booking.Status.BOOKED if position < 2 else Booking.Status.WAITLISTED,
            status_changed_at=now,
        )
        if position == 0:
            Booking.objects.create(
                session=follow_up, user=user, status=Booking.Status.BOOKED, status_changed_at=now
            )
