"""Renewing a certificate in Chromium: a learner whose certificate expires next month opens its
renew page, starts the renewal, takes the course again and sees the new certificate on the
dashboard; the old certificate's verification page says it was renewed. axe-core checks the renew
page and the verification page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import log_in

pytestmark = pytest.mark.e2e

EMAIL = "renewer@example.test"


@pytest.fixture
def expiring(transactional_db, make_user, settings, live_server):
    """A learner holding a certificate for a course that renews itself, expiring in a month."""
    from tests.certificates.renewal_support import finish, renewable_course

    settings.BASE_URL = live_server.url
    learner = make_user(email=EMAIL, display_name="Rene Newall")
    course = renewable_course(title="Food Hygiene Level 2", validity=12)
    with time_machine.travel(timezone.now() - timedelta(days=335)):
        certificate = finish(learner, course)
    assert 0 < (certificate.expires_on - timezone.localdate()).days <= 31
    return learner, course, certificate


def test_learner_renews_an_expiring_certificate(page, expiring):
    from learnward.assessments.models import Question
    from learnward.certificates.models import Certificate

    learner, course, old = expiring
    log_in(page, EMAIL)

    page.goto(f"/certificates/{old.display_code}/renew/")
    expect(page.get_by_role("heading", name="Renew your certificate")).to_be_visible()
    expect(page.get_by_text(f"take {course.title} again", exact=False)).to_be_visible()
    check_accessibility(page, label="renew page")
    page.get_by_role("button", name="Start renewal").click()
    expect(page.get_by_text(f"Renewal started: complete {course.title}")).to_be_visible()
    expect(page.get_by_text("0 of 2 lessons completed")).to_be_visible()

    page.get_by_role("link", name="Start the first lesson").click()
    while page.get_by_role("button", name=re.compile("^Mark as complete")).count():
        page.get_by_role("button", name=re.compile("^Mark as complete")).click()
    page.get_by_role("button", name="Start attempt 1 of 3").click()
    question = Question.objects.get(course=course)
    page.get_by_role("group", name=f"Question 1: {question.text}").get_by_label(
        "Right", exact=True
    ).check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text(f"You have completed {course.title}")).to_be_visible()

    new = Certificate.objects.get(renews=old)
    page.goto("/dashboard/")
    certificates = page.get_by_role("region", name="Your certificates")
    # Listed with its own link (the old one's entry links to it as well, as its renewal).
    new_links = certificates.locator(f'a[href="/certificates/{new.display_code}/"]')
    expect(new_links.first).to_be_visible()
    expect(certificates.get_by_role("link", name=course.title, exact=True)).to_have_count(2)

    page.goto(f"/verify/{old.display_code}/")
    expect(page.get_by_text("Renewed by", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=new.display_code)).to_be_visible()
    check_accessibility(page, label="verification page of a renewed certificate")
    page.get_by_role("link", name=new.display_code).click()
    expect(page.get_by_role("heading", name=f"Certificate {new.display_code}")).to_be_visible()
    expect(page.get_by_text("Renews", exact=True)).to_be_visible()
    old.refresh_from_db()
    assert old.revoked_on is None and old.status == "valid"


def test_the_course_page_offers_the_holder_a_due_renewal(page, expiring):
    learner, course, old = expiring
    log_in(page, EMAIL)
    page.goto(f"/courses/{course.slug}/")
    offer = page.get_by_role("note").filter(has_text=f"Your certificate {old.display_code}")
    expect(offer).to_contain_text(f"expires on {old.expires_on:%-d %B %Y}")
    check_accessibility(page, label="course page with a renewal offer")
    offer.get_by_role("link", name=re.compile("^Renew your certificate")).click()
    expect(page.get_by_role("heading", name="Renew your certificate")).to_be_visible()
    expect(page.get_by_role("button", name="Start renewal")).to_be_visible()
