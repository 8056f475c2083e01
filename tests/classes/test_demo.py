import pytest

from learnward.classes.models import AttendanceRule, Booking, Session
from learnward.core.demo import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_upcoming_sessions_a_teacher_and_a_waitlist_once():
    result = load_demo()
    assert result["sessions"]["teacher"] == "teacher@learnward.test"
    sessions = Session.objects.filter(course__slug="first-aid-at-work-classroom")
    assert sorted(sessions.values_list("mode", flat=True)) == ["in_person", "online"]
    assert all(s.teachers.filter(email="teacher@learnward.test").exists() for s in sessions)
    assert AttendanceRule.objects.get(course__slug="first-aid-at-work-classroom").min_percent == 100
    statuses = sorted(Booking.objects.values_list("status", flat=True))
    assert statuses == ["booked", "booked", "booked", "waitlisted"]
    before = (Session.objects.count(), Booking.objects.count())
    again = load_demo()
    assert (Session.objects.count(), Booking.objects.count()) == before
    assert again["sessions"] == result["sessions"]
