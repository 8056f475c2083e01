"""A course's question bank goes with the course; a category in use cannot go on its own."""

from __future__ import annotations

import pytest
from django.db.models import RestrictedError

from learnward.assessments.models import DrawRule, Question, QuestionCategory
from learnward.catalog.models import Course
from tests.catalog.factories import make_course

pytestmark = pytest.mark.django_db


def test_deleting_a_course_without_learners_deletes_its_bank():
    course = make_course(questions=3)
    category = QuestionCategory.objects.get(course=course)
    assert Question.objects.filter(category=category).count() == 3

    Course.objects.filter(pk=course.pk).delete()

    assert not QuestionCategory.objects.filter(pk=category.pk).exists()
    assert not Question.objects.filter(category_id=category.pk).exists()
    assert not DrawRule.objects.filter(category_id=category.pk).exists()


def test_a_category_holding_questions_cannot_be_deleted_on_its_own():
    course = make_course(questions=1)
    category = QuestionCategory.objects.get(course=course)

    with pytest.raises(RestrictedError):
        category.delete()

    assert Question.objects.filter(category=category).count() == 1
