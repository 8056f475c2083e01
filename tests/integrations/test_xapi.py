"""xAPI statements out: off by default and without a registered processor; with both, the
loopback LRS receives launched, completed, passed/failed and earned, each once, with an opaque
actor and a statement id that stays the same across retries."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from learnward.assessments.models import Attempt
from learnward.integrations import listeners, services
from learnward.integrations.models import XapiStatement
from learnward.learning.services import activity_record_view, enrolment_create, lesson_mark_complete
from learnward.privacy.records.models import Processor
from tests.catalog.factories import lessons_of, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def lrs_processor(db):
    return Processor.objects.create(
        name="Example LRS Ltd",
        service="Learning record store",
        purposes=["xapi_statements"],
        data_categories=["user.behavior.learning_activity"],
        location="United Kingdom",
    )


def _study(user, course, capture):
    with capture(execute=True):
        enrolment_create(user=user, course=course)
    for lesson in lessons_of(course):
        with capture(execute=True):
            activity_record_view(user=user, lesson=lesson)
            activity_record_view(user=user, lesson=lesson)
        with capture(execute=True):
            lesson_mark_complete(user=user, lesson=lesson)


def test_nothing_is_queued_while_xapi_is_off(
    make_user, course, django_capture_on_commit_callbacks, settings
):
    settings.XAPI_LRS_ENDPOINT = ""
    _study(make_user(), course, django_capture_on_commit_callbacks)
    assert not XapiStatement.objects.exists()


def test_nothing_is_sent_without_a_registered_processor(
    make_user, course, lrs, django_capture_on_commit_callbacks
):
    _study(make_user(), course, django_capture_on_commit_callbacks)
    assert not XapiStatement.objects.exists() and lrs.requests == []


def test_the_lrs_receives_each_statement_once_with_an_opaque_actor(
    make_user, course, lrs, lrs_processor, django_capture_on_commit_callbacks
):
    learner = make_user(email="ada@example.test", display_name="Ada Lovelace")
    # Completing the course issues its certificate: "earned".
    _study(learner, course, django_capture_on_commit_callbacks)
    verbs = sorted(s["verb"]["display"]["en-GB"] for s in lrs.statements.values())
    assert verbs == ["completed", "earned", "launched"]  # one launched for many lesson views
    rows = {row.verb: row for row in XapiStatement.objects.all()}
    for statement_id, statement in lrs.statements.items():
        row = rows[statement["verb"]["display"]["en-GB"]]
        assert statement_id == str(row.statement_id) == statement["id"]
        assert row.status == XapiStatement.Status.SENT
        account = statement["actor"]["account"]
        assert account["homePage"] == "https://training.example.test"
        assert account["name"] == services.xapi_actor_name(learner.pk)
        assert "mbox" not in statement["actor"]
    everything = repr(lrs.statements)
    assert "ada@example.test" not in everything and "Ada Lovelace" not in everything
    names = {s["actor"]["account"]["name"] for s in lrs.statements.values()}
    assert names != {str(learner.pk)} and len(names) == 1
    # Another learner has another name.
    assert services.xapi_actor_name(learner.pk + 1) not in names
    for _path, headers, _status in lrs.requests:
        assert headers["X-Experience-API-Version"] == "1.0.3"


def test_passed_and_failed_carry_the_result(
    make_user, lrs, lrs_processor, django_capture_on_commit_callbacks
):
    course = make_course()
    learner = make_user()
    assessment = course.assessment
    now = timezone.now()
    for number, (event, score) in enumerate(
        (("assessment.failed", 40), ("assessment.passed", 90)), start=1
    ):
        attempt = Attempt.objects.create(
            assessment=assessment,
            user=learner,
            number=number,
            started_at=now,
            submitted_at=now,
            score=score,
            passed=event.endswith("passed"),
        )
        with django_capture_on_commit_callbacks(execute=True):
            listeners.on_xapi_event(
                event=event, attempt_id=attempt.pk, user_id=learner.pk, course_id=course.pk
            )
    by_verb = {s["verb"]["display"]["en-GB"]: s for s in lrs.statements.values()}
    assert by_verb["failed"]["result"] == {
        "success": False,
        "completion": True,
        "score": {"scaled": 0.4},
    }
    assert by_verb["passed"]["result"]["success"] is True
    assert by_verb["passed"]["verb"]["id"] == "http://adlnet.gov/expapi/verbs/passed"


def test_a_retry_sends_the_same_statement_id_and_the_lrs_keeps_one(
    make_user, course, lrs, lrs_processor, django_capture_on_commit_callbacks
):
    learner = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(user=learner, course=course)
    lrs.statuses = [503]
    with django_capture_on_commit_callbacks(execute=True):
        activity_record_view(user=learner, lesson=lessons_of(course)[0])
    row = XapiStatement.objects.get()
    assert row.status == XapiStatement.Status.RETRYING and row.last_status_code == 503
    assert lrs.statements == {}
    with time_machine.travel(row.next_attempt_at, tick=False):
        services.integrations_send_due()
    row.refresh_from_db()
    assert row.status == XapiStatement.Status.SENT and row.attempts == 2
    assert list(lrs.statements) == [str(row.statement_id)]
    first, second = lrs.requests
    assert first[0] == second[0]  # the same ?statementId= both times

    # Sent again by mistake (a worker that died after the LRS stored it): the LRS keeps one.
    XapiStatement.objects.filter(pk=row.pk).update(status="pending", next_attempt_at=None)
    services.xapi_statement_send(statement_pk=row.pk)
    row.refresh_from_db()
    assert row.status == XapiStatement.Status.SENT and len(lrs.statements) == 1
    assert lrs.requests[-1][2] == 204


def test_the_same_happening_twice_queues_one_statement(
    make_user, course, lrs, lrs_processor, django_capture_on_commit_callbacks
):
    learner = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrolment_create(user=learner, course=course)
    data = {"user_id": learner.pk, "course_id": course.pk, "lesson_id": 1}
    with django_capture_on_commit_callbacks(execute=True):
        listeners.on_xapi_event(event="lesson.viewed", **data)
        listeners.on_xapi_event(event="lesson.viewed", **data)
    assert XapiStatement.objects.get().dedupe_key == f"launched:{enrolment.pk}:1"


def test_a_wrong_lrs_secret_is_retried_not_lost(
    make_user, course, lrs, lrs_processor, django_capture_on_commit_callbacks, settings
):
    settings.XAPI_LRS_SECRET = "wrong"
    learner = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(user=learner, course=course)
        activity_record_view(user=learner, lesson=lessons_of(course)[0])
    row = XapiStatement.objects.get()
    assert row.status == XapiStatement.Status.RETRYING and row.last_status_code == 401


def test_an_lrs_resolving_to_a_private_address_is_not_contacted(
    make_user, course, lrs_processor, settings, monkeypatch, django_capture_on_commit_callbacks
):
    import socket

    settings.XAPI_LRS_ENDPOINT = "https://lrs.example.com/xapi"
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *a, **k: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.1.9", port))
        ],
    )
    sent = []
    monkeypatch.setattr(services.requests, "put", lambda *a, **k: sent.append(a))
    learner = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(user=learner, course=course)
        activity_record_view(user=learner, lesson=lessons_of(course)[0])
    row = XapiStatement.objects.get()
    assert sent == [] and "private address" in row.last_error


def test_the_notice_names_the_lrs_processor(lrs_processor):
    from learnward.privacy.records.notice import build_notice

    notice = build_notice()
    [purpose] = [p for p in notice["purposes"] if p["key"] == "xapi_statements"]
    assert purpose["processors"] == ["Example LRS Ltd"]


def test_statements_wait_while_xapi_is_switched_off(
    make_user, course, lrs, lrs_processor, django_capture_on_commit_callbacks
):
    learner = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(user=learner, course=course)
    lrs.statuses = [503]
    with django_capture_on_commit_callbacks(execute=True):
        activity_record_view(user=learner, lesson=lessons_of(course)[0])
    lrs_processor.active = False
    lrs_processor.save()
    row = XapiStatement.objects.get()
    with time_machine.travel(row.next_attempt_at + timedelta(seconds=1), tick=False):
        services.integrations_send_due()
    row.refresh_from_db()
    assert row.attempts == 1 and lrs.statements == {}


def test_nothing_is_queued_for_a_learner_who_objected(
    make_user, course, lrs, lrs_processor, django_capture_on_commit_callbacks
):
    from learnward.privacy.rights.services import objection_record

    learner = make_user()
    objection_record(user=learner, purpose="xapi_statements", actor=learner)
    _study(learner, course, django_capture_on_commit_callbacks)
    assert not XapiStatement.objects.exists() and lrs.requests == []
