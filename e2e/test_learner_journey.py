"""The learner journey end to end in Chromium: sign up, verify by email, enrol, read every
lesson, fail the assessment once, pass it, and see the course completed on the dashboard.
axe-core checks the catalog, course, lesson, assessment, result and dashboard pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import fill_date, log_in, path_of

pytestmark = pytest.mark.e2e

EMAIL = "journey@example.test"
PASSWORD = "a-long-walk-in-the-hills"


@pytest.fixture
def course(db):
    from learnward.assessments.demo import assessment_from_spec
    from learnward.catalog.demo import course_from_spec
    from learnward.catalog.demo_content import GDPR

    course = course_from_spec(GDPR)
    assessment_from_spec(course, GDPR["assessment"])
    return course


def _answer(page, course, *, right: bool) -> None:
    from learnward.assessments.models import Question

    questions = Question.objects.filter(course=course).prefetch_related("choices")
    for number, question in enumerate(questions, start=1):
        group = page.get_by_role("group", name=f"Question {number}: {question.text}")
        choices = [c for c in question.choices.all() if c.is_correct == right]
        for choice in choices if right else choices[:1]:
            group.get_by_label(choice.text, exact=True).check()


def test_learner_signs_up_studies_fails_then_passes(
    page, live_server, smtp_server, settings, course
):
    from django.core.cache import cache

    cache.clear()
    settings.BASE_URL = live_server.url

    # 1. Sign up.
    page.goto("/accounts/signup/")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Your name").fill("Jo Journey")
    fill_date(page, "Date of birth", "1990-04-12")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    # 2. Open the verification link from the email the SMTP server received, then log in.
    [mail] = smtp_server.to(EMAIL)
    link = next(link for link in mail.links() if "/accounts/verify/" in link)
    page.goto(path_of(link))
    log_in(page, EMAIL, PASSWORD)

    # 3. Find the course in the catalog and enrol.
    page.goto("/courses/")
    check_accessibility(page, label="catalog")
    page.get_by_role("link", name=course.title).click()
    check_accessibility(page, label="course page")
    page.get_by_role("button", name="Enrol on this course").click()
    expect(page.get_by_text(f"You are enrolled on {course.title}.")).to_be_visible()
    check_accessibility(page, label="course page, enrolled")

    # 4. Read every lesson, marking each complete; the last one leads to the assessment.
    page.get_by_role("link", name="Start the first lesson").click()
    check_accessibility(page, label="lesson")
    lessons = 0
    while page.get_by_role("button", name=re.compile("^Mark as complete")).count():
        assert page.locator(".lesson-body p").count() >= 2
        page.get_by_role("button", name=re.compile("^Mark as complete")).click()
        lessons += 1
    from learnward.catalog.models import Lesson

    assert lessons == Lesson.objects.filter(module__course=course).count()
    expect(page.get_by_role("heading", name=course.assessment.title)).to_be_visible()
    # 5. Fail the assessment once...
    page.get_by_role("button", name="Start attempt 1 of 3").click()
    check_accessibility(page, label="assessment")
    _answer(page, course, right=False)
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("You did not pass")).to_be_visible()
    check_accessibility(page, label="result (failed)")

    # ...then pass it.
    page.get_by_role("link", name="Try again").click()
    page.get_by_role("button", name="Start attempt 2 of 3").click()
    _answer(page, course, right=True)
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("You passed with 100%")).to_be_visible()
    expect(page.get_by_text(f"You have completed {course.title}")).to_be_visible()
    # 6. The dashboard shows the course completed.
    page.goto("/dashboard/")
    completed = page.get_by_role("region", name="Completed")
    expect(completed.get_by_role("row", name=re.compile(course.title))).to_be_visible()
    assert (
        page.get_by_role("region", name="In progress")
        .get_by_text("You have no courses in progress")
        .is_visible()
    )
    check_accessibility(page, label="dashboard")

    from learnward.learning.models import Completion

    assert Completion.objects.filter(enrolment__user__email=EMAIL).count() == 1


def test_awarding_body_enrolment_form_is_accessible_and_asks_only_what_is_needed(
    page, live_server, make_user, settings
):
    from django.core.cache import cache

    from learnward.catalog.demo import course_from_spec
    from learnward.catalog.demo_content import MANUAL_HANDLING
    from learnward.learning.models import RegistrationDetails

    cache.clear()
    course = course_from_spec(MANUAL_HANDLING)
    make_user(email="reg@example.test", display_name="Reg Istrant")
    log_in(page, "reg@example.test")
    page.goto(course.get_absolute_url())
    page.get_by_role("link", name="Enrol on this course").click()
    body = course.awarding_body
    expect(page.get_by_role("heading", name="Who receives these details, and why")).to_be_visible()
    expect(page.get_by_text(body.purpose)).to_be_visible()
    check_accessibility(page, label="awarding-body enrolment form")

    # Ethnicity answered without consent: refused, and the error is announced and linked.
    fill_date(page, "Date of birth", "1985-06-30")
    page.get_by_label("Home postcode").fill("ls1 4ap")
    page.get_by_role("group", name="Ethnicity (optional)").get_by_label("White").check()
    page.get_by_role("button", name="Enrol on this course").click()
    expect(page.get_by_role("alert").get_by_text("explicit consent")).to_be_visible()
    check_accessibility(page, label="awarding-body enrolment form with errors")
    assert not RegistrationDetails.objects.exists()

    page.get_by_label(re.compile("^I explicitly consent")).check()
    page.get_by_role("button", name="Enrol on this course").click()
    expect(page.get_by_text(f"You are enrolled on {course.title}.")).to_be_visible()
    details = RegistrationDetails.objects.get(enrolment__user__email="reg@example.test")
    assert details.home_postcode == "LS1 4AP" and details.ethnicity == "white"
    assert details.special_category_consent_text.startswith("I explicitly consent")
