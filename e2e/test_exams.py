"""Exams and hand-issued certificates in a real browser, with axe-core on every page and a
390-pixel phone check on the pages teachers and staff use:

- an exam journey: the teacher uploads marks by CSV (a bad file first: the preview lists the bad
  rows and imports nothing), releases the results, the learner sees their points and holds the
  certificate; two years on the retention run destroys the marks and the certificate still
  verifies;
- a CSV of 50 hand-issued certificates with a preview issues 50 verifiable certificates with 50
  audit entries."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import log_in, log_out, nav_to

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _issuer(settings, tmp_path, live_server):
    settings.ISSUER_KEY = ""
    settings.ISSUER_KEY_FILE = tmp_path / "keys" / "issuer_ed25519"
    settings.BASE_URL = live_server.url
    settings.VERIFY_RATE_LIMIT = "1000/minute"


def _fits_a_phone(page) -> None:
    """At 390 pixels wide the page does not scroll sideways (wide tables scroll inside)."""
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url
    page.set_viewport_size({"width": 1280, "height": 720})


def _log_out(page) -> None:
    log_out(page)
    page.wait_for_load_state()


def test_marks_by_csv_released_seen_by_the_learner_and_destroyed_after_two_years(
    page, make_user, tmp_path
):
    from learnward.accounts.roles import ADMINISTRATOR, TEACHER
    from learnward.certificates.models import Certificate
    from learnward.exams.models import ExamResult
    from learnward.exams.services import exam_sitting_create
    from learnward.learning.models import Enrolment
    from learnward.privacy.retention.services import retention_run
    from tests.catalog.factories import make_course

    course = make_course(
        title="Practical First Aid", modules=0, questions=0, certificate_validity_months=36
    )
    admin = make_user(email="admin@example.test", roles=[ADMINISTRATOR])
    admin.is_verified = lambda: True
    teacher = make_user(email="tess@example.test", display_name="Tess Teacher", roles=[TEACHER])
    ana = make_user(email="ana@example.test", display_name="Ana Silva")
    tom = make_user(email="tom@example.test", display_name="Tom Reid")
    for learner in (ana, tom):
        Enrolment.objects.create(user=learner, course=course, enrolled_at=timezone.now())
    held_on = timezone.localdate() - timedelta(days=1)
    exam_sitting_create(
        actor=admin,
        course=course,
        title="Practical assessment",
        held_on=held_on,
        max_marks=100,
        pass_marks=60,
        teachers=[teacher],
    )

    # 1. The teacher uploads the marks by CSV: a bad file first, then the corrected one.
    log_in(page, "tess@example.test")
    nav_to(page, "Exams")
    expect(page.get_by_role("heading", name="Exams I hold")).to_be_visible()
    check_accessibility(page, label="exams I hold")
    page.get_by_role("link", name="Practical assessment").click()
    expect(page.get_by_role("heading", name="Practical assessment")).to_be_visible()
    check_accessibility(page, label="exam sitting")
    _fits_a_phone(page)
    page.get_by_role("link", name="upload them from a CSV file").click()
    check_accessibility(page, label="marks upload")
    _fits_a_phone(page)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"learner,name,marks\n{ana.pk},Ana,81.5\n{tom.pk},Tom,120\n999999,Nobody,50\n",
        encoding="utf-8",
    )
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Check the marks before importing")).to_be_visible()
    expect(page.get_by_text("2 cannot be imported")).to_be_visible()
    expect(page.get_by_text("Marks must be from 0 to 100.")).to_be_visible()
    expect(page.get_by_text("Unknown learner")).to_be_visible()
    assert page.get_by_role("button", name="Import 3 results").count() == 0
    check_accessibility(page, label="marks preview with bad rows")
    _fits_a_phone(page)
    assert not ExamResult.objects.exists()
    page.get_by_role("link", name="Upload another file").click()
    good = tmp_path / "good.csv"
    good.write_text(f"learner,name,marks\n{ana.pk},Ana,81.5\n{tom.pk},Tom,42\n", encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    check_accessibility(page, label="marks preview")
    page.get_by_role("button", name="Import 2 results").click()
    expect(page.get_by_text("Marks imported for 2 learners.")).to_be_visible()
    assert ExamResult.objects.count() == 2

    # 2. The teacher releases the results now.
    page.get_by_label("Release the results at").fill(
        timezone.localtime(timezone.now() - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_role("button", name="Set the release time").click()
    expect(page.get_by_text("Results released: learners can see their marks now.")).to_be_visible()
    check_accessibility(page, label="released sitting")
    _fits_a_phone(page)
    _log_out(page)

    # 3. The learner sees their points, and holds the certificate the pass led to.
    log_in(page, "ana@example.test")
    nav_to(page, "Exam results")
    expect(page.get_by_role("heading", name="My exam results")).to_be_visible()
    expect(page.get_by_text("81.5 out of 100")).to_be_visible()
    check_accessibility(page, label="my results")
    _fits_a_phone(page)
    certificate = Certificate.objects.get(user=ana)
    assert not Certificate.objects.filter(user=tom).exists()
    _log_out(page)

    # 4. Two years after the exam the retention run destroys the marks; the certificate verifies.
    later = timezone.make_aware(datetime.combine(held_on + timedelta(days=2 * 365 + 2), time(12)))
    with time_machine.travel(later, tick=False):
        retention_run(now=timezone.now())
        assert set(ExamResult.objects.values_list("marks", flat=True)) == {None}
        assert ExamResult.objects.get(user=ana).passed is True
        page.goto(f"/verify/{certificate.display_code}/")
        expect(page.get_by_text("This is a genuine certificate")).to_be_visible()
        expect(page.get_by_text("valid", exact=True)).to_be_visible()
        check_accessibility(page, label="verification two years on")


def test_a_csv_of_fifty_hand_issued_certificates(page, make_user, tmp_path):
    from learnward.accounts.roles import ADMINISTRATOR
    from learnward.audit.models import AuditEntry
    from learnward.certificates.models import Certificate
    from learnward.certificates.verification import certificate_verify
    from tests.catalog.factories import make_course

    make_course(
        title="Fire Marshal (classroom)", modules=0, questions=0, certificate_validity_months=12
    )
    make_user(email="admin@example.test", display_name="Morgan Admin", roles=[ADMINISTRATOR])
    people = [
        make_user(email=f"marshal{n:02}@example.test", display_name=f"Marshal {n:02}")
        for n in range(50)
    ]
    awarded = (timezone.localdate() - timedelta(days=3)).isoformat()
    rows = ["name,email,course,award date"] + [
        f"{p.display_name},{p.email},Fire Marshal (classroom),{awarded}" for p in people
    ]

    log_in(page, "admin@example.test")
    nav_to(page, "Issue certificates")
    expect(page.get_by_role("heading", name="Issue a certificate")).to_be_visible()
    check_accessibility(page, label="issue one certificate")
    _fits_a_phone(page)
    page.get_by_role("link", name="Issue certificates from a CSV file").click()
    expect(page.get_by_role("heading", name="Issue certificates from a CSV file")).to_be_visible()
    check_accessibility(page, label="issue from a CSV")
    _fits_a_phone(page)
    # A file with an unknown learner first: listed, nothing issued.
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "\n".join([*rows, f"Nobody,nobody@example.test,Fire Marshal (classroom),{awarded}"]) + "\n",
        encoding="utf-8",
    )
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("1 cannot be issued")).to_be_visible()
    expect(page.get_by_text("No learner has an account with this email address")).to_be_visible()
    assert page.get_by_role("button", name="Issue 51 certificates").count() == 0
    check_accessibility(page, label="hand-issue preview with a bad row")
    assert not Certificate.objects.exists()

    page.get_by_role("link", name="Upload another file").click()
    good = tmp_path / "good.csv"
    good.write_text("\n".join(rows) + "\n", encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("all 50 will be issued")).to_be_visible()
    check_accessibility(page, label="hand-issue preview")
    _fits_a_phone(page)
    page.get_by_label("Reason for issuing by hand").fill(
        "Fire marshal classroom course and practical drill at the Leeds centre"
    )
    page.get_by_role("button", name="Issue 50 certificates").click()
    expect(page.get_by_text("50 certificates issued.")).to_be_visible()

    issued = Certificate.objects.filter(assessed_elsewhere=True)
    assert issued.count() == 50
    assert AuditEntry.objects.filter(action="certificates.issued_by_hand").count() == 50
    assert all(certificate_verify(code=c.code).certificate for c in issued)
    one = issued.first()
    assert one.expires_on == date.fromisoformat(awarded).replace(
        year=date.fromisoformat(awarded).year + 1
    )
    page.goto(f"/verify/{one.display_code}/")
    expect(page.get_by_text("Assessed outside the platform")).to_be_visible()
    check_accessibility(page, label="verification of a hand-issued certificate")
