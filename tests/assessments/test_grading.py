from decimal import Decimal

import pytest

from learnward.assessments.models import Assessment, Question
from learnward.assessments.services import grade_question
from tests.catalog.factories import add_question, make_course

pytestmark = pytest.mark.django_db


def _multiple(partial: bool) -> Question:
    course = make_course(questions=0)
    assessment = Assessment.objects.create(course=course)
    return add_question(
        assessment,
        kind=Question.Kind.MULTIPLE,
        partial_credit=partial,
        points=2,
        choices=(("A", True), ("B", True), ("C", False), ("D", False)),
    )


def _ids(question, *labels):
    return {c.pk for c in question.choices.all() if c.text in labels}


def test_multiple_choice_is_all_or_nothing_by_default():
    question = _multiple(partial=False)
    assert grade_question(question, _ids(question, "A", "B")) == (True, Decimal(2))
    assert grade_question(question, _ids(question, "A")) == (False, Decimal(0))
    assert grade_question(question, _ids(question, "A", "B", "C")) == (False, Decimal(0))


def test_partial_credit_gives_a_share_and_wrong_choices_cancel_right_ones():
    question = _multiple(partial=True)
    assert grade_question(question, _ids(question, "A", "B")) == (True, Decimal(2))
    assert grade_question(question, _ids(question, "A")) == (False, Decimal("1.00"))
    assert grade_question(question, _ids(question, "A", "C")) == (False, Decimal("0.00"))
    assert grade_question(question, _ids(question, "A", "B", "C")) == (False, Decimal("1.00"))
    assert grade_question(question, _ids(question, "C", "D")) == (False, Decimal("0.00"))


def test_single_and_true_false():
    course = make_course(questions=0)
    assessment = Assessment.objects.create(course=course)
    tf = add_question(
        assessment, kind=Question.Kind.TRUE_FALSE, choices=(("True", False), ("False", True))
    )
    assert grade_question(tf, _ids(tf, "False")) == (True, Decimal(1))
    assert grade_question(tf, _ids(tf, "True")) == (False, Decimal(0))


@pytest.mark.parametrize(
    ("right", "score", "passed"),
    [
        ({69, 1}, Decimal("70.00"), True),  # exactly the pass mark: a pass
        ({69}, Decimal("69.00"), False),  # one point below: not a pass
        ({69, 1, 30}, Decimal("100.00"), True),
    ],
)
def test_a_score_exactly_at_the_pass_mark_passes(make_user, right, score, passed):
    from learnward.assessments.services import attempt_start, attempt_submit
    from learnward.learning.models import Completion
    from learnward.learning.services import enrolment_create

    course = make_course(modules=1, lessons_per_module=1, questions=0, pass_mark=70)
    assessment = Assessment.objects.create(course=course)
    questions = {
        points: add_question(assessment, text=f"Worth {points}?", points=points, position=i)
        for i, points in enumerate((69, 1, 30))
    }
    learner = make_user()
    enrolment = enrolment_create(user=learner, course=course)
    attempt = attempt_start(user=learner, assessment=assessment)
    answers = {
        str(q.pk): [str(q.choices.get(is_correct=points in right).pk)]
        for points, q in questions.items()
    }
    attempt_submit(attempt=attempt, actor=learner, answers=answers)
    attempt.refresh_from_db()
    assert (attempt.points_awarded, attempt.points_possible) == (sum(right), 100)
    assert attempt.score == score and attempt.passed is passed
    if not passed:
        assert not Completion.objects.filter(enrolment=enrolment).exists()
