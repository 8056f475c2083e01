"""Attempts in a renewal cycle: numbered and limited per cycle; an earlier pass does not count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learnward.assessments.models import Attempt
from learnward.assessments.selectors import assessment_passed, attempts_for, results_by_user
from learnward.assessments.services import AssessmentError, attempt_start, attempt_submit
from learnward.learning.services import (
    enrolment_begin_cycle,
    enrolment_create,
    lesson_mark_complete,
)
from tests.catalog.factories import answers_for, lessons_of, make_course, post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def renewing(make_user, time_machine):
    """A learner who failed once and then passed (2 attempts allowed), now in cycle 2."""
    time_machine.move_to("2026-01-10 10:00Z")
    user = make_user()
    course = make_course(modules=1, lessons_per_module=1, questions=2, max_attempts=2)
    enrolment_create(user=user, course=course)
    lesson_mark_complete(user=user, lesson=lessons_of(course)[0])
    for right in (False, True):
        attempt = attempt_start(user=user, assessment=course.assessment)
        attempt_submit(attempt=attempt, actor=user, answers=answers_for(course, right=right))
    time_machine.move_to("2026-12-10 10:00Z")
    enrolment_begin_cycle(user=user, course=course)
    return user, course


def test_a_new_cycle_has_every_attempt_again_and_no_pass(renewing):
    user, course = renewing
    assessment = course.assessment
    assert not assessment_passed(user=user, course=course)
    assert assessment_passed(user=user, course=course, cycle=1)
    assert attempts_for(user=user, assessment=assessment) == []
    assert len(attempts_for(user=user, assessment=assessment, cycle=1)) == 2
    first = attempt_start(user=user, assessment=assessment)
    assert (first.cycle, first.number) == (2, 1)
    attempt_submit(attempt=first, actor=user, answers=answers_for(course, right=False))
    second = attempt_start(user=user, assessment=assessment)
    assert (second.cycle, second.number) == (2, 2)
    attempt_submit(attempt=second, actor=user, answers=answers_for(course, right=False))
    with pytest.raises(AssessmentError, match="used all 2 attempts"):
        attempt_start(user=user, assessment=assessment)
    assert Attempt.objects.filter(user=user).count() == 4
    assert results_by_user(course=course, user_ids=[user.pk])[user.pk] == {
        "attempts": 2,
        "best_score": 0,
        "passed": False,
    }


def test_the_overview_counts_this_cycle_and_old_results_keep_their_answers(client, renewing):
    user, course = renewing
    client.force_login(user)
    overview = client.get(reverse("assessments:overview", args=[course.slug])).content.decode()
    assert "Start attempt 1 of 2" in overview
    response = client.post(reverse("assessments:start", args=[course.slug]))
    attempt = Attempt.objects.get(user=user, cycle=2)
    assert response["Location"] == reverse("assessments:attempt", args=[attempt.pk])
    client.post(
        reverse("assessments:attempt", args=[attempt.pk]),
        post_data(answers_for(course, right=False)),
    )
    # The first cycle's passed attempt still shows its answers (it could not help any more).
    earlier = Attempt.objects.get(user=user, cycle=1, passed=True)
    result = client.get(reverse("assessments:result", args=[earlier.pk])).content.decode()
    assert "Right answer:" in result and "You passed" in result
    # The new cycle's failed attempt does not reveal the answers while an attempt is left.
    fresh = client.get(reverse("assessments:result", args=[attempt.pk])).content.decode()
    assert "You did not pass" in fresh and "You have 1 attempt left" in fresh
    assert "Right answer:" not in fresh
