"""The demo cohort gives the provider dashboard something to show after `make run`."""

from __future__ import annotations

import pytest
from django.utils import timezone

from learnward.accounts.models import User
from learnward.catalog.selectors import course_outline
from learnward.certificates.models import Certificate, VerificationTally
from learnward.core.demo import load_demo
from learnward.insights.periods import Period
from learnward.insights.selectors import chart_data, insights_scope
from learnward.learning.models import Completion, Enrolment
from learnward.learning.selectors import course_progress

pytestmark = pytest.mark.django_db


def shown(data) -> int:
    return sum(1 for row in data.rows for cell in row.cells if cell.shown and cell.value)


def test_the_demo_dashboard_shows_charts_not_only_suppressed_cells():
    result = load_demo()
    assert result["cohort"]["learners"] == 48
    admin = User.objects.get(email="admin@learnward.test")
    tutor = User.objects.get(email="tutor@learnward.test")
    today = timezone.localdate()
    period = Period.default(today)
    for actor in (admin, tutor):
        scope = insights_scope(actor=actor)
        activity = chart_data(scope=scope, name="activity", period=period, today=today)
        assert shown(activity) >= 8, "most months show enrolments or completions"
        assert any(c.suppressed for row in activity.rows for c in row.cells), (
            "some months stay under the threshold, so the demo also shows suppression"
        )
        assessments = chart_data(scope=scope, name="assessments", period=period, today=today)
        rates = [row.cells[3] for row in assessments.rows]
        assert sum(rate.shown for rate in rates) >= 2, "pass rates, not only suppressed cells"
        verifications = chart_data(scope=scope, name="verifications", period=period, today=today)
        assert shown(verifications) >= 6


def test_cohort_accounts_cannot_sign_in_and_their_records_hang_together():
    load_demo()
    cohort = User.objects.filter(email__startswith="cohort")
    assert cohort.count() == 48
    assert not any(user.has_usable_password() for user in cohort)
    completions = Completion.objects.filter(enrolment__user__in=cohort).select_related(
        "enrolment__course", "enrolment__user"
    )
    assert completions.count() >= 20
    now = timezone.now()
    for completion in completions:
        enrolment = completion.enrolment
        assert enrolment.enrolled_at < completion.completed_at < now
        progress = course_progress(
            user=enrolment.user,
            course=enrolment.course,
            outline=course_outline(course=enrolment.course),
        )
        assert progress.completed == progress.total, "a completer completed every lesson"
        certificate = Certificate.objects.get(completion=completion)
        assert certificate.awarded_on == timezone.localdate(completion.completed_at)


def test_the_cohort_is_loaded_once():
    load_demo()
    counts = (User.objects.count(), Enrolment.objects.count(), VerificationTally.objects.count())
    load_demo()
    assert (
        User.objects.count(),
        Enrolment.objects.count(),
        VerificationTally.objects.count(),
    ) == counts
