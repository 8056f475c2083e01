"""Coursle's two-year rule: exam marks are kept for two years after the exam, then the
retention run destroys them; the pass and the certificate stay, and the certificate verifies."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learnward.certificates.models import Certificate
from learnward.certificates.verification import certificate_verify
from learnward.exams import selectors
from learnward.exams.models import ExamResult
from learnward.exams.services import Entry, exam_release_schedule, exam_results_enter
from learnward.privacy.registry import RetentionAction, declaration_for
from learnward.privacy.retention.services import retention_run


def test_the_rule_is_declared_with_its_setting():
    retention = declaration_for(ExamResult).retention
    assert retention.months == 24
    assert retention.setting == "LEARNWARD_RETENTION_EXAM_MARKS_MONTHS"
    assert retention.action == RetentionAction.ANONYMISE
    assert set(retention.fields) == {"marks", "note"}
    assert "passed" not in retention.fields


def test_two_years_on_the_marks_are_destroyed_and_the_certificate_still_verifies(
    sitting, teacher, learners, course, time_machine
):
    time_machine.move_to("2026-03-14 16:00Z", tick=False)
    passer, failer, _ = learners
    exam_results_enter(
        actor=teacher,
        sitting=sitting,
        entries=[
            Entry(user=passer, marks=Decimal("81.5"), note="Strong practical"),
            Entry(user=failer, marks=Decimal("30")),
        ],
    )
    exam_release_schedule(actor=teacher, sitting=sitting, release_at=timezone.now())
    certificate = Certificate.objects.get(user=passer)
    client = Client()
    client.force_login(passer)
    assert "81.5 out of 100" in client.get(reverse("exams:my_results")).content.decode()

    # A day short of two years after the exam (14 March 2026): the marks are still there.
    time_machine.move_to("2028-03-13 12:00Z", tick=False)
    retention_run(now=timezone.now())
    assert ExamResult.objects.get(user=passer).marks == Decimal("81.5")

    # Two years on: the retention run destroys the marks and the note, keeps the outcome.
    time_machine.move_to("2028-03-15 12:00Z", tick=False)
    retention_run(now=timezone.now())
    kept = {r.user_id: r for r in ExamResult.objects.all()}
    assert kept[passer.pk].marks is None and kept[passer.pk].note == ""
    assert kept[passer.pk].passed is True and kept[failer.pk].passed is False
    assert kept[failer.pk].marks is None
    # The course stays complete, and the certificate verifies.
    assert selectors.exam_passed(user=passer, course=course)
    found = certificate_verify(code=certificate.code)
    assert found.certificate is not None and found.certificate.status.value == "valid"
    client.force_login(passer)  # the old session has long expired
    page = client.get(reverse("exams:my_results")).content.decode()
    assert "81.5" not in page and "Destroyed two years after the exam" in page
    assert "Passed" in page
    # A second run changes nothing.
    retention_run(now=timezone.now())
    assert ExamResult.objects.get(user=passer).passed is True
