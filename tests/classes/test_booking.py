"""Booking, the waitlist and promotion (learnward.classes.services)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from learnward.audit.models import AuditEntry
from learnward.classes.models import Booking
from learnward.classes.services import (
    ClassesError,
    booking_cancel,
    booking_create,
    session_cancel,
    session_update,
)

from .conftest import make_session

pytestmark = pytest.mark.django_db


def book(session, user, actor=None):
    return booking_create(actor=actor or user, session=session, user=user)


def test_a_full_session_puts_the_next_learner_on_the_waitlist(session, enrolled):
    ann, ben, cat = enrolled("Ann"), enrolled("Ben"), enrolled("Cat")
    assert book(session, ann).status == Booking.Status.BOOKED
    assert book(session, ben).status == Booking.Status.BOOKED
    third = book(session, cat)
    assert third.status == Booking.Status.WAITLISTED
    assert Booking.objects.filter(session=session, status="booked").count() == 2
    assert AuditEntry.objects.filter(action="classes.waitlisted", subject_id=cat.pk).count() == 1


def test_booking_twice_changes_nothing(session, enrolled):
    ann = enrolled()
    first = book(session, ann)
    assert book(session, ann).pk == first.pk
    assert Booking.objects.count() == 1
    assert AuditEntry.objects.filter(action="classes.booked").count() == 1


def test_a_cancellation_promotes_the_longest_waiting_once(session, enrolled):
    ann, ben, cat, dan = (enrolled(n) for n in ("Ann", "Ben", "Cat", "Dan"))
    first = book(session, ann)
    book(session, ben)
    cat_booking = book(session, cat)
    dan_booking = book(session, dan)
    booking_cancel(actor=ann, booking=first)
    cat_booking.refresh_from_db()
    dan_booking.refresh_from_db()
    assert cat_booking.status == Booking.Status.BOOKED
    assert cat_booking.promoted_at is not None
    assert cat_booking.ics_sequence == 1
    assert dan_booking.status == Booking.Status.WAITLISTED
    # Cancelling again promotes nobody else.
    booking_cancel(actor=ann, booking=first)
    dan_booking.refresh_from_db()
    assert dan_booking.status == Booking.Status.WAITLISTED
    assert AuditEntry.objects.filter(action="classes.promoted").count() == 1


def test_leaving_the_waitlist_promotes_nobody(session, enrolled):
    ann, ben, cat, dan = (enrolled() for _ in range(4))
    for u in (ann, ben, cat, dan):
        book(session, u)
    cat_booking = Booking.objects.get(user=cat)
    booking_cancel(actor=cat, booking=cat_booking)
    assert Booking.objects.filter(status="booked").count() == 2
    assert Booking.objects.get(user=dan).status == Booking.Status.WAITLISTED


def test_booking_again_after_cancelling_keeps_the_calendar_uid(session, enrolled):
    ann = enrolled()
    booking = book(session, ann)
    uid = booking.ics_uid
    booking_cancel(actor=ann, booking=booking)
    again = book(session, ann)
    assert again.pk == booking.pk
    assert again.ics_uid == uid
    assert again.status == Booking.Status.BOOKED
    assert again.ics_sequence == 2


def test_learners_must_be_enrolled(session, make_user):
    with pytest.raises(ClassesError, match="Enrol on the course"):
        book(session, make_user())
    assert not Booking.objects.exists()


def test_booking_window_boundaries(course, enrolled):
    now = timezone.now()
    ann = enrolled()
    not_yet = make_session(course, booking_opens_at=now + timedelta(minutes=1))
    with pytest.raises(ClassesError, match="opens on"):
        book(not_yet, ann)
    closed = make_session(course, booking_closes_at=now - timedelta(seconds=1))
    with pytest.raises(ClassesError, match="closed"):
        book(closed, ann)
    started = make_session(course, starts_in=-timedelta(minutes=1))
    with pytest.raises(ClassesError, match="closed"):
        book(started, ann)
    just_open = make_session(course, booking_opens_at=now - timedelta(seconds=1))
    assert book(just_open, ann).status == Booking.Status.BOOKED
    assert Booking.objects.count() == 1


def test_a_cancelled_session_takes_no_bookings(session, enrolled, admin):
    session_cancel(actor=admin, session=session)
    with pytest.raises(ClassesError, match="cancelled"):
        book(session, enrolled())


def test_learners_cannot_cancel_once_the_session_started(course, enrolled, admin):
    ann = enrolled()
    started = make_session(course, starts_in=timedelta(minutes=5))
    booking = book(started, ann)
    started.starts_at = timezone.now() - timedelta(minutes=1)
    started.save()
    with pytest.raises(ClassesError, match="already started"):
        booking_cancel(actor=ann, booking=booking)
    # Staff still can, until it ends.
    assert booking_cancel(actor=admin, booking=booking).status == Booking.Status.CANCELLED


def test_staff_book_people_and_a_learner_cannot_book_others(session, enrolled, admin, teacher):
    ann, ben = enrolled(), enrolled()
    booking = booking_create(actor=admin, session=session, user=ann)
    assert booking.booked_by_staff
    with pytest.raises(ClassesError):
        booking_create(actor=ben, session=session, user=ann)
    # Teachers run their sessions; they do not book people.
    with pytest.raises(ClassesError):
        booking_create(actor=teacher, session=session, user=ben)
    with pytest.raises(ClassesError):
        booking_cancel(actor=ben, booking=booking)


def test_staff_booking_needs_an_enrolment(session, admin, make_user):
    with pytest.raises(ClassesError, match="not enrolled"):
        booking_create(actor=admin, session=session, user=make_user(display_name="Nia"))


def test_more_places_promote_from_the_waitlist_and_fewer_than_booked_are_refused(
    session, enrolled, admin
):
    users = [enrolled() for _ in range(4)]
    for u in users:
        book(session, u)
    session_update(actor=admin, session=session, capacity=3)
    assert Booking.objects.filter(status="booked").count() == 3
    assert Booking.objects.get(user=users[2]).status == Booking.Status.BOOKED
    with pytest.raises(ClassesError, match="3 people are booked"):
        session_update(actor=admin, session=session, capacity=2)
    session.refresh_from_db()
    assert session.capacity == 3


def test_changing_the_time_bumps_every_invitation(session, enrolled, admin):
    a, b, c = enrolled(), enrolled(), enrolled()
    for u in (a, b, c):
        book(session, u)
    session_update(
        actor=admin,
        session=session,
        starts_at=session.starts_at + timedelta(hours=1),
        ends_at=session.ends_at + timedelta(hours=1),
    )
    assert set(Booking.objects.values_list("ics_sequence", flat=True)) == {1}
    session.refresh_from_db()
    assert session.sequence == 1
    # A change that is not in the calendar (the places) bumps nothing.
    session_update(actor=admin, session=session, capacity=2)
    assert set(Booking.objects.values_list("ics_sequence", flat=True)) == {1}


def test_session_validation(session, admin):
    with pytest.raises(ClassesError, match="end after"):
        session_update(actor=admin, session=session, ends_at=session.starts_at)
    with pytest.raises(ClassesError, match="meeting link"):
        session_update(actor=admin, session=session, mode="online", meeting_url="")
    with pytest.raises(ClassesError, match="cannot change"):
        session_update(actor=session.teachers.get(), session=session, capacity=5)
