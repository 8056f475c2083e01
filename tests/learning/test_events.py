"""The learning journey tells listeners what happened, in order, with ids only."""

from __future__ import annotations

import pytest

from learnward.assessments.services import attempt_start, attempt_submit
from learnward.certificates.models import Certificate
from learnward.certificates.services import certificate_revoke
from learnward.core import events
from learnward.learning.services import activity_record_view, enrolment_create, lesson_mark_complete
from tests.catalog.factories import answers_for, lessons_of, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    got: list[tuple[str, dict]] = []

    def listener(*, event, **data):
        got.append((event, data))

    for name in events.EVENTS:
        events.subscribe(name, listener, key="test.journey")
    yield got
    for name in events.EVENTS:
        events.unsubscribe(name, key="test.journey")


def test_journey_events(make_user, heard, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.ISSUER_KEY = ""
    settings.ISSUER_KEY_FILE = tmp_path / "issuer_ed25519"
    learner = make_user()
    course = make_course()
    lesson = lessons_of(course)[0]
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrolment_create(user=learner, course=course)
        activity_record_view(user=learner, lesson=lesson)
        for each in lessons_of(course):
            lesson_mark_complete(user=learner, lesson=each)
        wrong = attempt_start(user=learner, assessment=course.assessment)
        attempt_submit(attempt=wrong, actor=learner, answers=answers_for(course, right=False))
        attempt = attempt_start(user=learner, assessment=course.assessment)
        attempt_submit(attempt=attempt, actor=learner, answers=answers_for(course))
    certificate = Certificate.objects.get(user=learner)
    who = {"user_id": learner.pk, "course_id": course.pk}
    assert heard == [
        (events.ENROLMENT_CREATED, {"enrolment_id": enrolment.pk, **who}),
        (events.LESSON_VIEWED, {"lesson_id": lesson.pk, **who}),
        (events.ASSESSMENT_FAILED, {"attempt_id": wrong.pk, **who}),
        (events.ASSESSMENT_PASSED, {"attempt_id": attempt.pk, **who}),
        (events.CERTIFICATE_ISSUED, {"certificate_id": certificate.pk, **who}),
        (events.COURSE_COMPLETED, {"completion_id": certificate.completion_id, **who}),
    ]
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(certificate=certificate, reason="Issued in error", actor=None)
    assert heard == [(events.CERTIFICATE_REVOKED, {"certificate_id": certificate.pk, **who})]
