"""LTI 1.3 in a real browser against the loopback platform (tests/fakes/lti_platform.py), with
axe-core on the tool's pages and a 390-pixel phone: the platform's course link sends the
browser through the tool's login initiation and the platform's auth page, whose form posts the
signed id_token to the tool, and the learner lands on the course, signed in and enrolled. An
instructor's Deep Linking picks a course and the signed answer goes back to the platform.
Staff see the registration with the addresses to give the platform."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import log_in
from tests.fakes.lti_platform import INSTRUCTOR, FakeLtiPlatform

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


def _fits_a_phone(page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url
    page.set_viewport_size({"width": 1280, "height": 720})


@pytest.fixture
def lms(live_server, settings, db):
    from learnward.lti import keys
    from learnward.lti.models import LtiDeployment, LtiPlatform

    settings.LTI_ALLOW_LOOPBACK = True
    settings.BASE_URL = live_server.url
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    fake = FakeLtiPlatform(host="localhost").start()
    fake.tool_jwks = keys.jwks()
    platform = LtiPlatform.objects.create(**fake.registration())
    LtiDeployment.objects.create(platform=platform, deployment_id=fake.deployment_id)
    fake.tool_login_url = f"{live_server.url}/lti/login/{platform.uuid}/"
    fake.tool_launch_url = f"{live_server.url}/lti/launch/"
    fake.platform = platform
    yield fake
    fake.stop()


def test_a_learner_launched_from_the_lms_lands_on_the_course_enrolled(page, lms):
    from learnward.learning.models import Enrolment
    from learnward.lti.models import LtiAccountLink
    from tests.catalog.factories import make_course

    course = make_course(title="Moving and handling people", modules=1, lessons_per_module=2)
    lms.next_launch(course_slug=course.slug, sub="moodle-user-17", name="Sam Carer")

    page.goto(lms.base_url + "/start")

    expect(page.get_by_role("heading", level=1, name="Moving and handling people")).to_be_visible()
    expect(page.get_by_role("heading", name="Your progress")).to_be_visible()
    link = LtiAccountLink.objects.get(subject="moodle-user-17")
    assert Enrolment.objects.filter(user=link.user, course=course).exists()
    check_accessibility(page, label="course page after an LTI launch")
    _fits_a_phone(page)

    # Following the link in the LMS again opens the course again, in the same account.
    page.goto(lms.base_url + "/start")
    expect(page.get_by_role("heading", level=1, name="Moving and handling people")).to_be_visible()
    assert LtiAccountLink.objects.count() == 1


def test_a_refused_launch_explains_itself(page, lms):
    lms.next_launch(course_slug="no-such-course")

    page.goto(lms.base_url + "/start")

    expect(page.get_by_role("heading", name="Could not open the course")).to_be_visible()
    expect(page.get_by_text("not available")).to_be_visible()
    check_accessibility(page, label="refused LTI launch")
    _fits_a_phone(page)


def test_an_instructor_picks_a_course_and_the_lms_gets_a_signed_link(page, lms):
    from tests.catalog.factories import make_course

    make_course(title="Infection control", modules=1, lessons_per_module=1)
    chosen = make_course(title="Safeguarding adults", modules=1, lessons_per_module=1)
    lms.next_launch(kind="deep_link", roles=[INSTRUCTOR])

    page.goto(lms.base_url + "/start")

    expect(page.get_by_role("heading", name="Choose a course")).to_be_visible()
    check_accessibility(page, label="Deep Linking course picker")
    _fits_a_phone(page)
    page.get_by_label("Safeguarding adults").check()
    page.get_by_role("button", name="Add this course").click()

    expect(page.get_by_text("Added.")).to_be_visible()  # the platform's page
    (token,) = lms.deep_links
    (item,) = lms.deep_link_claims(token)[
        "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"
    ]
    assert item["custom"] == {"learnward_course": chosen.slug}


def test_staff_see_the_registration_and_the_urls_to_give_the_platform(
    browser, live_server, lms, make_user
):
    from learnward.accounts.roles import ADMINISTRATOR

    admin = make_user(email="lti-admin@example.test", roles=[ADMINISTRATOR])
    context = browser.new_context(base_url=live_server.url, locale="en-GB", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, admin.email)

    page.goto("/staff/lti/")
    expect(page.get_by_role("heading", name="LTI platforms")).to_be_visible()
    check_accessibility(page, label="LTI platforms")
    _fits_a_phone(page)
    page.get_by_role("link", name="Loopback LMS").click()
    expect(page.get_by_text(f"/lti/login/{lms.platform.uuid}/")).to_be_visible()
    check_accessibility(page, label="LTI platform registration")
    _fits_a_phone(page)
    context.close()
