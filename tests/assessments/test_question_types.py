"""Marking every question type, at its exact boundaries, with partial credit where the author
asks for it; and what a learner who sends a bad answer is told (nothing stored)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from learnward.assessments.models import Answer, Attempt
from learnward.assessments.selectors import attempt_questions
from learnward.assessments.services import (
    AssessmentError,
    attempt_start,
    attempt_submit,
    grade_question,
)
from learnward.learning.services import enrolment_create
from tests.assessments import bank_support as bank
from tests.catalog.factories import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return make_course(questions=0)


def test_numeric_tolerance_includes_its_exact_edges_and_nothing_beyond(course):
    q = bank.numeric(course, "10", "0.5", points=2)
    assert grade_question(q, Decimal("10")) == (True, Decimal(2))
    assert grade_question(q, Decimal("10.5")) == (True, Decimal(2))
    assert grade_question(q, Decimal("9.5")) == (True, Decimal(2))
    assert grade_question(q, Decimal("10.500001")) == (False, Decimal(0))
    assert grade_question(q, Decimal("9.499999")) == (False, Decimal(0))


def test_numeric_with_no_tolerance_is_exact(course):
    q = bank.numeric(course, "72", "0")
    assert grade_question(q, Decimal("72.000")) == (True, Decimal(1))
    assert grade_question(q, Decimal("72.000001")) == (False, Decimal(0))


def test_short_answer_ignoring_capitals_and_exact(course):
    accepted = (("Data Protection Officer", "", True), ("DPO", "", True))
    loose = bank.question(course, "short", match="case_insensitive", choices=accepted)
    exact = bank.question(course, "short", match="exact", choices=accepted)
    assert grade_question(loose, "data protection officer")[0] is True
    assert grade_question(loose, "  dpo ")[0] is True  # surrounding spaces never matter
    assert grade_question(loose, "data protection")[0] is False
    assert grade_question(exact, "DPO")[0] is True
    assert grade_question(exact, " Data Protection Officer ")[0] is True
    assert grade_question(exact, "dpo")[0] is False
    assert grade_question(exact, "Data protection officer")[0] is False


def _matching(course, partial):
    return bank.question(
        course,
        "matching",
        points=3,
        partial_credit=partial,
        choices=(
            ("Name", "Personal data", True),
            ("Health", "Special category", True),
            ("Weather", "Not personal", True),
        ),
    )


def test_matching_all_or_nothing_and_a_share_per_right_match(course):
    whole, partial = _matching(course, False), _matching(course, True)
    for q in (whole, partial):
        a, b, c = q.choices.all()
        assert grade_question(q, {a.pk: a.pk, b.pk: b.pk, c.pk: c.pk}) == (True, Decimal(3))
    a, b, c = whole.choices.all()
    assert grade_question(whole, {a.pk: a.pk, b.pk: c.pk, c.pk: b.pk}) == (False, Decimal(0))
    a, b, c = partial.choices.all()
    assert grade_question(partial, {a.pk: a.pk, b.pk: c.pk, c.pk: b.pk}) == (False, Decimal("1.00"))
    assert grade_question(partial, {a.pk: b.pk, b.pk: c.pk, c.pk: a.pk}) == (False, Decimal("0.00"))


def test_ordering_all_or_nothing_and_a_share_per_item_in_place(course):
    steps = (("Stop", "", True), ("Think", "", True), ("Act", "", True), ("Review", "", True))
    whole = bank.question(course, "ordering", points=4, choices=steps)
    partial = bank.question(course, "ordering", points=4, choices=steps, partial_credit=True)
    for q in (whole, partial):
        ids = [c.pk for c in q.choices.all()]
        assert grade_question(q, ids) == (True, Decimal(4))
    s, t, a, r = [c.pk for c in partial.choices.all()]
    assert grade_question(partial, [s, t, r, a]) == (False, Decimal("2.00"))
    assert grade_question(partial, [t, s, r, a]) == (False, Decimal("0.00"))
    s, t, a, r = [c.pk for c in whole.choices.all()]
    assert grade_question(whole, [s, t, r, a]) == (False, Decimal(0))


def test_true_false_and_single_choice_take_the_one_right_choice(course):
    q = bank.question(course, "true_false", choices=(("True", "", False), ("False", "", True)))
    true, false = q.choices.all()
    assert grade_question(q, {false.pk}) == (True, Decimal(1))
    assert grade_question(q, {true.pk}) == (False, Decimal(0))


def test_an_essay_earns_nothing_until_a_tutor_marks_it(course):
    assert grade_question(bank.essay(course), "Anything") == (False, Decimal(0))


def _attempt(course, learner, *questions):
    cat = bank.category(course)
    bank.assessment(course, {cat: len(questions)})
    enrolment_create(user=learner, course=course)
    return attempt_start(user=learner, assessment=course.assessment)


@pytest.mark.parametrize(
    ("kind", "fields", "sent", "message"),
    [
        (
            "numeric",
            {"numeric_answer": Decimal(5)},
            "five",
            "Question 1: enter a number, such as 12 or 0.5.",
        ),
        (
            "numeric",
            {"numeric_answer": Decimal(5)},
            "NaN",
            "Question 1: enter a number, such as 12 or 0.5.",
        ),
        ("numeric", {"numeric_answer": Decimal(5)}, "  ", "Question 1: enter a number."),
        ("short", {"choices": (("Yes", "", True),)}, "", "Question 1: write an answer."),
        (
            "essay",
            {"criteria": (("Clear", 2),), "points": 2},
            " \n ",
            "Question 1: write your answer.",
        ),
    ],
)
def test_a_bad_text_answer_is_refused_and_nothing_is_stored(
    make_user, course, kind, fields, sent, message
):
    learner = make_user()
    bank.question(course, kind, **fields)
    attempt = _attempt(course, learner, 1)
    question = attempt_questions(attempt=attempt)[0][0]
    with pytest.raises(AssessmentError) as refused:
        attempt_submit(attempt=attempt, actor=learner, answers={str(question.pk): [sent]})
    assert refused.value.question_errors == {question.pk: message}
    assert not Answer.objects.exists()
    assert Attempt.objects.get().submitted_at is None


def test_an_ordering_with_two_items_in_the_same_place_is_refused(make_user, course):
    learner = make_user()
    q = bank.question(
        course, "ordering", choices=(("A", "", True), ("B", "", True), ("C", "", True))
    )
    attempt = _attempt(course, learner, 1)
    a, b, c = q.choices.all()
    answers = {f"{q.pk}-{a.pk}": ["1"], f"{q.pk}-{b.pk}": ["1"], f"{q.pk}-{c.pk}": ["3"]}
    with pytest.raises(AssessmentError) as refused:
        attempt_submit(attempt=attempt, actor=learner, answers=answers)
    assert refused.value.question_errors == {
        q.pk: "Question 1: give each item a different position, from 1 to 3."
    }
    answers[f"{q.pk}-{b.pk}"] = ["4"]
    with pytest.raises(AssessmentError) as refused:
        attempt_submit(attempt=attempt, actor=learner, answers=answers)
    assert refused.value.question_errors == {
        q.pk: "Question 1: give each item a position from 1 to 3."
    }
    assert not Answer.objects.exists()


def test_a_matching_option_from_another_question_is_refused(make_user, course):
    learner = make_user()
    q = bank.question(course, "matching", choices=(("A", "1", True), ("B", "2", True)))
    other = bank.question(course, "matching", choices=(("C", "3", True), ("D", "4", True)))
    cat = bank.category(course)
    bank.assessment(course, {cat: 1})
    other.retired_at = timezone.now()
    other.save()
    enrolment_create(user=learner, course=course)
    attempt = attempt_start(user=learner, assessment=course.assessment)
    a, b = q.choices.all()
    foreign = other.choices.first()
    with pytest.raises(AssessmentError) as refused:
        attempt_submit(
            attempt=attempt,
            actor=learner,
            answers={f"{q.pk}-{a.pk}": [str(foreign.pk)], f"{q.pk}-{b.pk}": [str(b.pk)]},
        )
    assert refused.value.question_errors == {
        q.pk: "Question 1: choose each match from the options shown."
    }


def test_every_type_answered_right_in_one_attempt_scores_full_marks(make_user, course):
    learner = make_user()
    bank.single(course)
    bank.question(course, "multiple", choices=(("A", "", True), ("B", "", True), ("C", "", False)))
    bank.question(course, "true_false", choices=(("True", "", True), ("False", "", False)))
    bank.question(course, "short", choices=(("Seven", "", True),))
    bank.numeric(course, "3.5", "0.1")
    bank.question(course, "matching", choices=(("A", "1", True), ("B", "2", True)))
    bank.question(course, "ordering", choices=(("A", "", True), ("B", "", True), ("C", "", True)))
    attempt = _attempt(course, learner, *range(7))
    attempt_submit(attempt=attempt, actor=learner, answers=bank.right_answers(attempt))
    attempt.refresh_from_db()
    assert (attempt.points_awarded, attempt.points_possible, attempt.passed) == (
        Decimal(7),
        7,
        True,
    )
    assert Answer.objects.filter(correct=True).count() == 7
    stored = Answer.objects.get(question__kind="short")
    assert stored.text == "Seven"
