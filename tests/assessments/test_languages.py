"""Assessments in Dutch and French: pages, errors and numbers follow the language; a learner may
type a decimal comma in nl and fr."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from learnward.accounts.roles import COURSE_AUTHOR
from learnward.assessments.selectors import marking_queue
from learnward.assessments.services import AssessmentError, attempt_start, attempt_submit
from learnward.assessments.views import _right
from learnward.learning.services import enrolment_create
from tests.assessments import bank_support as bank
from tests.catalog.factories import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def numeric_attempt(make_user):
    course = make_course(questions=0)
    cat = bank.category(course)
    question = bank.numeric(course, "2.5", "0", cat=cat)
    bank.assessment(course, {cat: 1})
    learner = make_user()
    enrolment_create(user=learner, course=course)
    attempt = attempt_start(user=learner, assessment=course.assessment)
    return attempt, learner, question


@pytest.mark.parametrize(
    ("language", "typed"),
    [("nl", "2,5"), ("fr", "2,5"), ("nl", "2.5"), ("fr", "2.5"), ("en-gb", "2.5")],
)
def test_a_numeric_answer_takes_the_languages_decimal_separator(numeric_attempt, language, typed):
    attempt, learner, question = numeric_attempt
    with translation.override(language):
        attempt_submit(attempt=attempt, actor=learner, answers={str(question.pk): [typed]})
    answer = attempt.answers.get(question=question)
    assert answer.correct is True and answer.points_awarded == Decimal(1)


def test_thousands_separators_of_dutch_and_french_are_understood(make_user):
    from learnward.assessments.services import _parse_number

    with translation.override("nl"):
        assert _parse_number("1.234,5") == Decimal("1234.5")
        assert _parse_number("2,5") == Decimal("2.5")
        assert _parse_number("1,2,3") is None
    with translation.override("fr"):
        assert _parse_number("1 234,5") == Decimal("1234.5")
        assert _parse_number("1\u202f234,5") == Decimal("1234.5")
    with translation.override("en-gb"):
        assert _parse_number("2,5") is None  # in English a comma is not a decimal separator


def test_a_bad_number_is_refused_in_the_learners_language(numeric_attempt):
    attempt, learner, question = numeric_attempt
    for language, message in (
        ("nl", "Vraag 1: vul een getal in, zoals 12 of 0,5."),
        ("fr", "Question 1 : saisissez un nombre, comme 12 ou 0,5."),
        ("en-gb", "Question 1: enter a number, such as 12 or 0.5."),
    ):
        with translation.override(language), pytest.raises(AssessmentError) as refused:
            attempt_submit(attempt=attempt, actor=learner, answers={str(question.pk): ["vijf"]})
        assert refused.value.question_errors == {question.pk: message}


def test_the_right_number_and_its_tolerance_are_shown_with_a_decimal_comma(make_user):
    course = make_course(questions=0)
    question = bank.numeric(course, "2.5", "0.1")
    with translation.override("nl"):
        assert _right(question, []) == "2,5 (plus of min 0,1)"
    with translation.override("fr"):
        assert _right(question, []) == "2,5 (à 0,1 près)"
    with translation.override("en-gb"):
        assert _right(question, []) == "2.5 (give or take 0.1)"


def test_the_numeric_answer_typed_with_a_comma_on_the_dutch_attempt_page(numeric_attempt):
    attempt, learner, question = numeric_attempt
    client = Client()
    client.force_login(learner)
    with translation.override("nl"):
        url = reverse("assessments:attempt", args=[attempt.pk])
    assert url.startswith("/nl/")
    page = client.get(url).content.decode()
    assert "Uw antwoord (een getal)" in page and "Antwoorden indienen" in page
    assert "Your answer (a number)" not in page
    response = client.post(url, {f"q-{question.pk}": "2,5"})
    assert response.status_code == 302 and response["Location"].startswith("/nl/")
    result = client.get(response["Location"]).content.decode()
    assert "U bent geslaagd met 100%." in result
    assert "You passed" not in result


def test_the_assessment_overview_in_french(make_user):
    course = make_course(questions=3, max_attempts=2)
    learner = make_user()
    enrolment_create(user=learner, course=course)
    client = Client()
    client.force_login(learner)
    with translation.override("fr"):
        url = reverse("assessments:overview", args=[course.slug])
    page = client.get(url).content.decode()
    assert "Tentatives autorisées" in page and "Note de réussite" in page
    assert "Commencer la tentative 1 sur 2" in page
    assert "Attempts allowed" not in page and "Start attempt" not in page


def test_the_question_bank_in_dutch(make_user):
    course = make_course(questions=0)
    bank.single(course)
    author = make_user(roles=[COURSE_AUTHOR])
    client = Client()
    client.force_login(author)
    with translation.override("nl"):
        url = reverse("assessments_studio:bank", args=[course.slug])
    page = client.get(url).content.decode()
    assert (
        "Vragenbank" in page and "1 vraag in gebruik" in page and "Een categorie toevoegen" in page
    )
    assert "Question bank" not in page and "Add a category" not in page
    # A question with a problem says so in Dutch, as a whole sentence.
    bank.question(course, "short")
    page = client.get(url).content.decode()
    assert "Deze vraag kan nog niet worden gebruikt: minstens één aanvaard antwoord nodig." in page


def test_the_marking_queue_says_its_status_in_the_tutors_language(make_user):
    import random

    course = make_course(questions=0)
    cat = bank.category(course)
    bank.essay(course, cat=cat)
    assessment = bank.assessment(course, {cat: 1})
    tutor = make_user(roles=["Tutor"])
    course.tutors.add(tutor)
    learner = make_user()
    enrolment_create(user=learner, course=course)
    attempt = attempt_start(user=learner, assessment=assessment, rng=random.Random(1))
    attempt_submit(attempt=attempt, actor=learner, answers=bank.right_answers(attempt))
    with translation.override("fr"):
        assert [item["status"] for item in marking_queue(actor=tutor)] == ["À corriger"]
    with translation.override("nl"):
        assert [item["status"] for item in marking_queue(actor=tutor)] == ["Te beoordelen"]
        url = reverse("assessments_studio:marking")
    client = Client()
    client.force_login(tutor)
    page = client.get(url).content.decode()
    assert "Te beoordelen of te modereren antwoorden" in page
    assert "Answers to mark or moderate" not in page
