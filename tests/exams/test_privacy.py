"""Exam data in the registry: teachers named as recipients of assessment data, a learner's
results leave with them on erasure, a moderator's name leaves the sitting, and "My data" shows
the results."""

from __future__ import annotations

from decimal import Decimal

from learnward.exams.models import ExamResult, ExamSitting
from learnward.exams.services import Entry, exam_results_enter
from learnward.privacy.registry.purposes import get_purpose
from learnward.privacy.rights.erasure import subject_erase

TEACHERS = "The teachers (including freelance teachers) who hold the exams you sit"


def test_teachers_are_recipients_of_assessment_data(sitting, client):
    assert TEACHERS in get_purpose("assessment").all_recipients()
    assert TEACHERS in client.get("/privacy/").content.decode()


def test_erasing_a_learner_erases_their_results(sitting, teacher, learners):
    a, b, _ = learners
    exam_results_enter(
        actor=teacher,
        sitting=sitting,
        entries=[Entry(user=a, marks=Decimal("70")), Entry(user=b, marks=Decimal("20"))],
    )
    subject_erase(user=a, actor=None, reason="test")
    assert list(ExamResult.objects.values_list("user_id", flat=True)) == [b.pk]


def test_erasing_the_moderator_keeps_the_sitting_without_them(sitting, moderator):
    sitting.moderator = moderator
    sitting.save()
    subject_erase(user=moderator, actor=None, reason="test")
    assert ExamSitting.objects.get().moderator_id is None


def test_my_data_lists_the_results(client, sitting, teacher, learners):
    exam_results_enter(
        actor=teacher, sitting=sitting, entries=[Entry(user=learners[0], marks=Decimal("70"))]
    )
    client.force_login(learners[0])
    page = client.get("/privacy/my-data/").content.decode()
    assert "Your exam results" in page
