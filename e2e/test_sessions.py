"""A taught course in a real browser, with axe-core on every page: an administrator sets up a
session of two places; three learners book it and the third joins the waitlist; one cancels, and
the third is promoted and emailed once, with an .ics that a calendar parser reads as an update of
the event they had; the teacher shows the QR check-in code, a learner's browser opens the link
the code holds and checks in, and the teacher marks the register; the course's attendance rule
completes the course, and the certificate verifies."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import log_in, log_out, nav_to, path_of

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


def _fits_a_phone(page) -> None:
    """At 390 pixels wide the page does not scroll sideways."""
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url
    page.set_viewport_size({"width": 1280, "height": 720})


def _browser_of(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def _invitation(message):
    (part,) = [p for p in message.message.walk() if p.get_content_type() == "text/calendar"]
    calendar = Calendar.from_ical(part.get_payload(decode=True))
    (event,) = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), event


def test_a_session_is_booked_waitlisted_promoted_checked_in_and_certified(
    page, browser, live_server, smtp_server, settings, make_user
):
    from learnward.accounts.roles import ADMINISTRATOR, TEACHER
    from learnward.certificates.models import Certificate
    from learnward.classes.models import AttendanceRule, Booking
    from learnward.learning.services import enrolment_create
    from tests.catalog.factories import make_course

    settings.BASE_URL = live_server.url
    course = make_course(
        title="First aid at work", modules=0, questions=0, certificate_validity_months=36
    )
    AttendanceRule.objects.create(course=course, min_percent=100)
    make_user(email="admin@example.test", display_name="Morgan Admin", roles=[ADMINISTRATOR])
    make_user(email="tess@example.test", display_name="Tess Teacher", roles=[TEACHER])
    learners = {}
    for email, name in (
        ("ann@example.test", "Ann Able"),
        ("ben@example.test", "Ben Bell"),
        ("cat@example.test", "Cat Cole"),
    ):
        learners[email] = make_user(email=email, display_name=name)
        enrolment_create(user=learners[email], course=course)

    # 1. The administrator sets up the session: two places, check-in open now.
    starts = timezone.localtime(timezone.now() + timedelta(minutes=20)).replace(second=0)
    log_in(page, "admin@example.test")
    nav_to(page, "Sessions to run")
    check_accessibility(page, label="staff sessions, none yet")
    page.get_by_role("link", name="New session").click()
    check_accessibility(page, label="new session form")
    page.get_by_label("Course").select_option(label="First aid at work")
    page.get_by_label("Title").fill("Practical day")
    page.get_by_label("In person").check()
    page.get_by_label("Venue").fill("Harbour Training Centre")
    page.get_by_label("Starts").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends").fill((starts + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Places").fill("2")
    page.get_by_label("Tess Teacher").check()
    page.get_by_role("button", name="Create the session").click()
    expect(page.get_by_role("heading", name="Practical day")).to_be_visible()
    check_accessibility(page, label="staff session page")
    log_out(page)

    # 2. Three learners book from the course page; the third joins the waitlist.
    contexts = {}
    for email in learners:
        context, their_page = _browser_of(browser, live_server)
        contexts[email] = (context, their_page)
        log_in(their_page, email)
        their_page.goto(f"/courses/{course.slug}/")
        sessions = their_page.locator(".session-list")
        expect(sessions).to_contain_text("Practical day")
        check_accessibility(their_page, label=f"course page before booking ({email})")
        sessions.get_by_role("button", name="on Practical day").click()
    ann_page, ben_page, cat_page = (contexts[e][1] for e in learners)
    expect(ann_page.get_by_text("You have a place on Practical day.")).to_be_visible()
    expect(cat_page.get_by_text("Practical day is full: you are on its waitlist.")).to_be_visible()
    check_accessibility(cat_page, label="course page, on the waitlist")
    _fits_a_phone(cat_page)
    statuses = dict(Booking.objects.values_list("user__email", "status"))
    assert statuses == {
        "ann@example.test": "booked",
        "ben@example.test": "booked",
        "cat@example.test": "waitlisted",
    }
    (waitlisted_email,) = smtp_server.to("cat@example.test")
    _, tentative = _invitation(waitlisted_email)

    # 3. Ann cancels from My sessions; Cat is promoted and emailed once, as an update.
    nav_to(ann_page, "My sessions")
    expect(ann_page.get_by_role("heading", name="My sessions")).to_be_visible()
    check_accessibility(ann_page, label="my sessions")
    _fits_a_phone(ann_page)
    ann_page.get_by_role("button", name="Cancel my place on Practical day").click()
    expect(ann_page.get_by_text("Your booking on Practical day is cancelled.")).to_be_visible()
    check_accessibility(ann_page, label="my sessions after cancelling")
    cat_emails = smtp_server.to("cat@example.test")
    promoted = [m for m in cat_emails if m.subject.startswith("A place came free")]
    assert len(promoted) == 1 and len(cat_emails) == 2
    method, update = _invitation(promoted[0])
    assert method == "REQUEST"
    assert str(update["UID"]) == str(tentative["UID"])
    assert int(update["SEQUENCE"]) > int(tentative["SEQUENCE"])
    assert str(update["STATUS"]) == "CONFIRMED"
    cat_page.goto("/sessions/")
    expect(cat_page.get_by_text("Booked", exact=True)).to_be_visible()

    # 4. The teacher shows the QR check-in code; Ben's browser opens the link it holds.
    log_in(page, "tess@example.test")
    nav_to(page, "Sessions to run")
    check_accessibility(page, label="teacher's sessions")
    page.get_by_role("link", name="Practical day").click()
    check_accessibility(page, label="teacher's session page")
    page.get_by_role("link", name="QR check-in").click()
    qr = page.get_by_role("img", name="QR code for checking in to Practical day")
    expect(qr).to_be_visible()
    check_accessibility(page, label="QR check-in screen")
    _fits_a_phone(page)
    checkin_url = page.locator("#checkin-link").get_attribute("href")
    import zxingcpp
    from PIL import Image

    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert [r.text for r in decoded] == [checkin_url]
    ben_page.goto(path_of(checkin_url))
    expect(ben_page.get_by_role("heading", name="Check in to Practical day")).to_be_visible()
    check_accessibility(ben_page, label="check-in page")
    ben_page.get_by_role("button", name="Check in").click()
    expect(ben_page.get_by_text("You are checked in: present")).to_be_visible()
    check_accessibility(ben_page, label="checked in")
    _fits_a_phone(ben_page)
    # Ann cancelled: the same code refuses her and records nothing.
    ann_page.goto(path_of(checkin_url))
    expect(ann_page.get_by_text("You do not have a place on Practical day")).to_be_visible()
    expect(ann_page.get_by_text("Nothing was recorded.")).to_be_visible()
    check_accessibility(ann_page, label="check-in refused")

    # 5. The teacher marks the register: Cat present (Ben checked in by QR code).
    page.goto(page.url.replace("/check-in/", "/register/"))
    expect(page.get_by_role("heading", name="Register: Practical day")).to_be_visible()
    expect(page.get_by_role("group", name="Ben Bell")).to_contain_text("checked in by QR code")
    check_accessibility(page, label="register")
    _fits_a_phone(page)
    cat = page.get_by_role("group", name="Cat Cole")
    cat.get_by_label("Present").check()
    cat.get_by_label("Note (optional)").fill("Arrived with Ben")
    page.get_by_role("button", name="Save the register").click()
    expect(page.get_by_text("Register saved (1 change).")).to_be_visible()
    assert "ann@example.test" not in page.content()
    check_accessibility(page, label="register saved")

    # 6. The attendance rule completed the course; Cat's certificate verifies.
    certificate = Certificate.objects.get(user=learners["cat@example.test"], course=course)
    assert Certificate.objects.filter(course=course).count() == 2  # Ben and Cat
    cat_page.goto(f"/courses/{course.slug}/")
    expect(cat_page.get_by_text("You completed this course").first).to_be_visible()
    check_accessibility(cat_page, label="course page, completed")
    log_out(page)
    page.goto(f"/verify/{certificate.display_code}/")
    assert page.locator(".lead .status-valid").inner_text() == "valid"
    check_accessibility(page, label="certificate verified")
    for context, _ in contexts.values():
        context.close()
