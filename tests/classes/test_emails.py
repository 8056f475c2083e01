"""Booking emails with calendar invitations, as a real SMTP server receives them, parsed back with
icalendar: one event per booking (a stable UID), a higher SEQUENCE at each change, REQUEST to
add or update, CANCEL to remove."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from learnward.classes.models import Booking
from learnward.classes.services import (
    booking_cancel,
    booking_create,
    session_cancel,
    session_update,
)

from .conftest import make_session

pytestmark = pytest.mark.django_db


def invitation(received):
    """The message's calendar part: (its method parameter, the parsed event)."""
    parts = [p for p in received.message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, received.subject
    part = parts[0]
    calendar = Calendar.from_ical(part.get_payload(decode=True))
    assert str(calendar["METHOD"]) == part.get_param("method")
    assert part.get_filename() == "session.ics"
    (event,) = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), event


def to(smtp_server, address):
    return [m for m in smtp_server.messages if m.envelope_to == [address]]


def test_booking_waitlist_and_promotion_send_one_event_updated(
    smtp_server, session, enrolled, django_capture_on_commit_callbacks
):
    ann, ben, cat = (enrolled(n, email=f"{n.lower()}@example.test") for n in ("Ann", "Ben", "Cat"))
    with django_capture_on_commit_callbacks(execute=True):
        first = booking_create(actor=ann, session=session, user=ann)
        booking_create(actor=ben, session=session, user=ben)
        booking_create(actor=cat, session=session, user=cat)
    (booked,) = to(smtp_server, "ann@example.test")
    assert booked.subject == "Your place on Evening class"
    assert "Hello Ann" in booked.text
    method, event = invitation(booked)
    assert method == "REQUEST"
    assert str(event["UID"]) == f"{first.ics_uid}@learnward.session"
    assert int(event["SEQUENCE"]) == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("DTSTART") == session.starts_at.replace(microsecond=0)
    assert "Harbour Room" in str(event["LOCATION"])

    (waiting,) = to(smtp_server, "cat@example.test")
    assert "waitlist" in waiting.subject
    _, tentative = invitation(waiting)
    assert str(tentative["STATUS"]) == "TENTATIVE"
    assert int(tentative["SEQUENCE"]) == 0

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(actor=ann, booking=first)
    cancelled = to(smtp_server, "ann@example.test")[-1]
    method, gone = invitation(cancelled)
    assert method == "CANCEL"
    assert str(gone["UID"]) == str(event["UID"])
    assert int(gone["SEQUENCE"]) == 1
    assert str(gone["STATUS"]) == "CANCELLED"

    cat_messages = to(smtp_server, "cat@example.test")
    assert len(cat_messages) == 2  # waitlisted, then promoted: exactly one promotion email
    promoted = cat_messages[-1]
    assert promoted.subject == "A place came free: you are booked on Evening class"
    method, update = invitation(promoted)
    assert method == "REQUEST"
    assert str(update["UID"]) == str(tentative["UID"])
    assert int(update["SEQUENCE"]) > int(tentative["SEQUENCE"])
    assert str(update["STATUS"]) == "CONFIRMED"


def test_the_meeting_link_goes_only_to_people_with_a_place(
    smtp_server, course, enrolled, django_capture_on_commit_callbacks
):
    online = make_session(
        course,
        mode="online",
        venue="",
        address="",
        meeting_url="https://meet.example.test/room-42",
        capacity=1,
    )
    ann = enrolled("Ann", email="ann@example.test")
    ben = enrolled("Ben", email="ben@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        booking_create(actor=ann, session=online, user=ann)
        booking_create(actor=ben, session=online, user=ben)
    (booked,) = to(smtp_server, "ann@example.test")
    assert "https://meet.example.test/room-42" in booked.text
    _, event = invitation(booked)
    assert str(event["LOCATION"]) == "https://meet.example.test/room-42"
    (waiting,) = to(smtp_server, "ben@example.test")
    assert "room-42" not in waiting.text
    assert "room-42" not in waiting.message.as_string()


def test_a_change_and_a_cancelled_session_update_and_remove_the_event(
    smtp_server, session, enrolled, admin, django_capture_on_commit_callbacks
):
    ann = enrolled("Ann", email="ann@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_create(actor=ann, session=session, user=ann)
    later = session.starts_at + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        session_update(
            actor=admin, session=session, starts_at=later, ends_at=later + timedelta(hours=2)
        )
    changed = to(smtp_server, "ann@example.test")[-1]
    assert changed.subject == "Evening class has changed"
    method, event = invitation(changed)
    assert method == "REQUEST"
    assert event.decoded("DTSTART") == later.replace(microsecond=0)
    assert int(event["SEQUENCE"]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(actor=admin, session=session)
    gone = to(smtp_server, "ann@example.test")[-1]
    assert gone.subject == "Evening class is cancelled"
    method, event = invitation(gone)
    assert method == "CANCEL"
    assert int(event["SEQUENCE"]) == 2
    assert str(event["UID"]) == f"{booking.ics_uid}@learnward.session"


def test_reminders_go_once_to_people_booked_on_sessions_starting_soon(
    smtp_server, course, enrolled, settings, django_capture_on_commit_callbacks
):
    settings.CLASSES_REMINDER_HOURS = 24
    soon = make_session(course, title="Soon", starts_in=timedelta(hours=23, minutes=59))
    later = make_session(course, title="Later", starts_in=timedelta(hours=24, minutes=1))
    ann = enrolled("Ann", email="ann@example.test")
    ben = enrolled("Ben", email="ben@example.test")
    cat = enrolled("Cat", email="cat@example.test")
    for s in (soon, later):
        for u in (ann, ben):
            booking_create(actor=u, session=s, user=u)
    soon.capacity = 3
    soon.save()
    Booking.objects.create(
        session=soon, user=cat, status="cancelled", status_changed_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_session_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    reminders = [m for m in smtp_server.messages if m.subject.startswith("Reminder")]
    assert sorted(m.envelope_to[0] for m in reminders) == ["ann@example.test", "ben@example.test"]
    assert all(m.subject == "Reminder: Soon starts soon" for m in reminders)
    # ... and each is in their notification centre, once.
    from learnward.notifications.models import Notification

    told = Notification.objects.filter(kind="session_reminder")
    assert sorted(told.values_list("user__email", flat=True)) == [
        "ann@example.test",
        "ben@example.test",
    ]
    assert all(n.title.startswith("Soon starts on ") for n in told)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_session_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len([m for m in smtp_server.messages if m.subject.startswith("Reminder")]) == 2
    assert told.count() == 2
