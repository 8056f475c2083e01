"""Certificates issued by hand for learning assessed outside the platform: one at a time and
from a CSV with a preview (every bad row listed, nothing issued half-way), verifiable like any
other certificate, and saying so to a verifier."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learnward.audit.models import AuditEntry
from learnward.certificates import hand_issue
from learnward.certificates.credentials.openbadges import unsigned_credential
from learnward.certificates.models import Certificate
from learnward.certificates.services import (
    CertificateError,
    HandIssueRefused,
    certificate_issue_by_hand,
    certificates_issue_by_hand_from_csv,
)
from learnward.certificates.verification import certificate_verify, public_record
from learnward.core.csvupload import CsvRefused

ADMIN = "Administrator"
BY_HAND = "certificates.issued_by_hand"


@pytest.fixture
def admin(make_user):
    return make_user(email="admin@example.test", roles=[ADMIN])


@pytest.fixture
def learner(make_user):
    return make_user(email="ana@example.test", display_name="Ana Silva")


def test_one_by_hand_is_an_ordinary_certificate_that_says_where_it_was_assessed(
    admin, learner, make_course
):
    course = make_course(title="First Aid at Work", validity=36)
    awarded = date(2026, 3, 14)
    certificate = certificate_issue_by_hand(
        actor=admin,
        user=learner,
        course=course,
        awarded_on=awarded,
        reason="  Passed the practical exam\n at the Leeds centre ",
    )
    assert certificate.holder_name == "Ana Silva" and certificate.course == course
    assert certificate.expires_on == date(2029, 3, 14)
    assert certificate.assessed_elsewhere is True
    assert certificate.hand_issue_reason == "Passed the practical exam at the Leeds centre"
    entries = AuditEntry.objects.filter(action=BY_HAND)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.actor_id == admin.pk and entry.subject_id == learner.pk
    assert entry.payload["reason"] == "Passed the practical exam at the Leeds centre"
    assert not AuditEntry.objects.filter(action="certificates.issued").exists()
    # The verifier's record, the page and the credential say it was assessed elsewhere.
    found = certificate_verify(code=certificate.display_code)
    assert found.certificate.assessed_elsewhere is True
    assert public_record(found.certificate)["assessed_elsewhere"] is True
    credential = unsigned_credential(certificate)
    assert "assessed outside the platform" in credential["description"]
    assert (
        "outside the platform"
        in credential["credentialSubject"]["achievement"]["criteria"]["narrative"]
    )


def test_the_verification_page_tells_a_verifier(client, admin, learner, make_course):
    certificate = certificate_issue_by_hand(
        actor=admin,
        user=learner,
        course=make_course(),
        awarded_on=timezone.localdate(),
        reason="Classroom course",
    )
    page = client.get(reverse("certificates:verify", args=[certificate.display_code]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Assessed outside the platform" in text
    assert "Classroom course" not in text  # the reason is for staff, not verifiers


def test_an_ordinary_certificate_says_nothing_of_it(certificate):
    assert "assessed_elsewhere" not in public_record(certificate)
    assert "outside the platform" not in unsigned_credential(certificate)["description"]


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_reason_is_required_and_bounded(admin, learner, make_course, reason):
    with pytest.raises(CertificateError):
        certificate_issue_by_hand(
            actor=admin,
            user=learner,
            course=make_course(),
            awarded_on=date(2026, 1, 1),
            reason=reason,
        )
    assert not Certificate.objects.exists() and not AuditEntry.objects.filter(action=BY_HAND)


def test_500_characters_is_enough(admin, learner, make_course):
    certificate = certificate_issue_by_hand(
        actor=admin,
        user=learner,
        course=make_course(),
        awarded_on=date(2026, 1, 1),
        reason="x" * 500,
    )
    assert len(certificate.hand_issue_reason) == 500


def test_only_staff_with_the_permission_and_no_future_or_duplicate_awards(
    admin, learner, make_user, make_course
):
    course = make_course()
    today = timezone.localdate()
    tutor = make_user(roles=["Tutor"])
    for actor in (None, learner, tutor):
        with pytest.raises(CertificateError, match="Only staff"):
            certificate_issue_by_hand(
                actor=actor, user=learner, course=course, awarded_on=today, reason="Exam"
            )
    with pytest.raises(CertificateError, match="future"):
        certificate_issue_by_hand(
            actor=admin,
            user=learner,
            course=course,
            awarded_on=today + timedelta(days=1),
            reason="Exam",
        )
    certificate_issue_by_hand(
        actor=admin, user=learner, course=course, awarded_on=today, reason="Exam"
    )
    with pytest.raises(CertificateError, match="already has a certificate"):
        certificate_issue_by_hand(
            actor=admin, user=learner, course=course, awarded_on=today, reason="Exam"
        )
    assert Certificate.objects.count() == 1


# --- the CSV ----------------------------------------------------------------------------------------


def _csv(lines: list[str], header: str = "name,email,course,award date") -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def test_columns_by_their_names_in_any_order():
    rows = hand_issue.parse_upload(
        b"\xef\xbb\xbfAward Date,Email,Course,Name\n2026-03-14,a@example.test,first-aid,Ana\n"
    )
    assert rows == [
        (
            2,
            {
                "name": "Ana",
                "email": "a@example.test",
                "course": "first-aid",
                "awarded_on": "2026-03-14",
            },
        )
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"name,email,course\nA,a@example.test,x\n", "Missing: awarded on"),
        (b"name,email,course,date\n", "no certificate in it"),
        (
            "name,email,course,date\nZoë,z@example.test,x,2026-01-01\n".encode("latin-1"),
            "not UTF-8",
        ),
    ],
)
def test_bad_files_are_refused_with_a_message(data, message):
    with pytest.raises(CsvRefused, match=message):
        hand_issue.parse_upload(data)


def test_the_preview_lists_every_bad_row_and_nothing_is_issued(
    admin, learner, make_user, make_course
):
    make_user(email="closed@example.test", status="closed")
    course = make_course(title="First Aid at Work")
    make_course(title="Fire Safety")
    make_course(title="Fire Safety")
    today = timezone.localdate()
    tomorrow = (today + timedelta(days=1)).isoformat()
    rows = hand_issue.parse_upload(
        _csv(
            [
                f"Ana Silva,ANA@example.test,{course.slug},2026-03-14",  # fine
                "Nobody,nobody@example.test,First Aid at Work,2026-03-14",  # unknown learner
                "Closed,closed@example.test,First Aid at Work,2026-03-14",
                "Ana,ana@example.test,No Such Course,2026-03-14",
                "Ana,ana@example.test,Fire Safety,2026-03-14",  # two courses with the title
                "Ana,ana@example.test,first aid at work,14/03/2026",  # listed twice
                f"Ana,not-an-email,{course.slug},{tomorrow}",
                f"Ana,ana@example.test,{course.slug},March 14",
            ]
        )
    )
    checks = hand_issue.check_rows(rows, today=today)
    assert [c.ok for c in checks] == [True] + [False] * 7
    problems = [c.problem for c in checks]
    assert "No learner has an account" in problems[1]
    assert "closed" in problems[2]
    assert problems[3] == "No course has this slug or title."
    assert "Several courses" in problems[4]
    assert "Listed twice: line 2" in problems[5]
    assert "Not an email address." in problems[6] and "future" in problems[6]
    assert "YYYY-MM-DD" in problems[7]
    with pytest.raises(HandIssueRefused, match="7 rows cannot be issued"):
        certificates_issue_by_hand_from_csv(actor=admin, rows=rows, reason="Exam", expected=8)
    assert not Certificate.objects.exists()
    assert not AuditEntry.objects.filter(action=BY_HAND).exists()


def test_fifty_rows_make_fifty_certificates_and_fifty_audit_entries(admin, make_user, make_course):
    make_course(title="Manual Handling", validity=12)
    for n in range(50):
        make_user(email=f"person{n}@example.test", display_name=f"Person {n}")
    rows = hand_issue.parse_upload(
        _csv([f"Person {n},person{n}@example.test,Manual Handling,2026-02-01" for n in range(50)])
    )
    issued = certificates_issue_by_hand_from_csv(
        actor=admin, rows=rows, reason="Classroom course, Leeds", expected=50
    )
    assert len(issued) == 50 == Certificate.objects.filter(assessed_elsewhere=True).count()
    assert AuditEntry.objects.filter(action=BY_HAND).count() == 50
    assert all(c.expires_on == date(2027, 2, 1) for c in issued)
    assert all(certificate_verify(code=c.code).certificate for c in issued)
    # The same file again: every row is already issued, so nothing more is.
    with pytest.raises(HandIssueRefused):
        certificates_issue_by_hand_from_csv(actor=admin, rows=rows, reason="Again", expected=50)
    assert Certificate.objects.count() == 50


def test_a_changed_count_issues_nothing(admin, learner, make_course):
    course = make_course()
    rows = hand_issue.parse_upload(_csv([f"Ana,ana@example.test,{course.slug},2026-01-05"]))
    with pytest.raises(HandIssueRefused, match="changed"):
        certificates_issue_by_hand_from_csv(actor=admin, rows=rows, reason="Exam", expected=2)
    assert not Certificate.objects.exists()


def test_formula_cells_are_neutralised_in_the_preview_csv(learner, make_course):
    rows = [
        (
            2,
            {
                "name": "=HYPERLINK(1)",
                "email": "ana@example.test",
                "course": "+x",
                "awarded_on": "-1",
            },
        )
    ]
    text = hand_issue.outcomes_csv(hand_issue.check_rows(rows, today=date(2026, 1, 1)))
    assert "'=HYPERLINK(1)" in text and "'+x" in text and "'-1" in text


# --- the staff pages ----------------------------------------------------------------------------


def test_the_pages_are_for_staff_with_the_permission_only(client, make_user):
    for url in (
        reverse("certificates_staff:issue_one"),
        reverse("certificates_staff:issue_upload"),
    ):
        client.force_login(make_user())
        assert client.get(url).status_code == 404
        client.force_login(make_user(roles=["Tutor"]))
        assert client.get(url).status_code == 404


def test_issue_one_page(client, admin, learner, make_course):
    course = make_course()
    client.force_login(admin)
    url = reverse("certificates_staff:issue_one")
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "email": "nobody@example.test",
            "course": course.pk,
            "awarded_on": "2026-01-05",
            "reason": "Exam",
        },
    )
    assert bad.status_code == 400 and "No learner has an account" in bad.content.decode()
    assert not Certificate.objects.exists()
    done = client.post(
        url,
        {
            "email": "ana@example.test",
            "course": course.pk,
            "awarded_on": "2026-01-05",
            "reason": "Exam",
        },
    )
    certificate = Certificate.objects.get()
    assert done.status_code == 302 and certificate.display_code in done["Location"]


def test_upload_preview_and_confirm_pages(client, admin, learner, make_user, make_course):
    make_course(title="Manual Handling")
    client.force_login(admin)
    upload = reverse("certificates_staff:issue_upload")

    def send(data: bytes):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(upload, {"file": SimpleUploadedFile("c.csv", data, "text/csv")})

    refused = send(b"nothing useful\n")
    assert refused.status_code == 400 and "Missing" in refused.content.decode()
    bad = send(
        _csv(
            [
                "Ana,ana@example.test,Manual Handling,2026-01-05",
                "Bo,bo@example.test,Manual Handling,2026-01-05",
            ]
        )
    )
    preview = client.get(bad["Location"])
    text = preview.content.decode()
    assert "1 cannot be issued" in text and "No learner has an account" in text
    assert "Issue 2 certificates" not in text
    # Posting anyway issues nothing.
    refused = client.post(bad["Location"], {"reason": "Exam", "expected": 2})
    assert refused.status_code == 400 and not Certificate.objects.exists()
    make_user(email="bo@example.test")
    good = client.get(bad["Location"])
    assert "Issue 2 certificates" in good.content.decode()
    check = client.get(bad["Location"] + "check.csv")
    assert check.status_code == 200 and "Will be issued" in check.content.decode()
    done = client.post(bad["Location"], {"reason": "Classroom course", "expected": 2})
    assert done.status_code == 302
    assert Certificate.objects.filter(assessed_elsewhere=True).count() == 2
    assert AuditEntry.objects.filter(action=BY_HAND).count() == 2
    # The upload is gone once issued.
    assert client.get(bad["Location"]).status_code == 404


def test_another_staff_members_upload_is_not_found(client, admin, make_user, make_course):
    from django.core.files.uploadedfile import SimpleUploadedFile

    make_course(title="Manual Handling")
    client.force_login(admin)
    sent = client.post(
        reverse("certificates_staff:issue_upload"),
        {
            "file": SimpleUploadedFile(
                "c.csv", _csv(["A,a@example.test,Manual Handling,2026-01-05"])
            )
        },
    )
    other = make_user(email="admin2@example.test", roles=[ADMIN])
    client.force_login(other)
    assert client.get(sent["Location"]).status_code == 404


def test_a_hand_issued_certificate_has_a_pdf_a_signed_credential_and_reminders(
    admin, learner, make_course
):
    from learnward.certificates.reminders import reminders_due
    from learnward.certificates.selectors import certificate_credential, certificate_pdf_bytes

    course = make_course(validity=12)
    awarded = timezone.localdate() - timedelta(days=340)  # expires in about 25 days
    certificate = certificate_issue_by_hand(
        actor=admin, user=learner, course=course, awarded_on=awarded, reason="Workshop"
    )
    assert certificate_pdf_bytes(certificate=certificate).startswith(b"%PDF")
    credential = certificate_credential(certificate=certificate)
    assert credential["proof"] and all(p["proofValue"] for p in credential["proof"])
    assert "outside the platform" in credential["description"]
    from learnward.certificates.credentials.verify import Verdict, verify_credential

    assert verify_credential(credential).verdict == Verdict.VALID
    due = reminders_due(today=timezone.localdate(), intervals=(60, 30, 7))
    assert (certificate.pk, 30) in due
