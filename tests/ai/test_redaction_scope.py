"""Redaction covers the learner's own text and nothing else, by whole words.

A demo learner is called "Learner Two": redacting every "learner" and "two" in what is sent turned
the system prompt and the course passages into "A [NAME] who enrols...". The system prompt and
the course content are the platform's words and go unchanged; the learner's question is
minimised, matching the whole name, or a part of it of at least three letters, as a whole word.
"""

import unicodedata
from decimal import Decimal

import pytest
from django.urls import reverse

from learnward.ai.models import AiCall
from learnward.ai.redaction import MIN_NAME_PART, redact
from learnward.ai.services import ANSWER_SYSTEM, PROMPTS_SYSTEM, reflection_prompts_tailored

PASSAGE = (
    "A learner who enrols on this course has two weeks to finish the induction. "
    "Learners who need more time ask their tutor."
)


@pytest.fixture
def two_course(db):
    from learnward.catalog.models import Course, Lesson, Module

    course = Course.objects.create(
        title="Learner induction in two weeks",
        slug="learner-induction",
        summary="Induction.",
        cpd_hours=Decimal("1.0"),
        published=True,
    )
    module = Module.objects.create(course=course, title="Starting out", position=0)
    Lesson.objects.create(
        module=module, title="How long the induction takes", position=0, body_markdown=PASSAGE
    )
    return course


@pytest.fixture
def learner_two(make_user, two_course, fake_llm, ai_processor):
    from learnward.ai.selectors import ai_status
    from learnward.ai.services import ai_opt_in
    from learnward.learning.services import enrolment_create

    user = make_user(email="learner.two@example.org", display_name="Learner Two")
    enrolment_create(user=user, course=two_course)
    ai_opt_in(user=user, version=ai_status(user=user).version)
    return user


def test_system_prompt_and_course_passages_go_unchanged_and_the_question_is_redacted(
    client, learner_two, two_course, fake_llm
):
    client.force_login(learner_two)
    question = "I am Learner Two. How long does the induction take for a learner who enrols?"
    response = client.post(reverse("ai:ask", args=[two_course.slug]), {"question": question})
    assert response.status_code == 200
    (request,) = fake_llm.requests
    system, prompt = (message["content"] for message in request.messages)
    assert system == ANSWER_SYSTEM.format(
        title="Learner induction in two weeks", language="British English"
    )
    assert system.endswith("Write your answer in British English.")
    assert "You help a learner with" in system
    # The passage, exactly as the course has it.
    assert "A learner who enrols on this course has two weeks to finish the induction." in prompt
    assert "Learners who need more time ask their tutor." in prompt
    # The learner's own words: their name is gone, as whole words only ("Learners" stays).
    question_line = prompt.splitlines()[-1]
    assert question_line == (
        "Question: I am [NAME]. How long does the induction take for a [NAME] who enrols?"
    )
    assert prompt.count("[NAME]") == 2
    call = AiCall.objects.get()
    assert call.redactions == 2
    assert call.sent_text == f"{system}\n\n{prompt}"


def test_reflection_prompts_send_the_course_headings_unchanged(learner_two, fake_llm):
    reflection_prompts_tailored(
        user=learner_two,
        course_title="Learner induction in two weeks",
        outline=["Two things a learner does first"],
    )
    (request,) = fake_llm.requests
    system, prompt = (message["content"] for message in request.messages)
    assert system == PROMPTS_SYSTEM.format(language="British English")
    assert prompt == (
        "Course: Learner induction in two weeks\nContents:\n- Two things a learner does first"
    )
    assert AiCall.objects.get().redactions == 0


def test_the_learners_own_name_is_redacted_whole_and_by_parts(make_user):
    user = make_user(display_name="Learner Two")
    assert redact("I am Learner Two", user=user).text == "I am [NAME]"
    assert redact("i am learner two", user=user).text == "i am [NAME]"
    assert redact("Learner here; Two there", user=user).text == "[NAME] here; [NAME] there"
    # Whole words only: longer words that contain a part are not touched.
    assert redact("Learners twofold network", user=user).text == "Learners twofold network"


def test_the_threshold_is_three_letters(make_user):
    """A part of three letters is redacted on its own; a part of two is not ("Al" would take
    too much), though the whole name always is, and a part never inside a longer word."""
    assert MIN_NAME_PART == 3
    user = make_user(display_name="Al Two")
    assert redact("Two asked", user=user).text == "[NAME] asked"
    assert redact("Al asked, and also Alan", user=user).text == "Al asked, and also Alan"
    assert redact("I am Al Two, also known as Al", user=user).text == (
        "I am [NAME], also known as Al"
    )


def test_word_boundaries_hold_for_letters_outside_ascii(make_user):
    user = make_user(display_name="Ren Søndergård")
    # "é" is a letter: "Ren" is not a word inside "Renée" (an ASCII-only boundary would say it is).
    assert redact("Renée met Ren", user=user).text == "Renée met [NAME]"
    assert redact("SØNDERGÅRD signed", user=user).text == "[NAME] signed"
    assert redact("Søndergårds hus", user=user).text == "Søndergårds hus"


def test_a_name_typed_with_combining_accents_is_still_found(make_user):
    user = make_user(display_name="Zoë Müller")
    typed = unicodedata.normalize("NFD", "Hello, I am Zoë Müller and Zoë is fine")
    assert typed != unicodedata.normalize("NFC", typed)
    assert redact(typed, user=user).text == "Hello, I am [NAME] and [NAME] is fine"
