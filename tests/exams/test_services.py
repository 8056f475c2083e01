"""Exam sittings: marks entered within range or refused, all or nothing; moderation by a second
teacher; release at the set time; a pass completes the course and issues the certificate."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from learnward.audit.models import AuditEntry
from learnward.certificates.models import Certificate
from learnward.exams import selectors
from learnward.exams.models import ExamResult
from learnward.exams.services import (
    Entry,
    ExamError,
    exam_release_schedule,
    exam_result_moderate,
    exam_results_enter,
    exam_results_release_due,
    exam_sitting_create,
)
from learnward.learning.models import Completion


def test_only_exam_managers_create_sittings(teacher, course):
    with pytest.raises(ExamError, match="manage exams"):
        exam_sitting_create(
            actor=teacher,
            course=course,
            title="X",
            held_on=date(2026, 1, 1),
            max_marks=10,
            pass_marks=5,
            teachers=[teacher],
        )


@pytest.mark.parametrize(
    ("max_marks", "pass_marks", "message"),
    [(0, 0, "more than 0"), (10, 11, "from 0 to the maximum"), (10, -1, "from 0 to the maximum")],
)
def test_sitting_marks_must_make_sense(manager, teacher, course, max_marks, pass_marks, message):
    with pytest.raises(ExamError, match=message):
        exam_sitting_create(
            actor=manager,
            course=course,
            title="X",
            held_on=date(2026, 1, 1),
            max_marks=max_marks,
            pass_marks=pass_marks,
            teachers=[teacher],
        )


def test_marks_are_entered_and_pass_follows_the_pass_mark(sitting, teacher, learners):
    a, b, c = learners
    saved = exam_results_enter(
        actor=teacher,
        sitting=sitting,
        entries=[Entry(user=a, marks=Decimal("60")), Entry(user=b, marks=Decimal("59.99"))],
    )
    assert len(saved) == 2
    results = {r.user_id: r for r in ExamResult.objects.all()}
    assert results[a.pk].passed is True and results[a.pk].marks == Decimal("60.00")
    assert results[b.pk].passed is False
    assert results[a.pk].entered_by == teacher
    entries = AuditEntry.objects.filter(action="exams.result_entered")
    assert entries.count() == 2
    # The audit trail never carries marks: it outlives the two years they are kept.
    assert all(set(e.payload) == {"sitting_id", "via"} for e in entries)


@pytest.mark.parametrize("marks", ["-0.01", "100.01", "abc", "", "NaN", "50.005"])
def test_marks_outside_the_range_are_refused_and_nothing_is_stored(
    sitting, teacher, learners, marks
):
    a, b, _ = learners
    with pytest.raises(ExamError):
        exam_results_enter(
            actor=teacher,
            sitting=sitting,
            entries=[Entry(user=a, marks=Decimal("70")), Entry(user=b, marks=marks)],
        )
    assert not ExamResult.objects.exists()


@pytest.mark.parametrize("marks", ["0", "100", "0.01", "99.99"])
def test_the_range_includes_its_ends(sitting, teacher, learners, marks):
    exam_results_enter(
        actor=teacher, sitting=sitting, entries=[Entry(user=learners[0], marks=marks)]
    )
    assert ExamResult.objects.get().marks == Decimal(marks)


def test_only_learners_on_the_course(sitting, teacher, make_user):
    stranger = make_user()
    with pytest.raises(ExamError, match="learners on the course"):
        exam_results_enter(
            actor=teacher, sitting=sitting, entries=[Entry(user=stranger, marks=Decimal("70"))]
        )


def test_another_teacher_gets_nothing(sitting, make_user, learners):
    other = make_user(display_name="Other Teacher")
    with pytest.raises(Http404):
        selectors.sitting_for_teacher(actor=other, pk=sitting.pk)
    with pytest.raises(Http404):
        exam_results_enter(
            actor=other, sitting=sitting, entries=[Entry(user=learners[0], marks=Decimal("70"))]
        )
    assert list(selectors.sittings_for_teacher(actor=other)) == []


def test_moderation_by_a_second_teacher(sitting, teacher, moderator, learners):
    sitting.moderator = moderator
    sitting.save()
    exam_results_enter(
        actor=teacher, sitting=sitting, entries=[Entry(user=learners[0], marks=Decimal("58"))]
    )
    result = ExamResult.objects.get()
    with pytest.raises(ExamError, match="moderator"):
        exam_result_moderate(actor=teacher, result=result, marks="58")
    # Release waits for the moderator.
    with pytest.raises(ExamError, match="waits for the moderator"):
        exam_release_schedule(actor=teacher, sitting=sitting, release_at=timezone.now())
    moderated = exam_result_moderate(actor=moderator, result=result, marks="61", note="Re-marked")
    assert moderated.passed is True and moderated.marks == Decimal("61")
    assert moderated.moderated_by == moderator
    entry = AuditEntry.objects.get(action="exams.result_moderated")
    assert entry.payload == {"sitting_id": sitting.pk, "changed": True}
    # Marks changed after moderation need moderating again.
    exam_results_enter(
        actor=teacher, sitting=sitting, entries=[Entry(user=learners[0], marks=Decimal("62"))]
    )
    assert ExamResult.objects.get().moderated_at is None


def test_the_moderator_cannot_moderate_their_own_marks(sitting, teacher, moderator, learners):
    sitting.moderator = moderator
    sitting.save()
    sitting.teachers.add(moderator)
    exam_results_enter(
        actor=moderator, sitting=sitting, entries=[Entry(user=learners[0], marks=Decimal("70"))]
    )
    with pytest.raises(ExamError, match="second teacher"):
        exam_result_moderate(actor=moderator, result=ExamResult.objects.get(), marks="70")


def test_release_at_a_set_time_then_the_pass_completes_the_course(
    sitting, teacher, learners, course, time_machine
):
    time_machine.move_to("2026-03-15 09:00Z")
    a, b, c = learners
    exam_results_enter(
        actor=teacher,
        sitting=sitting,
        entries=[Entry(user=a, marks=Decimal("80")), Entry(user=b, marks=Decimal("40"))],
    )
    release_at = timezone.now() + timedelta(days=2)
    exam_release_schedule(actor=teacher, sitting=sitting, release_at=release_at)
    # Not released yet: the learner sees no marks, the course is not complete.
    assert not sitting.__class__.objects.get().released()
    assert not selectors.exam_passed(user=a, course=course)
    assert exam_results_release_due() == 0
    time_machine.move_to(release_at + timedelta(minutes=1))
    assert selectors.exam_passed(user=a, course=course)
    assert not selectors.exam_passed(user=b, course=course)
    assert not selectors.exam_passed(user=c, course=course)  # no result
    assert exam_results_release_due() == 1
    assert exam_results_release_due() == 0  # once
    assert Completion.objects.filter(enrolment__user=a).count() == 1
    assert not Completion.objects.filter(enrolment__user=b).exists()
    certificate = Certificate.objects.get(user=a)
    assert certificate.course == course and certificate.assessed_elsewhere is False
    # Released results are final.
    with pytest.raises(ExamError, match="released"):
        exam_results_enter(
            actor=teacher, sitting=sitting, entries=[Entry(user=b, marks=Decimal("90"))]
        )


def test_releasing_now_completes_at_once(sitting, teacher, learners):
    exam_results_enter(
        actor=teacher, sitting=sitting, entries=[Entry(user=learners[0], marks=Decimal("75"))]
    )
    exam_release_schedule(
        actor=teacher, sitting=sitting, release_at=timezone.now() - timedelta(hours=1)
    )
    assert Certificate.objects.filter(user=learners[0]).exists()
    assert AuditEntry.objects.filter(action="exams.results_released").count() == 1
    # The learner is told the result is out, without the marks.
    from learnward.notifications.models import Notification

    (told,) = Notification.objects.filter(kind="marking_done")
    assert told.user == learners[0] and told.url == "/exams/results/"
    assert "75" not in told.title


def test_a_course_without_sittings_is_not_affected(make_user):
    from tests.catalog.factories import make_course

    assert selectors.exam_passed(user=make_user(), course=make_course(questions=0))


def test_the_release_command_is_a_daily_job():
    from learnward.core.periodic import registered_daily_jobs

    assert "exams_release" in registered_daily_jobs()


def test_a_future_release_is_queued_for_its_time(
    sitting, teacher, learners, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    exam_results_enter(
        actor=teacher, sitting=sitting, entries=[Entry(user=learners[0], marks=Decimal("70"))]
    )
    at = timezone.now() + timedelta(days=1)
    # A backend that cannot defer work: nothing is queued, the daily job records it.
    with django_capture_on_commit_callbacks(execute=True):
        exam_release_schedule(actor=teacher, sitting=sitting, release_at=at)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    sitting.refresh_from_db()
    sitting.results_release_at = None
    sitting.save()
    with django_capture_on_commit_callbacks(execute=True):
        exam_release_schedule(actor=teacher, sitting=sitting, release_at=at)
    queued = DBTaskResult.objects.get()
    assert queued.run_after == at and queued.task_path.endswith("release_sitting")
