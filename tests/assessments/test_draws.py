"""Each attempt draws N questions from each category at random, shuffles if asked, and stores
the draw: a resumed attempt shows the same questions and options in the same order."""

import random

import pytest
from django.urls import reverse

from learnward.assessments.models import Attempt
from learnward.assessments.selectors import attempt_questions
from learnward.assessments.services import attempt_start, attempt_submit, draw_questions
from learnward.learning.services import enrolment_create
from tests.assessments import bank_support as bank
from tests.catalog.factories import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_bank():
    """Two categories: 12 law questions (one retired) and 8 practice questions."""
    course = make_course(questions=0, max_attempts=3)
    law, practice = bank.category(course, "Law"), bank.category(course, "Practice")
    laws = [bank.single(course, cat=law, text=f"Law {i}?") for i in range(12)]
    laws[0].retired_at = "2026-01-01T00:00:00Z"
    laws[0].save()
    practices = [bank.single(course, cat=practice, text=f"Practice {i}?") for i in range(8)]
    assessment = bank.assessment(course, {law: 3, practice: 2})
    return course, assessment, laws, practices


def test_draws_vary_and_keep_to_the_counts_per_category(big_bank):
    course, assessment, laws, practices = big_bank
    law_ids = {q.pk for q in laws[1:]}
    practice_ids = {q.pk for q in practices}
    rng = random.Random(1812)
    draws = [draw_questions(assessment=assessment, rng=rng) for _ in range(20)]
    for draw in draws:
        ids = [item["question"] for item in draw]
        assert len(ids) == len(set(ids)) == 5
        assert len([i for i in ids if i in law_ids]) == 3
        assert len([i for i in ids if i in practice_ids]) == 2
        assert laws[0].pk not in ids  # retired: never drawn
    assert len({tuple(item["question"] for item in d) for d in draws}) > 10
    # The same seed draws the same: the test is deterministic.
    again = random.Random(1812)
    assert draw_questions(assessment=assessment, rng=again) == draws[0]


def test_two_attempts_draw_different_questions(big_bank, make_user):
    course, assessment, _laws, _practices = big_bank
    learner = make_user()
    enrolment_create(user=learner, course=course)
    first = attempt_start(user=learner, assessment=assessment, rng=random.Random(1))
    wrong = {
        str(q.pk): [str(next(c.pk for c in cs if not c.is_correct))]
        for q, cs in attempt_questions(attempt=first)
    }
    attempt_submit(attempt=first, actor=learner, answers=wrong)
    second = attempt_start(user=learner, assessment=assessment, rng=random.Random(2))
    first_ids = {item["question"] for item in first.draw}
    second_ids = {item["question"] for item in second.draw}
    assert len(first_ids) == len(second_ids) == 5
    assert first_ids != second_ids


def test_a_resumed_attempt_shows_the_same_draw_in_the_same_order(big_bank, make_user, client):
    course, assessment, _laws, _practices = big_bank
    assessment.shuffle_questions = assessment.shuffle_choices = True
    assessment.save()
    learner = make_user()
    enrolment_create(user=learner, course=course)
    client.force_login(learner)
    client.post(reverse("assessments:start", args=[course.slug]))
    attempt = Attempt.objects.get()
    stored = attempt.draw
    # Starting again returns the open attempt, with its stored draw.
    assert attempt_start(user=learner, assessment=assessment).pk == attempt.pk
    for _visit in range(2):  # shown, then shown again on coming back: the stored order
        page = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
        positions = [page.index(f'id="question-{item["question"]}"') for item in stored]
        assert positions == sorted(positions)
        for item in stored:
            choice_positions = [page.index(f'id="choice-{c}"') for c in item["choices"]]
            assert choice_positions == sorted(choice_positions)
    attempt.refresh_from_db()
    assert attempt.draw == stored


def test_shuffles_are_stored_with_the_attempt(big_bank):
    _course, assessment, _laws, _practices = big_bank
    assessment.shuffle_questions = assessment.shuffle_choices = True
    assessment.save()
    draws = [draw_questions(assessment=assessment, rng=random.Random(seed)) for seed in range(8)]
    # Question order: not always category then bank order.
    assert any([i["question"] for i in d] != sorted(i["question"] for i in d) for d in draws)
    # Choice order: not always as written.
    assert any(i["choices"] != sorted(i["choices"]) for d in draws for i in d)
    assessment.shuffle_questions = assessment.shuffle_choices = False
    assessment.save()
    plain = draw_questions(assessment=assessment, rng=random.Random(0))
    assert all(i["choices"] == sorted(i["choices"]) for i in plain)


def test_an_ordering_question_is_never_shown_in_the_right_order(make_user):
    course = make_course(questions=0)
    cat = bank.category(course)
    q = bank.question(course, "ordering", choices=(("A", "", True), ("B", "", True)))
    assessment = bank.assessment(course, {cat: 1})
    right = [c.pk for c in q.choices.all()]
    for seed in range(6):
        assert draw_questions(assessment=assessment, rng=random.Random(seed))[0]["choices"] != right
