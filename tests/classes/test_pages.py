"""The learner's and the teacher's pages: who sees what, the register, booking from the course
page, and the 404s that keep one teacher out of another's sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from learnward.accounts.roles import ROLE_PERMISSIONS, TEACHER
from learnward.classes.models import Attendance, Booking, Session
from learnward.classes.services import booking_create

from .conftest import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(session, enrolled):
    learners = [enrolled(n, email=f"{n.lower()}@example.test") for n in ("Ann", "Ben")]
    for learner in learners:
        booking_create(actor=learner, session=session, user=learner)
    return learners


def test_the_teacher_role_holds_only_the_classes_permission():
    assert ROLE_PERMISSIONS[TEACHER] == [("classes", "teach_sessions")]


def test_a_teacher_sees_only_their_own_sessions(client, session, course, teacher, other_teacher):
    theirs = make_session(course, title="Otto's workshop", teachers=[other_teacher])
    client.force_login(teacher)
    page = client.get(reverse("classes_staff:sessions"))
    assert page.status_code == 200
    assert b"Evening class" in page.content
    assert b"Otto&#x27;s workshop" not in page.content
    for name in ("session", "register", "qr", "qr_code"):
        assert client.get(reverse(f"classes_staff:{name}", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("classes_staff:register", args=[theirs.pk])).status_code == 404
    # Teachers do not set up sessions or book people.
    assert client.get(reverse("classes_staff:session_new")).status_code == 404
    assert client.get(reverse("classes_staff:session_edit", args=[session.pk])).status_code == 404
    assert (
        client.post(
            reverse("classes_staff:book_person", args=[session.pk]), {"email": "x@example.test"}
        ).status_code
        == 404
    )


def test_learners_get_404_on_staff_pages(client, session, enrolled):
    client.force_login(enrolled())
    assert client.get(reverse("classes_staff:sessions")).status_code == 404
    assert client.get(reverse("classes_staff:register", args=[session.pk])).status_code == 404


def test_the_register_shows_names_only_unless_contacts_are_turned_on(
    client, session, teacher, booked, settings
):
    client.force_login(teacher)
    with time_machine.travel(session.starts_at, tick=False):
        page = client.get(reverse("classes_staff:register", args=[session.pk]))
        assert b"Ann" in page.content and b"Ben" in page.content
        assert b"ann@example.test" not in page.content
        detail = client.get(reverse("classes_staff:session", args=[session.pk]))
        assert b"ann@example.test" not in detail.content
        settings.CLASSES_SHOW_CONTACT_DETAILS = True
        page = client.get(reverse("classes_staff:register", args=[session.pk]))
    assert b"ann@example.test" in page.content


def test_the_teacher_marks_the_register(client, session, teacher, booked):
    ann, ben = booked
    bookings = {b.user_id: b.pk for b in Booking.objects.all()}
    client.force_login(teacher)
    url = reverse("classes_staff:register", args=[session.pk])
    with time_machine.travel(session.starts_at, tick=False):
        response = client.post(
            url,
            {
                f"status-{bookings[ann.pk]}": "present",
                f"status-{bookings[ben.pk]}": "excused",
                f"note-{bookings[ben.pk]}": "Doctor's appointment",
            },
        )
    assert response.status_code == 302
    marks = {a.booking.user_id: a for a in Attendance.objects.select_related("booking")}
    assert marks[ann.pk].status == "present"
    assert marks[ben.pk].status == "excused"
    assert marks[ben.pk].note == "Doctor's appointment"
    assert marks[ben.pk].marked_by == teacher
    assert marks[ben.pk].via == "register"


def test_a_bad_register_saves_nothing(client, session, teacher, booked):
    ann, ben = booked
    bookings = {b.user_id: b.pk for b in Booking.objects.all()}
    client.force_login(teacher)
    url = reverse("classes_staff:register", args=[session.pk])
    with time_machine.travel(session.starts_at, tick=False):
        response = client.post(
            url,
            {f"status-{bookings[ann.pk]}": "present", f"status-{bookings[ben.pk]}": "asleep"},
        )
        assert response.status_code == 400
        assert b"Choose present, late, absent or excused" in response.content
        long_note = client.post(
            url, {f"status-{bookings[ann.pk]}": "present", f"note-{bookings[ann.pk]}": "x" * 501}
        )
        assert long_note.status_code == 400
    assert not Attendance.objects.exists()


def test_the_register_is_closed_before_check_in_opens(client, session, teacher, booked):
    client.force_login(teacher)
    (first,) = Booking.objects.filter(user=booked[0])
    opens = session.checkin_opens_at
    with time_machine.travel(opens - timedelta(seconds=1), tick=False):
        response = client.post(
            reverse("classes_staff:register", args=[session.pk]), {f"status-{first.pk}": "present"}
        )
    assert response.status_code == 400
    assert b"The register opens when check-in opens" in response.content
    assert not Attendance.objects.exists()


def test_the_qr_screen_shows_a_fresh_code_and_its_script_fetches_new_ones(client, session, teacher):
    client.force_login(teacher)
    url = reverse("classes_staff:qr", args=[session.pk])
    before = client.get(url)
    assert b"QR check-in is open from" in before.content
    assert b"data:image/svg+xml" not in before.content
    with time_machine.travel(session.starts_at, tick=False):
        page = client.get(url)
    assert page.status_code == 200
    assert b"classes-qr.js" in page.content
    assert b"data:image/svg+xml" in page.content
    assert b"/sessions/check-in/" in page.content
    with time_machine.travel(session.starts_at, tick=False):
        fresh = client.get(reverse("classes_staff:qr_code", args=[session.pk])).json()
    assert fresh["open"] is True
    assert "/sessions/check-in/" in fresh["url"]
    assert fresh["qr_src"].startswith("data:image/svg+xml")
    assert client.get(reverse("classes_staff:qr_code", args=[session.pk])).json() == {
        "open": False,
        "url": "",
        "qr_src": "",
    }


def test_the_course_page_lists_sessions_with_book_and_cancel(client, session, course, enrolled):
    url = reverse("catalog:course", args=[course.slug])
    anonymous = client.get(url)
    assert b"Evening class" in anonymous.content
    assert b"Enrol on the course to book a place" in anonymous.content
    ann = enrolled("Ann")
    client.force_login(ann)
    page = client.get(url)
    assert b"Book a place" in page.content
    response = client.post(reverse("classes:book", args=[session.pk]), {"next": url + "#sessions"})
    assert response.status_code == 302
    assert response["Location"] == url + "#sessions"
    booking = Booking.objects.get(user=ann)
    page = client.get(url)
    assert b"You have a place." in page.content
    client.post(reverse("classes:cancel", args=[booking.pk]), {"next": "https://evil.test/"})
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_a_learner_cannot_cancel_someone_elses_booking(client, session, booked, enrolled):
    client.force_login(enrolled("Mallory"))
    other = Booking.objects.get(user=booked[0])
    assert client.post(reverse("classes:cancel", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.status == "booked"


def test_my_sessions_shows_the_meeting_link_only_with_a_place(client, course, enrolled):
    online = make_session(
        course,
        mode="online",
        venue="",
        address="",
        capacity=1,
        meeting_url="https://meet.example.test/room-42",
    )
    ann, ben = enrolled("Ann"), enrolled("Ben")
    booking_create(actor=ann, session=online, user=ann)
    booking_create(actor=ben, session=online, user=ben)
    client.force_login(ann)
    assert b"room-42" in client.get(reverse("classes:mine")).content
    client.force_login(ben)
    page = client.get(reverse("classes:mine"))
    assert b"room-42" not in page.content
    assert b"On the waitlist, number 1" in page.content


def test_staff_create_a_session_and_book_someone(client, admin, course, teacher, enrolled):
    client.force_login(admin)
    response = client.post(
        reverse("classes_staff:session_new"),
        {
            "course": course.pk,
            "title": "Saturday workshop",
            "mode": "in_person",
            "venue": "",
            "starts_at": "2030-03-14T09:30",
            "ends_at": "2030-03-14T12:30",
            "capacity": "1",
            "checkin_opens_minutes_before": "30",
            "late_after_minutes": "10",
            "teachers": [teacher.pk],
        },
    )
    assert response.status_code == 400
    assert b"Give the venue" in response.content
    assert not Session.objects.exists()
    response = client.post(
        reverse("classes_staff:session_new"),
        {
            "course": course.pk,
            "title": "Saturday workshop",
            "mode": "in_person",
            "venue": "Harbour Room",
            "starts_at": "2030-03-14T09:30",
            "ends_at": "2030-03-14T12:30",
            "capacity": "1",
            "checkin_opens_minutes_before": "30",
            "late_after_minutes": "10",
            "teachers": [teacher.pk],
        },
    )
    created = Session.objects.get()
    assert response.status_code == 302
    assert list(created.teachers.all()) == [teacher]
    ann = enrolled("Ann", email="ann@example.test")
    book = reverse("classes_staff:book_person", args=[created.pk])
    assert client.post(book, {"email": "ANN@example.test"}).status_code == 302
    assert Booking.objects.get(user=ann).booked_by_staff
    missing = client.post(book, {"email": "nobody@example.test"})
    assert missing.status_code == 400
    assert b"No learner has an account" in missing.content
