"""A session is never overbooked, and a cancellation promotes exactly once, with calls made at
the same moment in separate threads and connections (run on SQLite and on PostgreSQL)."""

from __future__ import annotations

import pytest

from learnward.classes.models import Booking
from learnward.classes.services import booking_cancel, booking_create
from learnward.learning.services import enrolment_create
from tests.catalog.factories import make_course
from tests.threads import race

from .conftest import make_session

pytestmark = pytest.mark.django_db(transaction=True)


def _learners(make_user, course, n):
    users = [make_user() for _ in range(n)]
    for user in users:
        enrolment_create(user=user, course=course)
    return users


def test_concurrent_bookings_never_overbook(make_user):
    course = make_course(modules=0, questions=0)
    session = make_session(course, capacity=2)
    users = _learners(make_user, course, 6)
    outcomes = race(*[lambda u=u: booking_create(actor=u, session=session, user=u) for u in users])
    assert [kind for kind, _ in outcomes] == ["ok"] * 6
    statuses = sorted(Booking.objects.values_list("status", flat=True))
    assert statuses == ["booked"] * 2 + ["waitlisted"] * 4


def test_concurrent_cancellations_promote_each_waiting_learner_once(make_user):
    course = make_course(modules=0, questions=0)
    session = make_session(course, capacity=2)
    users = _learners(make_user, course, 5)
    bookings = [booking_create(actor=u, session=session, user=u) for u in users]
    holders, waiting = bookings[:2], bookings[2:]
    # Both places are cancelled at once, each twice over.
    calls = [lambda b=b: booking_cancel(actor=b.user, booking=b) for b in holders * 2]
    outcomes = race(*calls)
    assert [kind for kind, _ in outcomes] == ["ok"] * 4
    for booking in waiting:
        booking.refresh_from_db()
    assert [b.status for b in waiting] == ["booked", "booked", "waitlisted"]
    assert [b.ics_sequence for b in waiting] == [1, 1, 0]
    assert Booking.objects.filter(status="booked").count() == 2
    from learnward.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="classes.promoted").count() == 2
