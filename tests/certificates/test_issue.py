from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError

from learnward.audit.models import AuditEntry
from learnward.certificates.models import Certificate, CertificateStatus
from learnward.certificates.services import add_months, certificate_issue_for_completion

LONDON = ZoneInfo("Europe/London")


def test_completion_issues_a_snapshot_certificate(make_user, make_course, complete):
    learner = make_user(display_name="Amira Okafor")
    course = make_course(title="Food Hygiene", cpd_hours="2.5", validity=24)
    certificate = complete(
        user=learner, course=course, completed_at=datetime(2025, 3, 31, 23, 30, tzinfo=LONDON)
    )
    assert certificate.holder_name == "Amira Okafor"
    assert certificate.course_title == "Food Hygiene"
    assert certificate.cpd_hours == Decimal("2.5")
    assert certificate.awarded_on == date(2025, 3, 31)
    assert certificate.expires_on == date(2027, 3, 31)
    assert certificate.user == learner and certificate.course == course
    assert 0 <= certificate.status_list_index < 131_072

    entry = AuditEntry.objects.get(action="certificates.issued")
    assert entry.subject_id == learner.pk and entry.target_id == str(certificate.pk)
    assert entry.payload["code"] == certificate.display_code


def test_later_changes_to_the_learner_or_course_do_not_alter_it(make_user, make_course, complete):
    learner = make_user(display_name="Amira Okafor")
    course = make_course(title="Food Hygiene", cpd_hours="2.5")
    certificate = complete(user=learner, course=course)
    learner.display_name = "Someone Else"
    learner.save()
    course.title, course.cpd_hours, course.certificate_validity_months = "Renamed", 9, 1
    course.save()
    certificate.refresh_from_db()
    assert (certificate.holder_name, certificate.course_title) == ("Amira Okafor", "Food Hygiene")
    assert certificate.cpd_hours == Decimal("2.5")


def test_issuing_twice_for_one_completion_returns_the_same_certificate(
    make_user, make_course, complete
):
    certificate = complete(user=make_user(), course=make_course())
    again = certificate_issue_for_completion(completion=certificate.completion)
    assert again.pk == certificate.pk
    assert Certificate.objects.count() == 1
    assert AuditEntry.objects.filter(action="certificates.issued").count() == 1


def test_the_database_allows_one_certificate_per_completion(certificate):
    with pytest.raises(IntegrityError):
        Certificate.objects.create(
            code="0000000000000",
            completion=certificate.completion,
            holder_name="x",
            course_title="x",
            cpd_hours=1,
            awarded_on=date.today(),
            status_list_index=1,
        )


def test_a_course_without_validity_issues_a_certificate_that_never_expires(
    make_user, make_course, complete
):
    certificate = complete(user=make_user(), course=make_course(validity=None))
    assert certificate.expires_on is None
    with time_machine.travel(datetime(2090, 1, 1, tzinfo=LONDON)):
        assert certificate.status == CertificateStatus.VALID


def test_status_is_computed_when_asked_without_any_job(make_user, make_course, complete):
    with time_machine.travel(datetime(2025, 1, 15, 12, tzinfo=LONDON), tick=False):
        certificate = complete(user=make_user(), course=make_course(validity=12))
    assert certificate.expires_on == date(2026, 1, 15)
    with time_machine.travel(datetime(2026, 1, 14, 23, 59, tzinfo=LONDON), tick=False):
        assert Certificate.objects.get().status == CertificateStatus.VALID
    with time_machine.travel(datetime(2026, 1, 15, 0, 1, tzinfo=LONDON), tick=False):
        assert Certificate.objects.get().status == CertificateStatus.EXPIRED


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 6, 15), 36, date(2028, 6, 15)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(start, months, expected):
    assert add_months(start, months) == expected


def test_a_code_clash_is_retried_for_a_certificate_without_a_completion(make_user, monkeypatch):
    """Imports and the demo issue certificates with no completion; a clash of random codes is
    retried with a fresh code, even though other certificates have no completion either."""
    from learnward.certificates import services

    learner = make_user()
    first = services.certificate_issue(
        user=learner,
        holder_name="A Learner",
        course_title="Imported",
        cpd_hours="1",
        awarded_on=date(2025, 1, 1),
        expires_on=None,
    )
    fresh = services.new_code()
    codes = iter([first.code, fresh])
    monkeypatch.setattr(services, "new_code", lambda: next(codes))
    second = services.certificate_issue(
        user=learner,
        holder_name="A Learner",
        course_title="Imported too",
        cpd_hours="1",
        awarded_on=date(2025, 2, 1),
        expires_on=None,
    )
    assert second.code == fresh and Certificate.objects.count() == 2
