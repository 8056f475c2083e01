"""The provider dashboard in a real browser: an administrator, a tutor and a DPO each see what
they may, and every state passes axe-core."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import log_in, nav_to
from learnward.insights.periods import shift_months

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def dashboard_data(transactional_db, make_user, settings):
    from learnward.assessments.models import Attempt
    from learnward.certificates.models import Certificate, VerificationTally
    from learnward.learning.models import Completion, Enrolment
    from learnward.privacy.rights.models import RightsRequest
    from tests.catalog.factories import make_course

    settings.INSIGHTS_MIN_COUNT = 5
    tutor = make_user(email="tutor@example.test", roles=["Tutor"])
    make_user(email="admin@example.test", roles=["Administrator"])
    make_user(email="dpo@example.test", roles=["Data protection officer"])
    mine = make_course(title="Manual handling")
    mine.tutors.add(tutor)
    theirs = make_course(title="Fire safety")
    now = timezone.now()
    today = timezone.localdate()
    n = 0
    for course, learners, passes in ((mine, 7, 6), (theirs, 5, 5)):
        for i in range(learners):
            user = make_user()
            enrolment = Enrolment.objects.create(user=user, course=course, enrolled_at=now)
            Attempt.objects.create(
                assessment=course.assessment,
                user=user,
                number=1,
                started_at=now,
                submitted_at=now,
                passed=i < passes,
                score=Decimal(100 if i < passes else 0),
            )
            if i < passes:
                Completion.objects.create(enrolment=enrolment, completed_at=now)
                n += 1
                Certificate.objects.create(
                    code=f"E2E{n:010d}",
                    course=course,
                    user=user,
                    holder_name=user.display_name,
                    course_title=course.title,
                    cpd_hours=Decimal("1.0"),
                    awarded_on=today,
                    expires_on=today + timedelta(days=30),
                    status_list_index=n,
                )
    VerificationTally.objects.create(course=mine, month=today.replace(day=1), count=12)
    RightsRequest.objects.create(
        kind=RightsRequest.Kind.ACCESS,
        channel=RightsRequest.Channel.EMAIL,
        status=RightsRequest.Status.IN_PROGRESS,
        due_on=today - timedelta(days=2),
    )


def _open_dashboard(page) -> None:
    nav_to(page, "Insights")
    expect(page.get_by_role("heading", name="Provider dashboard", level=1)).to_be_visible()


def _show_data(page) -> None:
    """Open every "Show data" disclosure: the tables sit closed under their charts."""
    summaries = page.locator("details.insights-data > summary")
    for index in range(summaries.count()):
        summaries.nth(index).click()


def test_administrator_sees_all_courses_and_chooses_a_period(page, dashboard_data):
    log_in(page, "admin@example.test")
    _open_dashboard(page)
    expect(page.get_by_role("heading", name="Enrolments and completions")).to_be_visible()
    expect(page.get_by_role("img", name="Enrolments and completions per month")).to_be_visible()
    assert page.locator("svg[role=img]").count() == 5
    expect(page.get_by_role("region", name="Headline figures")).to_contain_text("Enrolments")
    # The tables are closed under their charts until "Show data" opens them.
    expect(page.get_by_role("table", name="Pass rate per assessment")).to_be_hidden()
    _show_data(page)
    results = page.get_by_role("table", name="Pass rate per assessment")
    expect(results.get_by_role("rowheader", name="Manual handling")).to_be_visible()
    expect(results.get_by_role("rowheader", name="Fire safety")).to_be_visible()
    # Manual handling: 7 learners, 1 did not pass: that count and its complement are hidden.
    row = results.get_by_role("row", name="Manual handling")
    expect(row.get_by_role("cell", name="fewer than 5")).to_be_visible()
    expect(page.get_by_role("heading", name="Data protection")).to_have_count(0)
    check_accessibility(page, label="dashboard for an administrator")

    # A period that ends before it starts: a clear message, no charts.
    this_month = timezone.localdate().replace(day=1)
    page.get_by_label("From", exact=True).fill(f"{this_month:%Y-%m}")
    page.get_by_label("To", exact=True).fill(f"{shift_months(this_month, -2):%Y-%m}")
    page.get_by_role("button", name="Show", exact=True).click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link", name="The first month must be the same as")).to_be_visible()
    assert page.title().startswith("Error: ")
    assert page.locator("svg[role=img]").count() == 0
    check_accessibility(page, label="dashboard with a bad period")

    page.get_by_label("From", exact=True).fill(f"{shift_months(this_month, -2):%Y-%m}")
    page.get_by_label("To", exact=True).fill(f"{this_month:%Y-%m}")
    page.get_by_role("button", name="Show", exact=True).click()
    _show_data(page)
    expect(page.get_by_text(f"Showing {shift_months(this_month, -2):%B %Y} to")).to_be_visible()
    activity = page.get_by_role("table", name="Enrolments and completions per month")
    assert activity.locator("tbody tr").count() == 3

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the verifications data (CSV)").click()
    assert download.value.suggested_filename.startswith("insights-verifications-")

    # One course: the charts, tables and headline figures cover it alone.
    page.get_by_label("Course", exact=True).select_option(label="Fire safety")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_text("How Fire safety is doing.")).to_be_visible()
    _show_data(page)
    results = page.get_by_role("table", name="Pass rate per assessment")
    expect(results.get_by_role("rowheader", name="Fire safety")).to_be_visible()
    expect(results.get_by_role("rowheader", name="Manual handling")).to_have_count(0)
    check_accessibility(page, label="dashboard for one course")


def test_tutor_sees_only_their_course(page, dashboard_data):
    log_in(page, "tutor@example.test")
    _open_dashboard(page)
    expect(
        page.get_by_text("How the courses you tutor are doing: Manual handling.")
    ).to_be_visible()
    _show_data(page)
    results = page.get_by_role("table", name="Pass rate per assessment")
    expect(results.get_by_role("rowheader", name="Manual handling")).to_be_visible()
    assert "Fire safety" not in page.content()
    expiring = page.get_by_role("table", name="Certificates expiring in the next 90 days")
    expect(expiring.get_by_role("cell", name="6", exact=True).first).to_be_visible()
    check_accessibility(page, label="dashboard for a tutor")


def test_dpo_sees_the_desk_panel(page, dashboard_data):
    log_in(page, "dpo@example.test")
    _open_dashboard(page)
    expect(page.get_by_role("heading", name="Data protection")).to_be_visible()
    requests = page.get_by_role("table", name="Open rights requests, soonest due first")
    expect(requests.get_by_text("Overdue", exact=True)).to_be_visible()
    expect(page.get_by_role("table", name="Rows due under each retention rule")).to_be_visible()
    assert page.locator("svg[role=img]").count() == 0
    assert "Manual handling" not in page.content()
    check_accessibility(page, label="dashboard for the DPO")
    requests.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Access")
