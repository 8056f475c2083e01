"""Completion is recorded exactly once, even when two final submissions race."""

import pytest

from learnward.assessments.services import AssessmentError, attempt_start, attempt_submit
from learnward.learning.models import Completion, Enrolment
from learnward.learning.services import (
    completion_record_if_complete,
    enrolment_create,
    lesson_mark_complete,
)
from tests.catalog.factories import answers_for, lessons_of, make_course
from tests.threads import race

pytestmark = pytest.mark.django_db(transaction=True)


def _ready_to_finish(make_user):
    user = make_user()
    course = make_course(modules=1, lessons_per_module=2, questions=2)
    enrolment_create(user=user, course=course)
    for lesson in lessons_of(course):
        lesson_mark_complete(user=user, lesson=lesson)
    return user, course


def test_two_concurrent_final_submissions_record_one_completion(make_user):
    user, course = _ready_to_finish(make_user)
    attempt = attempt_start(user=user, assessment=course.assessment)
    answers = answers_for(course)
    outcomes = race(
        lambda: attempt_submit(attempt=attempt, actor=user, answers=answers),
        lambda: attempt_submit(attempt=attempt, actor=user, answers=answers),
    )
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["error", "ok"], outcomes
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, AssessmentError) and "already submitted" in error.message
    assert Completion.objects.filter(enrolment__user=user).count() == 1
    from learnward.certificates.models import Certificate

    assert Certificate.objects.filter(user=user).count() == 1


def test_concurrent_completion_checks_record_one_completion(make_user):
    user, course = _ready_to_finish(make_user)
    attempt = attempt_start(user=user, assessment=course.assessment)
    attempt_submit(attempt=attempt, actor=user, answers=answers_for(course))
    Completion.objects.all().delete()  # as if both final requests arrived before it existed
    from learnward.certificates.models import Certificate

    Certificate.objects.all().delete()
    enrolment = Enrolment.objects.get(user=user, course=course)
    outcomes = race(*[lambda: completion_record_if_complete(enrolment=enrolment) for _ in range(4)])
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    assert len({value.pk for _, value in outcomes}) == 1
    assert Completion.objects.count() == 1
    assert Certificate.objects.count() == 1


def test_the_database_refuses_a_second_completion_row(make_user):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    user, course = _ready_to_finish(make_user)
    enrolment = Enrolment.objects.get(user=user, course=course)
    Completion.objects.create(enrolment=enrolment, completed_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Completion.objects.create(enrolment=enrolment, completed_at=timezone.now())


def _renewal_cycle_ready_to_finish(make_user):
    from learnward.learning.services import enrolment_begin_cycle

    user, course = _ready_to_finish(make_user)
    attempt = attempt_start(user=user, assessment=course.assessment)
    attempt_submit(attempt=attempt, actor=user, answers=answers_for(course))
    # A renewal: the same enrolment, a second cycle, every lesson done again.
    enrolment, started = enrolment_begin_cycle(user=user, course=course)
    assert started and enrolment.cycle == 2
    for lesson in lessons_of(course):
        lesson_mark_complete(user=user, lesson=lesson)
    return user, course


def test_two_concurrent_final_submissions_in_a_renewal_cycle_record_one_completion(make_user):
    user, course = _renewal_cycle_ready_to_finish(make_user)
    attempt = attempt_start(user=user, assessment=course.assessment)
    assert attempt.cycle == 2
    answers = answers_for(course)
    outcomes = race(
        lambda: attempt_submit(attempt=attempt, actor=user, answers=answers),
        lambda: attempt_submit(attempt=attempt, actor=user, answers=answers),
    )
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"], outcomes
    assert list(
        Completion.objects.filter(enrolment__user=user)
        .order_by("cycle")
        .values_list("cycle", flat=True)
    ) == [1, 2]
    from learnward.certificates.models import Certificate

    # The course has no validity here, so its certificate never expires: no renewal link.
    assert Certificate.objects.filter(user=user).count() == 2


def test_concurrent_renewal_starts_begin_one_cycle(make_user):
    from learnward.learning.services import enrolment_begin_cycle

    user, course = _ready_to_finish(make_user)
    attempt = attempt_start(user=user, assessment=course.assessment)
    attempt_submit(attempt=attempt, actor=user, answers=answers_for(course))
    outcomes = race(*[lambda: enrolment_begin_cycle(user=user, course=course) for _ in range(3)])
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    assert sorted(changed for _, (_, changed) in outcomes) == [False, False, True]
    assert Enrolment.objects.get(user=user, course=course).cycle == 2
