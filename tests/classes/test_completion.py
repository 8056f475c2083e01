"""A course's attendance rule is a completion requirement: attending enough sessions completes
the course through learning's one path, and the certificate is issued."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from learnward.certificates.models import Certificate
from learnward.classes.models import AttendanceRule
from learnward.classes.services import Mark, attendance_mark, booking_create
from learnward.learning.models import Completion
from learnward.learning.services import lesson_mark_complete
from tests.catalog.factories import lessons_of, make_course

from .conftest import make_session

pytestmark = pytest.mark.django_db


def attend(teacher, session, learner, status="present"):
    booking = booking_create(actor=learner, session=session, user=learner)
    with time_machine.travel(session.starts_at, tick=False):
        attendance_mark(actor=teacher, session=session, marks=[Mark(booking.pk, status, "")])


def test_attending_enough_sessions_completes_the_course_and_issues_the_certificate(
    course, teacher, enrolled
):
    AttendanceRule.objects.create(course=course, min_percent=66)
    sessions = [
        make_session(course, teachers=[teacher], starts_in=timedelta(days=d)) for d in (1, 2, 3)
    ]
    ann = enrolled("Ann")
    attend(teacher, sessions[0], ann)
    assert not Completion.objects.exists()
    attend(teacher, sessions[1], ann, status="absent")
    assert not Completion.objects.exists()
    attend(teacher, sessions[2], ann, status="late")  # 2 of 3 = 66.7% >= 66%
    completion = Completion.objects.get(enrolment__user=ann)
    assert Certificate.objects.filter(user=ann, course=course).count() == 1
    assert completion.enrolment.course == course


def test_just_under_the_share_does_not_complete(course, teacher, enrolled):
    AttendanceRule.objects.create(course=course, min_percent=67)
    sessions = [
        make_session(course, teachers=[teacher], starts_in=timedelta(days=d)) for d in (1, 2, 3)
    ]
    ann = enrolled("Ann")
    attend(teacher, sessions[0], ann)
    attend(teacher, sessions[1], ann)  # 2 of 3 = 66.7% < 67%
    assert not Completion.objects.exists()
    assert not Certificate.objects.exists()


def test_late_does_not_count_when_the_rule_says_so(course, teacher, enrolled):
    AttendanceRule.objects.create(course=course, min_percent=100, late_counts=False)
    session = make_session(course, teachers=[teacher])
    ann = enrolled("Ann")
    attend(teacher, session, ann, status="late")
    assert not Completion.objects.exists()


def test_the_booked_basis_counts_only_the_learners_own_sessions(course, teacher, enrolled):
    AttendanceRule.objects.create(course=course, min_percent=100, basis="booked")
    first = make_session(course, teachers=[teacher], starts_in=timedelta(days=1))
    make_session(course, teachers=[teacher], starts_in=timedelta(days=2))
    ann = enrolled("Ann")
    attend(teacher, first, ann)
    assert Completion.objects.filter(enrolment__user=ann).exists()


def test_lessons_are_still_needed(teacher, enrolled, make_user):
    from learnward.learning.services import enrolment_create

    course = make_course(modules=1, lessons_per_module=1, questions=0)
    AttendanceRule.objects.create(course=course, min_percent=100)
    session = make_session(course, teachers=[teacher])
    ann = make_user()
    enrolment_create(user=ann, course=course)
    attend(teacher, session, ann)
    assert not Completion.objects.exists()
    (lesson,) = lessons_of(course)
    assert lesson_mark_complete(user=ann, lesson=lesson) is not None
    assert Certificate.objects.filter(user=ann).count() == 1


def test_a_course_without_a_rule_is_not_held_back(make_user):
    from learnward.learning.services import enrolment_create

    course = make_course(modules=1, lessons_per_module=1, questions=0)
    make_session(course)
    ann = make_user()
    enrolment_create(user=ann, course=course)
    (lesson,) = lessons_of(course)
    assert lesson_mark_complete(user=ann, lesson=lesson) is not None
