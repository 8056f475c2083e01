"""The question bank in a real browser, with axe-core on every page and a 390-pixel phone check:
an author (never opening /admin/) builds a bank of 10 questions of five types including an
essay and sets the final assessment's random draw; a learner takes it and sees "pending
marking"; the course's tutor marks the essay in the marking queue; the learner has passed and
holds the certificate. Set LEARNWARD_SCREENSHOTS to a folder to keep 1280 and 390 px
screenshots of each page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import log_in, log_out

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("LEARNWARD_SCREENSHOTS", "")


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


def _look(page, name: str) -> None:
    """axe-core, no sideways scrolling at 390 px, and screenshots when asked for."""
    check_accessibility(page, label=name)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 720})
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}-1280.png", full_page=True)


def _log_out(page) -> None:
    log_out(page)  # the button is in the account menu
    page.wait_for_load_state()


# (kind, question, fields to fill: label -> value or ("check", label))
FACTS = [
    (
        "single",
        "Which law governs personal data in the UK?",
        {"Choices": "* UK GDPR\nHighway Code\nCompanies Act"},
    ),
    (
        "single",
        "Who must be told of a serious breach?",
        {"Choices": "* The ICO\nThe press\nNobody"},
    ),
    (
        "single",
        "What is a lawful basis?",
        {"Choices": "A password\n* A reason the law allows\nA form"},
    ),
    ("true_false", "Consent is the only lawful basis.", {"False": "check"}),
    ("true_false", "Health data is special category data.", {"True": "check"}),
    (
        "short",
        "What does ICO stand for?",
        {"Accepted answers": "Information Commissioner's Office\nInformation Commissioners Office"},
    ),
    (
        "short",
        "Which regulation is abbreviated GDPR (first word)?",
        {"Accepted answers": "General"},
    ),
    ("numeric", "How many hours to report a breach?", {"Right answer": "72", "Tolerance": "0"}),
    (
        "numeric",
        "What fraction of a day is 6 hours?",
        {"Right answer": "0.25", "Tolerance": "0.01"},
    ),
]
ESSAY = ("Explain data minimisation with an example.", "Defines it = 3\nGives an example = 2")


def _add_question(page, slug, category_id, kind, text, fields, *, look=False):
    page.goto(f"/studio/courses/{slug}/bank/questions/new/{kind}/?category={category_id}")
    page.get_by_label("Question", exact=True).fill(text)
    for label, value in fields.items():
        if value == "check":
            page.get_by_label(label, exact=True).check()
        else:
            page.get_by_label(label, exact=True).fill(value)
    if look:
        _look(page, f"question-{kind}")
    page.get_by_role("button", name="Save question").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Question saved.")).to_be_visible()


def test_author_builds_a_bank_learner_attempts_tutor_marks_the_essay(page, make_user):
    from learnward.assessments.models import Attempt, Question, QuestionCategory
    from learnward.certificates.models import Certificate
    from learnward.learning.services import enrolment_create, lesson_mark_complete
    from tests.catalog.factories import lessons_of, make_course

    course = make_course(
        title="Data protection basics",
        modules=1,
        lessons_per_module=1,
        questions=0,
        pass_mark=60,
        certificate_validity_months=12,
    )
    make_user(email="author@example.test", display_name="Ada Author", roles=["Course author"])
    tutor = make_user(email="tutor@example.test", display_name="Tess Tutor", roles=["Tutor"])
    course.tutors.add(tutor)
    learner = make_user(email="lee@example.test", display_name="Lee Learner")

    # The author builds the bank.
    log_in(page, "author@example.test")
    page.goto(f"/studio/courses/{course.slug}/bank/")
    _look(page, "bank-empty")
    for name in ("Facts", "Written"):
        page.get_by_label("Category name").fill(name)
        page.get_by_role("button", name="Add category").click()
        expect(page.get_by_text(f"Category “{name}” added.")).to_be_visible()
    page.get_by_role("button", name="Add category").click()  # an empty name
    expect(page.get_by_role("alert")).to_contain_text("Give the category a name.")
    assert QuestionCategory.objects.filter(course=course).count() == 2
    facts = QuestionCategory.objects.get(course=course, name="Facts")
    written = QuestionCategory.objects.get(course=course, name="Written")

    # A single choice question with no right answer marked is refused, with nothing stored.
    page.goto(f"/studio/courses/{course.slug}/bank/questions/new/single/?category={facts.pk}")
    page.get_by_label("Question", exact=True).fill("Broken?")
    page.get_by_label("Choices", exact=True).fill("One\nTwo")
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_role("alert")).to_contain_text("Mark exactly one choice as right")
    _look(page, "question-error")
    assert not Question.objects.exists()

    seen = set()
    for kind, text, fields in FACTS:
        _add_question(page, course.slug, facts.pk, kind, text, fields, look=kind not in seen)
        seen.add(kind)
    _add_question(page, course.slug, written.pk, "essay", ESSAY[0], {"Rubric": ESSAY[1]}, look=True)
    assert Question.objects.filter(course=course).count() == 10
    assert set(Question.objects.values_list("kind", flat=True)) == {
        "single",
        "true_false",
        "short",
        "numeric",
        "essay",
    }
    essay = Question.objects.get(kind="essay")
    assert essay.points == 5
    page.goto(f"/studio/courses/{course.slug}/bank/")
    _look(page, "bank")

    # The final assessment: 4 facts and the essay, shuffled.
    page.get_by_role("link", name="Assessment and quizzes").first.click()
    page.get_by_label("Title").fill("Final assessment")
    page.get_by_label("Facts (of 9 in use)").fill("4")
    page.get_by_label("Written (of 1 in use)").fill("1")
    page.get_by_label("Shuffle the order of questions for each attempt").check()
    page.get_by_label("Shuffle the order of choices for each attempt").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved. New attempts use these settings.")).to_be_visible()
    _look(page, "assessment")
    page.get_by_role("link", name="Question analytics").first.click()
    _look(page, "analytics")
    _log_out(page)

    # The learner has done the lessons, and takes the assessment.
    enrolment_create(user=learner, course=course)
    for lesson in lessons_of(course):
        lesson_mark_complete(user=learner, lesson=lesson)
    log_in(page, "lee@example.test")
    page.goto(f"/courses/{course.slug}/assessment/")
    page.get_by_role("button", name="Start attempt 1 of 3").click()
    page.wait_for_load_state()
    _look(page, "attempt")
    attempt = Attempt.objects.get(user=learner)
    drawn = [Question.objects.get(pk=item["question"]) for item in attempt.draw]
    assert sum(q.category_id == facts.pk for q in drawn) == 4
    assert sum(q.category_id == written.pk for q in drawn) == 1
    for question in drawn:
        box = page.locator(f"#question-{question.pk}")
        if question.kind in ("single", "true_false"):
            box.get_by_label(question.choices.get(is_correct=True).text, exact=True).check()
        elif question.kind == "short":
            box.get_by_label("Your answer").fill(question.choices.first().text.upper())
        elif question.kind == "numeric":
            box.get_by_label("Your answer (a number)").fill(str(question.numeric_answer))
        else:
            box.get_by_label("Your answer").fill(
                "Keep only the data you need: no date of birth for a newsletter."
            )
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Pending marking")).to_be_visible()
    _look(page, "result-pending")
    assert not Certificate.objects.filter(user=learner).exists()
    _log_out(page)

    # The tutor marks the essay in the queue.
    log_in(page, "tutor@example.test")
    page.goto("/tutor/marking/")
    _look(page, "marking-queue")
    page.get_by_role("link", name="Lee Learner").click()
    page.wait_for_load_state()
    _look(page, "marking-answer")
    page.get_by_label("Defines it (0 to 3)").fill("3")
    page.get_by_label("Gives an example (0 to 2)").fill("1")
    page.get_by_label("Feedback for the learner").fill("A clear definition; name the principle.")
    page.get_by_role("button", name="Save marks and feedback").click()
    expect(page.get_by_text("Marks and feedback saved.")).to_be_visible()
    expect(page.get_by_text("Nothing to mark. Well done.")).to_be_visible()
    _log_out(page)

    attempt.refresh_from_db()
    assert attempt.passed is True and attempt.marking_pending is False
    assert Certificate.objects.filter(user=learner).count() == 1
    log_in(page, "lee@example.test")
    page.goto(f"/attempts/{attempt.pk}/result/")
    expect(page.get_by_text("You passed with")).to_be_visible()
    expect(page.get_by_text("A clear definition; name the principle.")).to_be_visible()
    _look(page, "result-marked")
