"""The dashboard page and its CSV exports: who gets in, what they see, bad input, exports."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learnward.audit.actions import Action
from learnward.audit.models import AuditEntry
from tests.catalog.factories import make_course
from tests.insights.conftest import at

pytestmark = pytest.mark.django_db

URL = "/staff/insights/"


def export_url(chart: str, query: str = "") -> str:
    return reverse("insights:export", kwargs={"chart": chart}) + (f"?{query}" if query else "")


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def exports() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=Action.DASHBOARD_EXPORTED))


# --- Who gets in -------------------------------------------------------------------------------------


def test_urls():
    assert reverse("insights:dashboard") == URL
    assert export_url("activity") == "/staff/insights/export/activity.csv"


def test_anonymous_is_sent_to_log_in(client):
    for url in (URL, export_url("activity")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")


@pytest.mark.parametrize("roles", [(), ("Course author",)])
def test_learners_and_other_staff_get_404(client, make_user, world, roles):
    client.force_login(make_user(roles=roles))
    assert client.get(URL).status_code == 404
    assert client.get(export_url("activity")).status_code == 404
    assert exports() == []


def test_a_tutor_who_loses_the_role_loses_the_dashboard(client, tutor, world):
    tutor.groups.clear()
    client.force_login(tutor)
    assert client.get(URL).status_code == 404


def test_staff_with_two_factor_must_verify_the_session_first(client, admin):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    client.force_login(admin)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor")


# --- What each role sees ---------------------------------------------------------------------------


def test_administrator_sees_every_course_and_no_dpo_panel(client, admin, world):
    client.force_login(admin)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.text
    assert response["Cache-Control"] == "private, no-store"
    assert "How all courses are doing." in page
    for heading in (
        "Enrolments and completions",
        "Assessment results",
        "Certificates issued and expired",
        "Certificates expiring soon",
        "Verifications",
    ):
        assert f">{heading}</h2>" in page
    assert page.count('role="img"') == 5 and page.count("<caption>") == 5
    assert "Fire safety" in page and "First aid" in page and "Manual handling" in page
    assert "Data protection</h2>" not in page
    assert "<td>16</td>" in page  # January's enrolments across courses
    assert 'href="/staff/insights/"' in page  # the navigation links here


def test_tutor_sees_only_their_courses(client, tutor, world):
    client.force_login(tutor)
    page = client.get(URL).text
    assert "How the courses you tutor are doing: Manual handling." in page
    # Course B has enrolments, results, certificates and checks: none of it reaches the tutor.
    assert "Fire safety" not in page and "First aid" not in page
    assert "<td>16</td>" not in page and "<td>6</td>" in page
    assert "Data protection</h2>" not in page


def test_dpo_sees_the_panel_and_no_course_charts(client, dpo, world):
    client.force_login(dpo)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.text
    assert "Data protection</h2>" in page
    assert "Enrolments and completions" not in page and "Manual handling" not in page
    assert 'role="img"' not in page and "period-form" not in page
    # The period is not theirs to choose: nonsense in the query is ignored, not an error.
    assert client.get(URL + "?start=nonsense").status_code == 200
    assert client.get(export_url("activity")).status_code == 404
    assert client.get(export_url("activity", "start=nonsense")).status_code == 404


def test_superuser_sees_everything(client, make_user, world):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    page = client.get(URL).text
    assert "Data protection</h2>" in page and "Fire safety" in page


def test_suppressed_cells_read_fewer_than_five_and_not_shown(client, admin, world):
    client.force_login(admin)
    page = client.get(URL).text
    assert '<td class="insights-suppressed">fewer than 5</td>' in page
    assert '<td class="insights-suppressed">not shown</td>' in page
    assert "<td>50%</td>" in page and "<td>1.5</td>" in page


# --- The period ----------------------------------------------------------------------------------


def test_a_chosen_period(client, admin, world):
    client.force_login(admin)
    response = client.get(URL, {"start": "2025-01", "end": "2025-02"})
    assert response.status_code == 200
    assert "Showing <strong>January 2025 to February 2025</strong>" in response.text
    assert "Jul 2024" not in response.text
    assert "?start=2025-01&amp;end=2025-02" in response.text  # the CSV links keep the period


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "soon", "end": "2025-06"}, "Enter the first month as a year and month"),
        ({"start": "2025-13", "end": "2025-06"}, "Enter the first month as a year and month"),
        ({"start": "2025-01", "end": "2025-07"}, "The last month cannot be after this month"),
        ({"start": "2025-05", "end": "2025-01"}, "The first month must be the same as or before"),
        ({"start": "2020-01", "end": "2025-06"}, "Choose a period of at most 36 months."),
        ({"start": "1999-12", "end": "2000-01"}, "The first month must be January 2000 or later."),
        ({"start": "0000-01", "end": "2000-01"}, "The first month must be January 2000 or later."),
        ({"start": "2025-01"}, "Enter the last month, for example 2025-06."),
        ({"start": "", "end": ""}, "Enter the first month, for example 2025-01."),
    ],
)
def test_bad_period_is_a_400_with_a_clear_message(client, admin, world, query, message):
    client.force_login(admin)
    response = client.get(URL, query)
    assert response.status_code == 400
    assert message in response.text
    assert "There is a problem" in response.text and "<title>Error: " in response.text
    assert 'role="img"' not in response.text  # no charts for a period that makes no sense
    csv_response = client.get(export_url("activity"), query)
    assert csv_response.status_code == 400
    assert message in csv_response.text
    assert exports() == []


# --- CSV exports -----------------------------------------------------------------------------------


def test_activity_csv(client, admin, world):
    client.force_login(admin)
    response = client.get(export_url("activity"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="insights-activity-2024-07-to-2025-06.csv"'
    )
    assert response["Cache-Control"] == "private, no-store"
    rows = rows_of(response)
    assert rows[0] == ["month", "enrolments", "completions"]
    assert len(rows) == 1 + 12 + 1
    by_month = {row[0]: row[1:] for row in rows[1:]}
    assert by_month["2024-07"] == ["5", "0"]
    assert by_month["2025-01"] == ["16", "5"]
    assert by_month["2025-02"] == ["<5", "7"]
    assert by_month["Total"] == ["suppressed", "12"]
    [entry] = exports()
    assert entry.actor_id == admin.pk and entry.payload == {"chart": "activity"}


def test_assessments_csv_has_the_same_suppression_as_the_page(client, admin, world):
    client.force_login(admin)
    rows = rows_of(client.get(export_url("assessments")))
    assert rows == [
        ["assessment", "learners", "passed", "not_passed", "pass_rate_percent", "average_attempts"],
        ["Fire safety", "10", "5", "5", "50.0", "1.50"],
        ["First aid", "<5", "suppressed", "suppressed", "suppressed", "suppressed"],
        ["Manual handling", "6", "suppressed", "<5", "suppressed", "1.33"],
    ]


def test_tutor_csv_is_scoped(client, tutor, world):
    client.force_login(tutor)
    response = client.get(export_url("expiring"), {"start": "2025-01", "end": "2025-03"})
    assert response["Content-Disposition"].endswith('insights-expiring-2025-01-to-2025-03.csv"')
    assert rows_of(response) == [["course", "expiring"], ["Manual handling", "5"], ["Total", "5"]]
    verifications = rows_of(client.get(export_url("verifications")))
    assert ["2025-01", "7"] in verifications and ["2025-03", "0"] in verifications


def test_csv_cells_cannot_run_as_formulas(client, admin, factory):
    client.force_login(admin)
    titles = ['=HYPERLINK("http://evil.example")', "+1+1", "-2+3", "@SUM(A1)"]
    for title in titles:
        course = make_course(title=title)
        for _ in range(5):
            factory.certificate(course, awarded=date(2024, 8, 1), expires=date(2025, 7, 1))
    rows = rows_of(client.get(export_url("expiring")))
    assert sorted(row[0] for row in rows[1:-1]) == sorted(f"'{t}" for t in titles)


def test_unknown_chart_is_404(client, admin):
    client.force_login(admin)
    assert client.get("/staff/insights/export/people.csv").status_code == 404
    assert exports() == []


# --- Efficiency ----------------------------------------------------------------------------------


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_the_data(client, make_user, factory, tutor):
    from learnward.privacy.records.models import Breach, BreachNotification
    from learnward.privacy.rights.models import RightsRequest

    superuser = make_user(is_superuser=True, is_staff=True)
    course = make_course(title="Small")
    course.tutors.add(tutor)
    factory.enrol(factory.learners(1), course, at(2025, 1, 5))
    client.force_login(superuser)
    client.get(URL)  # warm caches (content types, permissions)
    small = _queries(client)
    client.force_login(tutor)
    client.get(URL)
    small_tutor = _queries(client)

    for n in range(6):
        more = make_course(title=f"More {n}")
        more.tutors.add(tutor)
        learners = factory.learners(4)
        enrolments = factory.enrol(learners, more, at(2024, 7 + n, 3))
        factory.complete(enrolments, at(2025, n + 1, 4))
        for user in learners:
            factory.attempt(user, more, passed=n % 2 == 0, when=at(2025, n + 1, 4))
            factory.certificate(more, awarded=date(2025, n + 1, 4), expires=date(2025, 8, n + 1))
        factory.tally(more, date(2025, n + 1, 1), 9)
        RightsRequest.objects.create(
            kind="access",
            channel="email",
            requester_email=f"r{n}@example.test",
            status="in_progress",
            due_on=timezone.localdate() + timedelta(days=n - 3),
        )
        # Breaches, open and closed, each with notifications: the panel's clocks need no
        # query per breach.
        breach = Breach.objects.create(
            title=f"Breach {n}", detected_at=timezone.now() - timedelta(days=n)
        )
        BreachNotification.objects.create(
            breach=breach, user=learners[0], status="sent", created_at=timezone.now()
        )
    client.force_login(superuser)
    assert _queries(client) == small
    client.force_login(tutor)
    assert _queries(client) == small_tutor
