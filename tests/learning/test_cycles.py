"""Renewal cycles: taking a course again on the same enrolment. Only the current cycle's lessons
and attempts count, each cycle completes once, and earlier cycles are kept as they were."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from learnward.assessments.services import attempt_start, attempt_submit
from learnward.catalog.selectors import course_outline
from learnward.learning.models import ActivityEvent, Completion, Enrolment
from learnward.learning.selectors import (
    course_progress,
    dashboard_for,
    enrolment_for,
    tutor_course_enrolments,
    tutor_course_learners,
    tutor_learner_detail,
)
from learnward.learning.services import (
    LearningError,
    enrolment_begin_cycle,
    enrolment_create,
    enrolment_leave,
    lesson_mark_complete,
)
from tests.catalog.factories import answers_for, lessons_of, make_awarding_body, make_course

pytestmark = pytest.mark.django_db


def _finish(user, course) -> Completion:
    for lesson in lessons_of(course):
        lesson_mark_complete(user=user, lesson=lesson)
    attempt = attempt_start(user=user, assessment=course.assessment)
    attempt_submit(attempt=attempt, actor=user, answers=answers_for(course))
    enrolment = enrolment_for(user=user, course=course)
    assert enrolment.completion is not None
    return enrolment.completion


@pytest.fixture
def completed(make_user, time_machine):
    """A learner who completed a two-lesson course (cycle 1) a year ago."""
    time_machine.move_to("2026-01-10 10:00Z")
    user = make_user()
    course = make_course(modules=1, lessons_per_module=2, questions=1)
    enrolment_create(user=user, course=course)
    completion = _finish(user, course)
    time_machine.move_to("2026-12-20 10:00Z")
    return user, course, completion


def test_a_new_cycle_starts_progress_and_completion_again(completed):
    user, course, first = completed
    enrolment, changed = enrolment_begin_cycle(user=user, course=course)
    assert changed and enrolment.cycle == 2
    assert enrolment.cycle_started_at.date().isoformat() == "2026-12-20"
    fresh = enrolment_for(user=user, course=course)
    assert fresh.completion is None
    progress = course_progress(user=user, course=course, outline=course_outline(course=course))
    assert (progress.completed, progress.total) == (0, 2)
    dashboard = dashboard_for(user=user)
    assert [e.course for e in dashboard.in_progress] == [course] and not dashboard.completed
    assert dashboard.in_progress[0].progress.completed == 0

    first_lesson, second_lesson = lessons_of(course)
    assert lesson_mark_complete(user=user, lesson=first_lesson) is None
    # Completed again in this cycle: a new event, beside the first cycle's.
    assert (
        ActivityEvent.objects.filter(user=user, lesson=first_lesson, kind="completed").count() == 2
    )
    assert lesson_mark_complete(user=user, lesson=second_lesson) is None  # not passed yet
    second = _finish(user, course)
    assert second.pk != first.pk and second.cycle == 2
    first.refresh_from_db()
    assert first.cycle == 1  # the earlier completion is kept as it was
    assert Completion.objects.filter(enrolment=enrolment).count() == 2
    dashboard = dashboard_for(user=user)
    assert [e.completion for e in dashboard.completed] == [second]


def test_asking_again_while_a_cycle_is_under_way_changes_nothing(completed):
    user, course, _ = completed
    enrolment_begin_cycle(user=user, course=course)
    enrolment, changed = enrolment_begin_cycle(user=user, course=course)
    assert not changed and enrolment.cycle == 2


def test_a_cycle_in_progress_is_not_restarted_even_on_the_first_cycle(make_user):
    user, course = make_user(), make_course()
    enrolment_create(user=user, course=course)
    enrolment, changed = enrolment_begin_cycle(user=user, course=course)
    assert not changed and enrolment.cycle == 1 and enrolment.cycle_started_at is None


def test_begin_cycle_enrols_or_re_enrols(completed, make_user):
    user, course, _ = completed
    stranger = make_user()
    enrolment, changed = enrolment_begin_cycle(user=stranger, course=course)
    assert changed and enrolment.active and enrolment.cycle == 1
    enrolment_leave(user=user, course=course)
    enrolment, changed = enrolment_begin_cycle(user=user, course=course)
    assert changed and enrolment.active and enrolment.cycle == 2


def test_begin_cycle_refuses_a_course_that_needs_awarding_body_details(make_user):
    user = make_user()
    course = make_course(awarding_body=make_awarding_body(), gender_requirement="required")
    with pytest.raises(LearningError) as caught:
        enrolment_begin_cycle(user=user, course=course)
    assert caught.value.code == "needs_registration" and "Enrol on" in caught.value.message
    assert not Enrolment.objects.filter(user=user).exists()


def test_lessons_before_the_cycle_began_do_not_count(completed, client):
    user, course, _ = completed
    enrolment_begin_cycle(user=user, course=course)
    client.force_login(user)
    page = client.get(course.get_absolute_url()).content.decode()
    assert "0 of 2 lessons completed" in page and "You completed this course" not in page
    lesson = lessons_of(course)[0]
    response = client.post(reverse("learning:lesson_complete", args=[course.slug, lesson.pk]))
    assert response.status_code == 302
    page = client.get(course.get_absolute_url()).content.decode()
    assert "1 of 2 lessons completed" in page


def test_each_cycle_completes_at_most_once_in_the_database(completed):
    user, course, first = completed
    enrolment = Enrolment.objects.get(user=user, course=course)
    with pytest.raises(IntegrityError), transaction.atomic():
        Completion.objects.create(enrolment=enrolment, cycle=1, completed_at=timezone.now())
    Completion.objects.create(enrolment=enrolment, cycle=2, completed_at=timezone.now())


def test_tutors_see_the_current_cycle(completed, make_user):
    user, course, _ = completed
    tutor = make_user(roles=["Tutor"])
    course.tutors.add(tutor)
    enrolment_begin_cycle(user=user, course=course)
    lesson_mark_complete(user=user, lesson=lessons_of(course)[0])
    enrolments = list(tutor_course_enrolments(actor=tutor, course=course))
    [row] = tutor_course_learners(actor=tutor, course=course, enrolments=enrolments)
    assert row.completion is None and row.progress.completed == 1
    # The assessment's columns count this cycle's attempts only: none yet, so not passed.
    [results] = row.cells
    assert results.context["attempts"] == 0 and not results.context["passed"]
    assert row.status == ""
    detail = tutor_learner_detail(
        actor=tutor,
        course=course,
        enrolment_id=enrolments[0].pk,
        outline=course_outline(course=course),
    )
    assert detail.progress.completed == 1 and detail.enrolment.completion is None
