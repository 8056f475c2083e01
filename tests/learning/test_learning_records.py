"""What enrolling, leaving, lesson activity and completion record, exactly: the rows, their times,
the audit entries and their payloads, and the messages a refused learner is shown."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from learnward.assessments.services import attempt_start, attempt_submit
from learnward.audit.models import AuditEntry
from learnward.learning.models import ActivityEvent, Completion, Enrolment, RegistrationDetails
from learnward.learning.registration import consent_wording
from learnward.learning.services import (
    LearningError,
    activity_record_view,
    completion_record_if_complete,
    enrolment_begin_cycle,
    enrolment_create,
    enrolment_leave,
    lesson_mark_complete,
)
from tests.catalog.factories import answers_for, lessons_of, make_awarding_body, make_course

pytestmark = pytest.mark.django_db


def _now():
    return timezone.now().replace(microsecond=0)


# --- enrolling -------------------------------------------------------------------------------


def test_enrolling_records_the_time_and_audits_it(make_user):
    user, course = make_user(), make_course()
    now = _now()
    with time_machine.travel(now, tick=False):
        enrolment = enrolment_create(user=user, course=course)
    enrolment.refresh_from_db()
    assert (enrolment.user, enrolment.course) == (user, course)
    assert enrolment.enrolled_at == now
    assert enrolment.left_at is None
    assert enrolment.cycle == 1
    entry = AuditEntry.objects.get(action="learning.enrolled")
    assert entry.actor_id == user.pk
    assert entry.subject_id == user.pk
    assert entry.target_id == str(enrolment.pk)
    assert entry.payload == {
        "course_id": course.pk,
        "registration_fields": [],
        "special_category_consent": False,
    }
    assert not RegistrationDetails.objects.exists()


def test_the_refusals_to_enrol_say_why(make_user):
    with pytest.raises(LearningError) as refused:
        enrolment_create(user=make_user(), course=make_course(published=False))
    assert (refused.value.message, refused.value.code) == (
        "This course is not open for enrolment.",
        "unavailable",
    )
    assert str(refused.value) == refused.value.message
    with pytest.raises(LearningError) as refused:
        enrolment_create(user=make_user(email_verified_at=None), course=make_course())
    assert (refused.value.message, refused.value.code) == (
        "Verify your email address before you enrol: follow the link in the email we sent "
        "you, or ask for a new one.",
        "unverified",
    )
    assert not Enrolment.objects.exists()
    assert not AuditEntry.objects.filter(action="learning.enrolled").exists()


def test_a_learning_error_is_invalid_unless_told_otherwise():
    assert LearningError("No.").code == "invalid"


def test_registration_details_are_stored_with_when_they_were_given(make_user):
    body = make_awarding_body()
    course = make_course(
        awarding_body=body, home_postcode_requirement="required", ethnicity_requirement="optional"
    )
    user = make_user()
    now = _now()
    with time_machine.travel(now, tick=False):
        enrolment = enrolment_create(
            user=user,
            course=course,
            registration={"home_postcode": "SW1A 1AA", "ethnicity": "white"},
            consent_text=consent_wording(course),
        )
    details = RegistrationDetails.objects.get(enrolment=enrolment)
    assert details.home_postcode == "SW1A 1AA"
    assert details.ethnicity == "white"
    assert details.submitted_at == now
    entry = AuditEntry.objects.get(action="learning.enrolled")
    assert entry.payload == {
        "course_id": course.pk,
        "registration_fields": ["ethnicity", "home_postcode"],
        "special_category_consent": True,
    }


def test_coming_back_re_enrols_the_same_enrolment_from_now(make_user):
    user, course = make_user(), make_course()
    start = _now()
    with time_machine.travel(start, tick=False):
        enrolment = enrolment_create(user=user, course=course)
    with time_machine.travel(start + timedelta(days=1), tick=False):
        enrolment_leave(user=user, course=course)
    with time_machine.travel(start + timedelta(days=2), tick=False):
        again = enrolment_create(user=user, course=course)
    assert again.pk == enrolment.pk
    again.refresh_from_db()
    assert again.left_at is None
    assert again.enrolled_at == start + timedelta(days=2)
    assert AuditEntry.objects.filter(action="learning.enrolled").count() == 2


def test_coming_back_to_a_course_with_registration_replaces_the_details(make_user):
    body = make_awarding_body()
    course = make_course(awarding_body=body, home_postcode_requirement="required")
    user = make_user()
    enrolment_create(user=user, course=course, registration={"home_postcode": "SW1A 1AA"})
    enrolment_leave(user=user, course=course)
    later = _now() + timedelta(days=3)
    with time_machine.travel(later, tick=False):
        enrolment_create(user=user, course=course, registration={"home_postcode": "EH1 1YZ"})
    details = RegistrationDetails.objects.get()
    assert details.home_postcode == "EH1 1YZ"
    assert details.submitted_at == later


# --- leaving ---------------------------------------------------------------------------------


def test_leaving_records_the_time_and_audits_it_once(make_user):
    user, course = make_user(), make_course()
    enrolment = enrolment_create(user=user, course=course)
    now = _now() + timedelta(hours=1)
    with time_machine.travel(now, tick=False):
        left = enrolment_leave(user=user, course=course)
    assert left.pk == enrolment.pk
    left.refresh_from_db()
    assert left.left_at == now
    entry = AuditEntry.objects.get(action="learning.left")
    assert entry.actor_id == user.pk
    assert entry.subject_id == user.pk
    assert entry.target_id == str(enrolment.pk)
    assert entry.payload == {"course_id": course.pk}
    with time_machine.travel(now + timedelta(hours=1), tick=False):
        again = enrolment_leave(user=user, course=course)
    again.refresh_from_db()
    assert again.left_at == now
    assert AuditEntry.objects.filter(action="learning.left").count() == 1


def test_leaving_a_course_never_joined_does_nothing(make_user):
    assert enrolment_leave(user=make_user(), course=make_course()) is None
    assert not AuditEntry.objects.filter(action="learning.left").exists()


# --- lesson activity -------------------------------------------------------------------------


def test_viewing_a_lesson_records_who_what_and_when(make_user):
    user, course = make_user(), make_course()
    enrolment_create(user=user, course=course)
    lesson = lessons_of(course)[1]
    now = _now()
    with time_machine.travel(now, tick=False):
        event = activity_record_view(user=user, lesson=lesson)
    event = ActivityEvent.objects.get(pk=event.pk)
    assert event.user == user
    assert event.course_id == course.pk
    assert event.lesson == lesson
    assert event.kind == ActivityEvent.Kind.VIEWED
    assert event.occurred_at == now


def test_lessons_need_an_active_enrolment_and_say_so(make_user):
    user, course = make_user(), make_course()
    lesson = lessons_of(course)[0]
    for attempt in (activity_record_view, lesson_mark_complete):
        with pytest.raises(LearningError) as refused:
            attempt(user=user, lesson=lesson)
        assert (refused.value.message, refused.value.code) == (
            "Enrol on the course to study its lessons.",
            "not_enrolled",
        )
    enrolment_create(user=user, course=course)
    enrolment_leave(user=user, course=course)
    with pytest.raises(LearningError, match="Enrol on the course to study its lessons."):
        activity_record_view(user=user, lesson=lesson)
    with pytest.raises(LearningError, match="Enrol on the course to study its lessons."):
        lesson_mark_complete(user=user, lesson=lesson)
    assert not ActivityEvent.objects.exists()


def test_another_courses_enrolment_does_not_open_a_lesson(make_user):
    user = make_user()
    enrolled, other = make_course(), make_course()
    enrolment_create(user=user, course=enrolled)
    with pytest.raises(LearningError):
        activity_record_view(user=user, lesson=lessons_of(other)[0])


def test_marking_a_lesson_complete_records_it_once(make_user):
    user, course = make_user(), make_course()
    enrolment_create(user=user, course=course)
    lesson = lessons_of(course)[0]
    now = _now()
    with time_machine.travel(now, tick=False):
        assert lesson_mark_complete(user=user, lesson=lesson) is None
    with time_machine.travel(now + timedelta(minutes=5), tick=False):
        assert lesson_mark_complete(user=user, lesson=lesson) is None
    event = ActivityEvent.objects.get()
    assert event.user == user
    assert event.course_id == course.pk
    assert event.lesson == lesson
    assert event.kind == ActivityEvent.Kind.COMPLETED
    assert event.occurred_at == now


def test_a_viewed_lesson_is_not_yet_completed(make_user):
    user, course = make_user(), make_course(modules=1, lessons_per_module=1, questions=0)
    enrolment_create(user=user, course=course)
    lesson = lessons_of(course)[0]
    activity_record_view(user=user, lesson=lesson)
    assert lesson_mark_complete(user=user, lesson=lesson) is not None
    assert ActivityEvent.objects.filter(kind=ActivityEvent.Kind.COMPLETED).count() == 1


def test_another_learners_completion_of_a_lesson_does_not_count(make_user):
    first, second = make_user(), make_user()
    course = make_course(modules=1, lessons_per_module=1, questions=0)
    lesson = lessons_of(course)[0]
    for user in (first, second):
        enrolment_create(user=user, course=course)
    lesson_mark_complete(user=first, lesson=lesson)
    assert lesson_mark_complete(user=second, lesson=lesson) is not None
    assert ActivityEvent.objects.filter(user=second, kind="completed").count() == 1


# --- completion ------------------------------------------------------------------------------


def test_the_last_lesson_records_and_audits_the_completion(make_user):
    user, course = make_user(), make_course(modules=1, lessons_per_module=2, questions=0)
    enrolment = enrolment_create(user=user, course=course)
    first, last = lessons_of(course)
    assert lesson_mark_complete(user=user, lesson=first) is None
    now = _now()
    with time_machine.travel(now, tick=False):
        completion = lesson_mark_complete(user=user, lesson=last)
    assert completion == Completion.objects.get()
    assert completion.enrolment == enrolment
    assert completion.cycle == 1
    assert completion.completed_at == now
    entry = AuditEntry.objects.get(action="learning.completed")
    assert entry.actor_id == user.pk
    assert entry.subject_id == user.pk
    assert entry.target_id == str(completion.pk)
    assert entry.payload == {"course_id": course.pk}
    assert completion_record_if_complete(enrolment=enrolment) == completion
    assert AuditEntry.objects.filter(action="learning.completed").count() == 1


def test_a_learner_who_left_does_not_complete(make_user):
    user, course = make_user(), make_course(modules=1, lessons_per_module=1, questions=0)
    enrolment = enrolment_create(user=user, course=course)
    activity = ActivityEvent.objects.create(
        user=user,
        course_id=course.pk,
        lesson=lessons_of(course)[0],
        kind=ActivityEvent.Kind.COMPLETED,
        occurred_at=timezone.now(),
    )
    enrolment_leave(user=user, course=course)
    assert activity.pk
    assert completion_record_if_complete(enrolment=enrolment) is None
    assert not Completion.objects.exists()


def test_a_completion_in_a_later_cycle_is_audited_with_its_cycle(make_user):
    user, course = make_user(), make_course(modules=1, lessons_per_module=1, questions=1)
    enrolment = enrolment_create(user=user, course=course)
    lesson = lessons_of(course)[0]
    lesson_mark_complete(user=user, lesson=lesson)
    attempt = attempt_start(user=user, assessment=course.assessment)
    attempt_submit(attempt=attempt, actor=user, answers=answers_for(course))
    later = _now() + timedelta(days=300)
    with time_machine.travel(later, tick=False):
        renewed, changed = enrolment_begin_cycle(user=user, course=course)
    assert changed is True
    assert renewed.pk == enrolment.pk
    renewed.refresh_from_db()
    assert renewed.cycle == 2
    assert renewed.cycle_started_at == later
    with time_machine.travel(later + timedelta(minutes=1), tick=False):
        lesson_mark_complete(user=user, lesson=lesson)
        attempt = attempt_start(user=user, assessment=course.assessment)
        attempt_submit(attempt=attempt, actor=user, answers=answers_for(course))
    second = Completion.objects.get(cycle=2)
    assert second.enrolment == enrolment
    entries = list(AuditEntry.objects.filter(action="learning.completed"))
    assert [e.payload for e in entries] == [
        {"course_id": course.pk},
        {"course_id": course.pk, "cycle": 2},
    ]
    started = AuditEntry.objects.filter(action="assessments.attempt_started").last()
    assert started.payload == {"assessment_id": course.assessment.pk, "number": 1, "cycle": 2}


def test_beginning_a_cycle_when_not_enrolled_enrols(make_user):
    user, course = make_user(), make_course()
    enrolment, changed = enrolment_begin_cycle(user=user, course=course)
    assert changed is True
    assert enrolment.active and enrolment.cycle == 1
    assert enrolment.cycle_started_at is None
    again, changed = enrolment_begin_cycle(user=user, course=course)
    assert (again.pk, changed) == (enrolment.pk, False)


def test_beginning_a_cycle_on_a_course_needing_details_says_so(make_user):
    body = make_awarding_body()
    course = make_course(
        title="First Aid", awarding_body=body, home_postcode_requirement="required"
    )
    with pytest.raises(LearningError) as refused:
        enrolment_begin_cycle(user=make_user(), course=course)
    assert (refused.value.message, refused.value.code) == (
        "Enrol on First Aid first: its awarding body needs some details from you.",
        "needs_registration",
    )
    assert not Enrolment.objects.exists()
