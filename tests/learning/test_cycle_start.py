"""A renewal cycle counts from its start: lessons completed before ``Enrolment.cycle_started_at``
do not count towards the new cycle (one completed exactly at the start does), so a cycle is never
completed by the lessons of the one before.

Learning's own tests, on a course without an assessment: no other completion requirement hides
the count of lessons (with an assessment, the cycle's unpassed assessment would hold the
completion back even if the lessons of the earlier cycle were counted)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from learnward.catalog.selectors import course_outline
from learnward.learning.models import ActivityEvent, Completion
from learnward.learning.selectors import (
    course_lessons_remaining,
    course_progress,
    dashboard_for,
)
from learnward.learning.services import (
    completion_record_if_complete,
    enrolment_begin_cycle,
    enrolment_create,
    lesson_mark_complete,
)
from tests.catalog.factories import lessons_of, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def renewed(make_user, time_machine):
    """A learner who completed a two-lesson course without an assessment on 10 January 2026 and
    began its second cycle on 20 December 2026; the clock stands still at that moment."""
    time_machine.move_to("2026-01-10 10:00Z", tick=False)
    user = make_user()
    course = make_course(modules=1, lessons_per_module=2, questions=0)
    enrolment_create(user=user, course=course)
    completions = [lesson_mark_complete(user=user, lesson=lesson) for lesson in lessons_of(course)]
    assert completions[0] is None and completions[1] is not None and completions[1].cycle == 1
    time_machine.move_to("2026-12-20 10:00Z", tick=False)
    enrolment, changed = enrolment_begin_cycle(user=user, course=course)
    assert changed and enrolment.cycle == 2
    return user, course, enrolment, completions[1]


def _progress(user, course) -> int:
    return course_progress(
        user=user, course=course, outline=course_outline(course=course)
    ).completed


def test_a_new_cycle_needs_every_lesson_again(renewed):
    user, course, enrolment, first = renewed
    first_lesson, second_lesson = lessons_of(course)
    assert course_lessons_remaining(enrolment=enrolment) == 2
    assert completion_record_if_complete(enrolment=enrolment) is None

    assert lesson_mark_complete(user=user, lesson=first_lesson) is None  # one is still to do
    assert course_lessons_remaining(enrolment=enrolment) == 1
    assert _progress(user, course) == 1
    assert not Completion.objects.filter(enrolment=enrolment, cycle=2).exists()
    assert [e.course for e in dashboard_for(user=user).in_progress] == [course]

    second = lesson_mark_complete(user=user, lesson=second_lesson)
    assert second is not None and second.cycle == 2 and second.pk != first.pk
    assert course_lessons_remaining(enrolment=enrolment) == 0
    first.refresh_from_db()
    assert first.cycle == 1  # the first cycle's completion is kept as it was


def test_marking_a_lesson_of_the_earlier_cycle_records_it_again_for_this_one(renewed):
    user, course, enrolment, _ = renewed
    lesson = lessons_of(course)[0]
    lesson_mark_complete(user=user, lesson=lesson)
    lesson_mark_complete(user=user, lesson=lesson)  # twice in the same cycle: one event
    events = ActivityEvent.objects.filter(user=user, lesson=lesson, kind="completed")
    assert [e.occurred_at.date().isoformat() for e in events.order_by("occurred_at")] == [
        "2026-01-10",
        "2026-12-20",
    ]


def test_a_lesson_completed_at_the_start_counts_and_a_moment_before_does_not(renewed):
    user, course, enrolment, _ = renewed
    started = enrolment.cycle_started_at
    first_lesson, second_lesson = lessons_of(course)

    def completed_at(lesson, moment):
        ActivityEvent.objects.create(
            user=user,
            course=course,
            lesson=lesson,
            kind=ActivityEvent.Kind.COMPLETED,
            occurred_at=moment,
        )

    completed_at(first_lesson, started - timedelta(microseconds=1))
    completed_at(second_lesson, started - timedelta(microseconds=1))
    assert course_lessons_remaining(enrolment=enrolment) == 2
    assert _progress(user, course) == 0
    assert completion_record_if_complete(enrolment=enrolment) is None

    completed_at(first_lesson, started)
    assert course_lessons_remaining(enrolment=enrolment) == 1
    assert _progress(user, course) == 1
    assert completion_record_if_complete(enrolment=enrolment) is None

    completed_at(second_lesson, started)
    completion = completion_record_if_complete(enrolment=enrolment)
    assert completion is not None and completion.cycle == 2
