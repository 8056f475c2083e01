"""QR self check-in: a fresh, genuine, unused code, inside the session's check-in window, for a
learner with a place, records them present (or late); anything else is refused with a clear
message and records nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.urls import reverse

from learnward.classes import checkin
from learnward.classes.models import Attendance
from learnward.classes.services import ClassesError, attendance_check_in, booking_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(session, enrolled):
    ann = enrolled("Ann")
    booking_create(actor=ann, session=session, user=ann)
    return ann


def at(moment):
    return time_machine.travel(moment, tick=False)


def test_a_fresh_code_checks_a_booked_learner_in(session, booked):
    with at(session.starts_at - timedelta(minutes=5)):
        token = checkin.make_token(session_id=session.pk)
        attendance = attendance_check_in(user=booked, token=token)
    assert attendance.status == Attendance.Status.PRESENT
    assert attendance.via == Attendance.Via.QR
    assert attendance.marked_by is None


def test_after_the_late_mark_it_is_late_and_at_it_present(session, booked, enrolled):
    ben = enrolled("Ben")
    session.capacity = 3
    session.save()
    booking_create(actor=ben, session=session, user=ben)
    with at(session.late_from):
        present = attendance_check_in(user=booked, token=checkin.make_token(session_id=session.pk))
    with at(session.late_from + timedelta(seconds=1)):
        late = attendance_check_in(user=ben, token=checkin.make_token(session_id=session.pk))
    assert present.status == Attendance.Status.PRESENT
    assert late.status == Attendance.Status.LATE


def test_a_forged_code_is_refused(session, booked):
    with at(session.starts_at):
        token = checkin.make_token(session_id=session.pk)
        forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
        with pytest.raises(ClassesError, match="not a valid check-in code"):
            attendance_check_in(user=booked, token=forged)
        other_key = signing.TimestampSigner(key="not-our-secret", salt=checkin.SALT).sign_object(
            {"s": session.pk, "n": "x"}
        )
        with pytest.raises(ClassesError, match="not a valid check-in code"):
            attendance_check_in(user=booked, token=other_key)
        with pytest.raises(ClassesError, match="not a valid check-in code"):
            attendance_check_in(user=booked, token="nonsense")
    assert not Attendance.objects.exists()


def test_a_code_expires_after_the_rotation_and_grace(session, booked, settings):
    settings.CLASSES_QR_ROTATE_SECONDS = 30
    settings.CLASSES_CHECKIN_GRACE_SECONDS = 15
    # The signature carries whole seconds: show the code on a whole second.
    shown = (session.starts_at - timedelta(minutes=10)).replace(microsecond=0)
    with at(shown):
        token = checkin.make_token(session_id=session.pk)
    with at(shown + timedelta(seconds=46)):
        with pytest.raises(ClassesError, match="expired"):
            attendance_check_in(user=booked, token=token)
    assert not Attendance.objects.exists()
    with at(shown + timedelta(seconds=45)):
        assert attendance_check_in(user=booked, token=token).status == "present"


def test_a_replayed_code_is_refused(session, booked):
    with at(session.starts_at):
        token = checkin.make_token(session_id=session.pk)
        attendance_check_in(user=booked, token=token)
        with pytest.raises(ClassesError, match="already been used"):
            attendance_check_in(user=booked, token=token)
        with pytest.raises(ClassesError, match="already recorded"):
            attendance_check_in(user=booked, token=checkin.make_token(session_id=session.pk))
    assert Attendance.objects.count() == 1


def test_outside_the_window_is_refused(session, booked):
    opens = session.starts_at - timedelta(minutes=session.checkin_opens_minutes_before)
    for moment in (opens - timedelta(seconds=1), session.ends_at):
        with at(moment):
            with pytest.raises(ClassesError, match="Check-in for Evening class is open from"):
                attendance_check_in(user=booked, token=checkin.make_token(session_id=session.pk))
    assert not Attendance.objects.exists()
    with at(opens):
        attendance_check_in(user=booked, token=checkin.make_token(session_id=session.pk))
    assert Attendance.objects.count() == 1


def test_someone_without_a_place_is_refused(session, booked, enrolled, make_user):
    ben, cat = enrolled("Ben"), enrolled("Cat")
    booking_create(actor=ben, session=session, user=ben)
    waiting = booking_create(actor=cat, session=session, user=cat)
    assert waiting.status == "waitlisted"
    with at(session.starts_at):
        for user in (cat, make_user()):
            with pytest.raises(ClassesError, match="do not have a place"):
                attendance_check_in(user=user, token=checkin.make_token(session_id=session.pk))
    assert not Attendance.objects.exists()


def test_the_check_in_page_asks_then_records(client, session, booked):
    with at(session.starts_at):
        token = checkin.make_token(session_id=session.pk)
        url = reverse("classes:check_in", args=[token])
        client.force_login(booked)
        page = client.get(url)
        assert page.status_code == 200
        assert b"Check in</button>" in page.content
        assert not Attendance.objects.exists()
        done = client.post(url)
        assert done.status_code == 200
        assert b"You are checked in" in done.content
        again = client.post(url)
    assert again.status_code == 400
    assert b"already been used" in again.content
    assert b"Nothing was recorded" in again.content
    assert Attendance.objects.count() == 1


def test_the_check_in_page_refuses_a_forged_code(client, booked):
    client.force_login(booked)
    response = client.post(reverse("classes:check_in", args=["forged:token"]))
    assert response.status_code == 400
    assert b"not a valid check-in code" in response.content
    assert not Attendance.objects.exists()


def test_the_check_in_page_needs_a_sign_in(client, session):
    token = checkin.make_token(session_id=session.pk)
    response = client.get(reverse("classes:check_in", args=[token]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_check_in_page_says_at_once_when_the_learner_has_no_place(
    client, session, booked, enrolled
):
    client.force_login(enrolled("Dan"))
    with at(session.starts_at):
        token = checkin.make_token(session_id=session.pk)
        page = client.get(reverse("classes:check_in", args=[token]))
    assert page.status_code == 400
    assert b"You do not have a place on Evening class" in page.content
    assert b"Check in</button>" not in page.content
    assert not Attendance.objects.exists()
