"""The matrix page and its CSV: access, the accessible chart and tables, filters, the CSV's
neutralised cells and audit entry, and the minimum a manager sees."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from learnward.audit.actions import Action
from learnward.audit.models import AuditEntry
from tests.organisations.test_matrix_support import (
    add_member,
    certify,
    clock,  # noqa: F401 - fixture
    make_course,
    make_org,
    progress,
    require,
    staff_manager,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def setup(make_user, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    org = make_org()
    manager = make_user(email="manager@example.test", display_name="Mina Manager")
    add_member(org, manager, manager=True, department="Office")
    safeguarding = make_course("Safeguarding")
    food = make_course("Food hygiene")
    require(org, safeguarding, renewal_months=12)
    require(org, food, department="Kitchen")
    cook = make_user(display_name="Colin Cook")
    add_member(org, cook, department="Kitchen")
    certify(cook, safeguarding, awarded_on=date(2024, 7, 1))
    progress(cook, food, 2)
    return org, manager, cook, safeguarding, food


def url(org, name="matrix"):
    return reverse(f"organisations:{name}", args=[org.slug])


def test_the_page_for_a_manager(client, setup):
    org, manager, *_ = setup
    client.force_login(manager)
    response = client.get(url(org))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    assert "Compliance matrix: Oak Care Home" in html
    # The chart: an image named by its title and described, then the same numbers as a table.
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    root = ET.fromstring(svg)  # noqa: S314 - our own markup
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "matrix-chart-title matrix-chart-desc"
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}title").text == "Required training by status"
    assert "of the 2 members" in root.find(f"{ns}desc").text
    assert '<table id="summary-table">' in html
    # The people table scrolls inside a named, focusable region; cells are words.
    assert (
        '<div class="table-scroll" role="region" aria-labelledby="people-caption" tabindex="0">'
        in html
    )
    assert '<caption id="people-caption">' in html
    assert '<th scope="col">Safeguarding</th>' in html
    assert '<th scope="row">' in html
    assert "Expires within 30 days: 1 Jul 2025" in html
    assert "In progress: 50%" in html
    assert "Kitchen only" in html
    assert "Not required" in html  # the manager, in the office, for food hygiene


def test_filters(client, setup):
    org, manager, *_ = setup
    client.force_login(manager)
    html = client.get(url(org), {"department": "Kitchen"}).content.decode()
    assert "Colin Cook" in html and "Mina Manager</span>" not in html
    assert "Showing 1 of 1 member in Kitchen" in html
    html = client.get(url(org), {"status": "not_started"}).content.decode()
    assert "Mina Manager</span>" in html and "Colin Cook" not in html
    assert f'href="{url(org, "matrix_csv")}?status=not_started"' in html
    response = client.get(url(org), {"status": "sideways"})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert client.get(url(org, "matrix_csv"), {"department": "Nowhere"}).status_code == 400


def test_who_gets_a_404(client, setup, make_user):
    org, manager, cook, *_ = setup
    other = make_org("Elm House")
    other_manager = make_user()
    add_member(other, other_manager, manager=True)
    for user in (cook, other_manager, make_user(is_staff=True)):
        client.force_login(user)
        assert client.get(url(org)).status_code == 404
        assert client.get(url(org, "matrix_csv")).status_code == 404
    client.logout()
    assert client.get(url(org)).status_code == 302  # to sign in
    client.force_login(manager)
    assert client.get(url(other)).status_code == 404
    assert client.get("/organisations/no-such-org/compliance/").status_code == 404
    client.force_login(staff_manager(make_user))
    assert client.get(url(org)).status_code == 200


def test_csv_export_is_neutralised_and_audited(client, setup, make_user):
    org, manager, cook, safeguarding, _ = setup
    evil = make_user(display_name='=HYPERLINK("http://evil.test","x")')
    add_member(org, evil, department="+Kitchen")
    client.force_login(manager)
    response = client.get(url(org, "matrix_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="compliance-oak-care-home-2025-06-15.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:6] == ["Name", "Email", "Department", "Course", "Required", "Status"]
    names = {row[0] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil.test","x")' in names
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert "'+Kitchen" in {row[2] for row in rows[1:]}
    cook_rows = [row for row in rows if row[0] == "Colin Cook"]
    assert cook_rows == [
        [
            "Colin Cook",
            cook.email,
            "Kitchen",
            "Food hygiene",
            "yes",
            "In progress: 50%",
            "",
            "",
            "50",
            "",
        ],
        [
            "Colin Cook",
            cook.email,
            "Kitchen",
            "Safeguarding",
            "yes",
            "Expires within 30 days: 1 Jul 2025",
            "2024-07-01",
            "2025-07-01",
            "",
            "",
        ],
    ]
    entry = AuditEntry.objects.get(action=Action.MATRIX_EXPORTED)
    assert entry.actor_id == manager.pk
    assert entry.payload["people"] == 3
    # Filtered exports say so.
    client.get(url(org, "matrix_csv"), {"department": "Kitchen"})
    assert AuditEntry.objects.filter(action=Action.MATRIX_EXPORTED).count() == 2


def test_a_manager_sees_the_minimum(client, setup):
    """Answers, failed attempts' scores, AI logs, support messages, CPD records and courses the
    learner did not share appear nowhere on the page or in the CSV."""
    from learnward.ai.models import AiCall
    from learnward.assessments.models import Answer, Attempt
    from learnward.cpd.models import CpdActivity, Reflection
    from learnward.support.models import Enquiry, SupportMessage
    from tests.catalog.factories import add_question

    org, manager, cook, safeguarding, _ = setup
    now = timezone.now()
    assessed = make_course("Medication", questions=0)
    require(org, assessed)
    from learnward.assessments.models import Assessment

    assessment = Assessment.objects.create(course=assessed)
    question = add_question(
        assessment, text="SECRET-QUESTION?", choices=(("SECRET-ANSWER", False), ("Ok", True))
    )
    attempt = Attempt.objects.create(
        assessment=assessment,
        user=cook,
        number=1,
        started_at=now,
        submitted_at=now,
        score=Decimal("13.13"),
        passed=False,
        points_awarded=Decimal("0.13"),
        points_possible=1,
    )
    answer = Answer.objects.create(
        attempt=attempt, question=question, correct=False, points_awarded=0
    )
    answer.choices.set(question.choices.filter(text="SECRET-ANSWER"))
    AiCall.objects.create(
        user=cook,
        created_at=now,
        feature="ask_course",
        processor="Example AI",
        sent_text="SECRET-AI-PROMPT",
        response_text="SECRET-AI-REPLY",
        outcome="ok",
    )
    enquiry = Enquiry.objects.create(
        user=cook, name="Colin Cook", email=cook.email, subject="SECRET-SUBJECT"
    )
    SupportMessage.objects.create(enquiry=enquiry, direction="in", body="SECRET-SUPPORT-BODY")
    activity = CpdActivity.objects.create(
        user=cook,
        title="SECRET-CPD-TITLE",
        activity_type="reading",
        occurred_on=date(2025, 5, 1),
        hours=Decimal("1"),
        notes="SECRET-CPD-NOTES",
        created_at=now,
        updated_at=now,
    )
    Reflection.objects.create(
        user=cook,
        activity=activity,
        what="SECRET-WHAT",
        so_what="SECRET-SO-WHAT",
        now_what="SECRET-NOW-WHAT",
        created_at=now,
        updated_at=now,
    )
    hobby = make_course("SECRET-HOBBY-COURSE")
    progress(cook, hobby, 1)
    certify(cook, make_course("SECRET-OTHER-CERT"), awarded_on=date(2025, 1, 1))

    client.force_login(manager)
    page = client.get(url(org)).content.decode()
    page = re.sub(r"<svg.*?</svg>", "", page, flags=re.S)  # its coordinates are numbers
    export = client.get(url(org, "matrix_csv")).content.decode()
    assert "Medication" in page and "Medication" in export
    for text in (page, export):
        assert "SECRET" not in text
        for number in ("13.13", "13.1", "0.13"):
            assert number not in text
        assert "attempt" not in text.lower()
        assert "score" not in text.lower()
    # The cook chooses to share every course: the other courses appear, in the same terms,
    # and still nothing else.
    cook.memberships.update(shares_all_courses=True)
    page = client.get(url(org)).content.decode()
    export = client.get(url(org, "matrix_csv")).content.decode()
    for text in (page, export):
        assert "SECRET-HOBBY-COURSE" in text and "SECRET-OTHER-CERT" in text
        for secret in ("SECRET-ANSWER", "SECRET-AI", "SECRET-SUPPORT", "SECRET-CPD", "WHAT"):
            assert secret not in text
        assert "13.13" not in text
