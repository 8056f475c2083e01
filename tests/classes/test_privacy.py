"""Teachers reach the privacy notice as recipients of attendance data through the registry, and
a learner's bookings and attendance leave with them."""

from __future__ import annotations

import pytest

from learnward.classes.models import Attendance, Booking
from learnward.classes.services import Mark, attendance_mark, booking_create
from learnward.privacy.registry.purposes import get_purpose

pytestmark = pytest.mark.django_db

TEACHERS = "The teachers (including freelance teachers) who run the sessions you book"


def test_teachers_are_listed_as_recipients_once_a_session_has_one(course, teacher):
    from .conftest import make_session

    assert TEACHERS not in get_purpose("learning").all_recipients()
    make_session(course, teachers=[teacher])
    assert TEACHERS in get_purpose("learning").all_recipients()


def test_the_notice_names_teachers(client, session):
    page = client.get("/privacy/")
    assert TEACHERS in page.content.decode()


def test_erasing_a_learner_erases_their_bookings_and_attendance(session, teacher, enrolled):
    import time_machine

    from learnward.privacy.rights.erasure import subject_erase

    ann = enrolled("Ann")
    booking = booking_create(actor=ann, session=session, user=ann)
    with time_machine.travel(session.starts_at, tick=False):
        attendance_mark(actor=teacher, session=session, marks=[Mark(booking.pk, "present")])
    assert Attendance.objects.exists()
    subject_erase(user=ann, actor=None, reason="test")
    assert not Booking.objects.exists()
    assert not Attendance.objects.exists()
