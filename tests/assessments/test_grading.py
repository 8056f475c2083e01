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
