"""Authors write questions and choices inline; choices must make sense for the question type."""

import pytest
from django.urls import reverse

from learnward.assessments.models import Assessment, Choice
from tests.catalog.factories import add_question, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def author_client(client, make_user):
    client.force_login(make_user(roles=["Course author"]))
    return client


def _question_form(question, kind, choices):
    data = {
        "course": str(question.course_id),
        "category": str(question.category_id),
        "match": "case_insensitive",
        "numeric_tolerance": "0",
        "position": "0",
        "kind": kind,
        "text": question.text,
        "explanation": "",
        "points": "1",
        "choices-TOTAL_FORMS": str(len(choices)),
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
    }
    for i, (position, text, correct) in enumerate(choices):
        data[f"choices-{i}-position"] = str(position)
        data[f"choices-{i}-text"] = text
        if correct:
            data[f"choices-{i}-is_correct"] = "on"
    return data


@pytest.fixture
def question():
    course = make_course(questions=0)
    assessment = Assessment.objects.create(course=course)
    return add_question(assessment, text="Is water wet?", choices=())


def test_author_adds_ordered_choices_inline(author_client, question):
    data = _question_form(question, "single", [(2, "No", False), (1, "Yes", True)])
    response = author_client.post(
        reverse("admin:assessments_question_change", args=[question.pk]), data
    )
    assert response.status_code == 302, response.content[:3000]
    assert [c.text for c in question.choices.all()] == ["Yes", "No"]


@pytest.mark.parametrize(
    ("kind", "choices", "message"),
    [
        ("single", [(0, "A", True), (1, "B", True)], "exactly one choice as correct"),
        ("single", [(0, "A", True)], "at least two choices"),
        ("multiple", [(0, "A", False), (1, "B", False)], "at least one choice as correct"),
        (
            "true_false",
            [(0, "True", True), (1, "False", False), (2, "Maybe", False)],
            "exactly two choices",
        ),
    ],
)
def test_choices_that_do_not_fit_the_question_type_are_refused(
    author_client, question, kind, choices, message
):
    response = author_client.post(
        reverse("admin:assessments_question_change", args=[question.pk]),
        _question_form(question, kind, choices),
    )
    assert response.status_code == 200
    assert message in response.text
    assert not Choice.objects.filter(question=question).exists()
