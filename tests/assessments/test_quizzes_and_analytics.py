"""Formative quizzes after a module never count towards completion; per-question analytics
(facility and the corrected point-biserial discrimination) on a hand-computed dataset, with
small numbers suppressed."""

import random
from decimal import Decimal

import pytest
from django.urls import reverse

from learnward.assessments.models import Answer, Attempt
from learnward.assessments.selectors import question_analytics
from learnward.assessments.services import attempt_start, attempt_submit
from learnward.learning.models import Completion
from learnward.learning.services import enrolment_create, lesson_mark_complete
from tests.assessments import bank_support as bank
from tests.catalog.factories import lessons_of, make_course

pytestmark = pytest.mark.django_db


def test_a_formative_quiz_pass_does_not_complete_the_course(make_user, client):
    course = make_course(questions=0, max_attempts=1)
    cat = bank.category(course)
    bank.single(course, cat=cat)
    final = bank.assessment(course, {cat: 1})
    quiz = bank.assessment(course, {cat: 1}, module=course.modules.first())
    learner = make_user()
    enrolment = enrolment_create(user=learner, course=course)
    for lesson in lessons_of(course):
        lesson_mark_complete(user=learner, lesson=lesson)
    for _ in range(3):  # no attempt limit on a quiz
        attempt = attempt_start(user=learner, assessment=quiz)
        attempt_submit(attempt=attempt, actor=learner, answers=bank.right_answers(attempt))
    assert Attempt.objects.filter(assessment=quiz, passed=True).count() == 3
    assert not Completion.objects.filter(enrolment=enrolment).exists()
    client.force_login(learner)
    page = client.get(reverse("assessments:result", args=[attempt.pk])).content.decode()
    assert "does not count towards completing the course" in page
    assert "Right answer: Right" in page  # a quiz shows the answers at once
    # The final assessment still counts, and still allows one attempt.
    attempt = attempt_start(user=learner, assessment=final)
    attempt_submit(attempt=attempt, actor=learner, answers=bank.right_answers(attempt))
    assert Completion.objects.filter(enrolment=enrolment).exists()


def test_a_quiz_page_is_a_404_for_another_courses_quiz(make_user, client):
    course, other = make_course(questions=0), make_course(questions=0)
    cat = bank.category(other)
    bank.single(other, cat=cat)
    quiz = bank.assessment(other, {cat: 1}, module=other.modules.first())
    client.force_login(make_user())
    assert client.get(reverse("assessments:quiz", args=[course.slug, quiz.pk])).status_code == 404
    assert client.get(reverse("assessments:quiz", args=[other.slug, quiz.pk])).status_code == 200


def _answers(make_user, course, assessment, q1, q2, rows):
    """One attempt per row (q1 right?, q2 right?, q3 right?), all submitted."""
    for right in rows:
        learner = make_user()
        enrolment_create(user=learner, course=course)
        attempt = attempt_start(user=learner, assessment=assessment, rng=random.Random(0))
        answers = bank.right_answers(attempt)
        for question, ok in zip((q1, q2), right, strict=True):
            if not ok:
                wrong = question.choices.get(text="Wrong")
                answers[str(question.pk)] = [str(wrong.pk)]
        attempt_submit(attempt=attempt, actor=learner, answers=answers)


def test_facility_and_discrimination_on_a_hand_computed_dataset(make_user, settings):
    settings.INSIGHTS_MIN_COUNT = 5
    course = make_course(questions=0, max_attempts=1)
    cat = bank.category(course)
    q1 = bank.single(course, cat=cat, text="Q1?")
    q2 = bank.single(course, cat=cat, text="Q2?")
    assessment = bank.assessment(course, {cat: 2})
    # Five learners: (Q1, Q2) right?
    rows = [(1, 1), (1, 1), (1, 0), (0, 0), (0, 1)]
    _answers(make_user, course, assessment, q1, q2, rows)
    stats = {row["question"].pk: row for row in question_analytics(course=course)}
    # Q1: facility 3/5. Rest score = Q2 (1 point of 1): pairs (1,1),(1,1),(1,0),(0,0),(0,1).
    # Pearson of x=[1,1,1,0,0], y=[1,1,0,0,1]: means .6 and .6; Sxy = .4*.4*2 + .4*-.6 +
    # -.6*-.6 + -.6*.4 = .32 - .24 + .36 - .24 = .2; Sxx = Syy = 1.2; r = .2 / 1.2 = 1/6.
    assert stats[q1.pk]["answers"] == 5
    assert stats[q1.pk]["facility"] == pytest.approx(0.6)
    assert stats[q1.pk]["discrimination"] == pytest.approx(1 / 6)
    # Q2 is symmetric here: facility 3/5, same r.
    assert stats[q2.pk]["facility"] == pytest.approx(0.6)
    assert stats[q2.pk]["discrimination"] == pytest.approx(1 / 6)
    assert stats[q1.pk]["flag"].startswith("Does not tell stronger and weaker learners apart")


def test_analytics_are_suppressed_below_the_threshold(make_user, settings, client):
    settings.INSIGHTS_MIN_COUNT = 5
    course = make_course(questions=0, max_attempts=1)
    cat = bank.category(course)
    q1 = bank.single(course, cat=cat, text="Q1?")
    q2 = bank.single(course, cat=cat, text="Q2?")
    assessment = bank.assessment(course, {cat: 2})
    _answers(make_user, course, assessment, q1, q2, [(1, 1), (1, 0), (0, 0), (0, 1)])
    stats = {row["question"].pk: row for row in question_analytics(course=course)}
    assert stats[q1.pk]["suppressed"] is True
    assert stats[q1.pk]["facility"] is None and stats[q1.pk]["discrimination"] is None
    client.force_login(make_user(roles=["Course author"]))
    page = client.get(reverse("assessments_studio:analytics", args=[course.slug])).content.decode()
    assert "fewer than 5" in page
    assert "50%" not in page
    assert Answer.objects.count() == 8
    _answers(make_user, course, assessment, q1, q2, [(1, 1)])
    stats = {row["question"].pk: row for row in question_analytics(course=course)}
    assert stats[q1.pk]["suppressed"] is False
    assert stats[q1.pk]["facility"] == pytest.approx(0.6)
    assert Decimal(stats[q1.pk]["answers"]) == 5
