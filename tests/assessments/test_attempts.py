"""Attempts: the rules enforced on the server, and every bad input refused with nothing stored."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from learnward.assessments.models import Answer, Assessment, Attempt, Question
from learnward.assessments.services import AssessmentError, attempt_start, attempt_submit
from learnward.learning.models import Completion
from learnward.learning.services import enrolment_create, lesson_mark_complete
from tests.catalog.factories import add_question, answers_for, lessons_of, make_course, post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(make_user):
    return make_user()


@pytest.fixture
def course(learner):
    course = make_course(questions=3, max_attempts=2)
    enrolment_create(user=learner, course=course)
    return course


def _attempt_url(attempt):
    return reverse("assessments:attempt", args=[attempt.pk])


def _start(client, course):
    response = client.post(reverse("assessments:start", args=[course.slug]))
    assert response.status_code == 302, response
    return Attempt.objects.order_by("-pk").first()


def _nothing_stored(attempt):
    attempt.refresh_from_db()
    return (
        attempt.submitted_at is None
        and attempt.score is None
        and not Answer.objects.filter(attempt=attempt).exists()
    )


def test_the_attempt_page_has_a_fieldset_and_legend_per_question(client, learner, course):
    client.force_login(learner)
    attempt = _start(client, course)
    text = client.get(_attempt_url(attempt)).text
    # One per question (the footer's language switcher has a fieldset of its own).
    assert text.count('<fieldset id="question-') == 3
    assert text.count("<legend>Question") == 3
    assert 'type="radio"' in text


def test_passing_attempt_stores_answers_score_and_times(client, learner, course):
    client.force_login(learner)
    attempt = _start(client, course)
    response = client.post(_attempt_url(attempt), post_data(answers_for(course)))
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.passed is True and attempt.score == 100
    assert attempt.started_at <= attempt.submitted_at
    assert Answer.objects.filter(attempt=attempt, correct=True).count() == 3
    assert all(a.choices.count() == 1 for a in Answer.objects.filter(attempt=attempt))
    result = client.get(response["Location"]).text
    assert "You passed with 100%" in result
    assert "Question 1" in result and "Correct" in result


def test_failing_attempt_shows_score_and_per_question_feedback(client, learner, course):
    client.force_login(learner)
    attempt = _start(client, course)
    client.post(_attempt_url(attempt), post_data(answers_for(course, right=False)))
    attempt.refresh_from_db()
    assert attempt.passed is False and attempt.score == 0
    result = client.get(reverse("assessments:result", args=[attempt.pk])).text
    assert "You did not pass" in result and "the pass mark is 70%" in result
    assert result.count("Incorrect") == 3
    assert "1 attempt left" in result
    # The right answers are held back while another attempt could use them.
    assert "Right answer:" not in result


def test_pass_mark_compares_exactly(learner):
    course = make_course(questions=3, pass_mark=67)
    enrolment_create(user=learner, course=course)
    attempt = attempt_start(user=learner, assessment=course.assessment)
    answers = answers_for(course)
    wrong = answers_for(course, right=False)
    first = next(iter(answers))
    answers[first] = wrong[first]
    attempt_submit(attempt=attempt, actor=learner, answers=answers)
    attempt.refresh_from_db()
    # 2 of 3 is 66.67%: below 67.
    assert attempt.score == Decimal("66.67") and attempt.passed is False


# --- Bad input: a clear message, the right status, nothing stored ---------------------------


def test_tampered_choice_id_is_refused(client, learner, course):
    client.force_login(learner)
    attempt = _start(client, course)
    data = post_data(answers_for(course))
    first = next(iter(data))
    for tampered in (["999999"], ["not-a-number"], ["1 OR 1=1"]):
        data[first] = tampered
        response = client.post(_attempt_url(attempt), data)
        assert response.status_code == 400
        assert "not one of the options offered" in response.text
        assert _nothing_stored(attempt)


def test_choice_from_another_question_is_refused(client, learner, course):
    client.force_login(learner)
    attempt = _start(client, course)
    answers = answers_for(course)
    q1, q2 = list(answers)[:2]
    answers[q1] = answers[q2]
    response = client.post(_attempt_url(attempt), post_data(answers))
    assert response.status_code == 400
    assert "belongs to a different question" in response.text
    assert _nothing_stored(attempt)


def test_choice_from_another_assessment_is_refused(client, learner, course):
    other = make_course(questions=1)
    client.force_login(learner)
    attempt = _start(client, course)
    answers = answers_for(course)
    answers[next(iter(answers))] = next(iter(answers_for(other).values()))
    response = client.post(_attempt_url(attempt), post_data(answers))
    assert response.status_code == 400
    assert _nothing_stored(attempt)


def test_question_from_another_assessment_is_refused(client, learner, course):
    other = make_course(questions=1)
    client.force_login(learner)
    attempt = _start(client, course)
    data = post_data({**answers_for(course), **answers_for(other)})
    response = client.post(_attempt_url(attempt), data)
    assert response.status_code == 400
    assert "do not match this assessment" in response.text
    assert _nothing_stored(attempt)


def test_two_answers_to_a_single_choice_question_are_refused(client, learner, course):
    client.force_login(learner)
    attempt = _start(client, course)
    answers = answers_for(course)
    first = next(iter(answers))
    question = Question.objects.get(pk=first)
    answers[first] = [str(c.pk) for c in question.choices.all()]
    response = client.post(_attempt_url(attempt), post_data(answers))
    assert response.status_code == 400
    assert "choose only one answer" in response.text
    assert _nothing_stored(attempt)


def test_unanswered_question_is_refused(client, learner, course):
    client.force_login(learner)
    attempt = _start(client, course)
    answers = answers_for(course)
    answers.pop(next(iter(answers)))
    response = client.post(_attempt_url(attempt), post_data(answers))
    assert response.status_code == 400
    assert "Question 1: choose an answer" in response.text
    # What the learner did choose is kept on the page for them to finish.
    assert response.text.count(" checked") == 2
    assert _nothing_stored(attempt)


def test_second_submission_of_a_submitted_attempt_is_refused(client, learner, course):
    client.force_login(learner)
    attempt = _start(client, course)
    client.post(_attempt_url(attempt), post_data(answers_for(course, right=False)))
    attempt.refresh_from_db()
    before = (attempt.submitted_at, attempt.score, attempt.passed)
    answers_before = list(Answer.objects.filter(attempt=attempt).values_list("pk", "correct"))
    response = client.post(_attempt_url(attempt), post_data(answers_for(course)))
    assert response.status_code == 409
    assert "already submitted" in response.text
    attempt.refresh_from_db()
    assert (attempt.submitted_at, attempt.score, attempt.passed) == before
    assert list(Answer.objects.filter(attempt=attempt).values_list("pk", "correct")) == (
        answers_before
    )
    assert not Completion.objects.exists()


def test_attempt_beyond_the_maximum_is_refused(client, learner, course):
    client.force_login(learner)
    for _ in range(course.max_attempts):
        attempt = _start(client, course)
        client.post(_attempt_url(attempt), post_data(answers_for(course, right=False)))
    response = client.post(reverse("assessments:start", args=[course.slug]))
    assert response.status_code == 409
    assert f"used all {course.max_attempts} attempts" in response.text
    assert Attempt.objects.filter(user=learner).count() == course.max_attempts
    with pytest.raises(AssessmentError):
        attempt_start(user=learner, assessment=course.assessment)
    assert Attempt.objects.filter(user=learner).count() == course.max_attempts


def test_starting_while_an_attempt_is_open_returns_the_open_one(learner, course):
    first = attempt_start(user=learner, assessment=course.assessment)
    again = attempt_start(user=learner, assessment=course.assessment)
    assert first.pk == again.pk and Attempt.objects.count() == 1


def test_no_new_attempt_after_passing(learner, course):
    attempt = attempt_start(user=learner, assessment=course.assessment)
    attempt_submit(attempt=attempt, actor=learner, answers=answers_for(course))
    with pytest.raises(AssessmentError, match="already passed"):
        attempt_start(user=learner, assessment=course.assessment)


def test_answers_after_the_time_limit_are_refused_and_the_attempt_closed(client, learner):
    course = make_course(questions=2, time_limit_minutes=10)
    enrolment_create(user=learner, course=course)
    client.force_login(learner)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt = _start(client, course)
        page = client.get(_attempt_url(attempt)).text
        assert "Submit by" in page
    assert attempt.deadline == start + timedelta(minutes=10)
    with time_machine.travel(start + timedelta(minutes=11), tick=False):
        response = client.post(_attempt_url(attempt), post_data(answers_for(course)))
    assert response.status_code == 409
    assert "time limit for this attempt ran out" in response.text
    attempt.refresh_from_db()
    # Documented: late answers are not stored or graded; the attempt closes at its deadline,
    # scores 0 and counts. Time is never extended.
    assert attempt.timed_out is True
    assert attempt.submitted_at == attempt.deadline
    assert attempt.score == 0 and attempt.passed is False
    assert not Answer.objects.filter(attempt=attempt).exists()
    assert not Completion.objects.exists()
    result = client.get(reverse("assessments:result", args=[attempt.pk])).text
    assert "Time ran out" in result


def test_answers_within_the_grace_period_are_accepted(learner):
    course = make_course(questions=1, time_limit_minutes=5)
    enrolment_create(user=learner, course=course)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt = attempt_start(user=learner, assessment=course.assessment)
    with time_machine.travel(start + timedelta(minutes=5, seconds=20), tick=False):
        attempt_submit(attempt=attempt, actor=learner, answers=answers_for(course))
    attempt.refresh_from_db()
    assert attempt.passed is True and not attempt.timed_out


def test_an_overdue_attempt_is_closed_when_the_learner_comes_back(client, learner):
    course = make_course(questions=1, time_limit_minutes=5, max_attempts=2)
    enrolment_create(user=learner, course=course)
    client.force_login(learner)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = _start(client, course)
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        second = _start(client, course)
    first.refresh_from_db()
    assert first.timed_out and second.pk != first.pk and second.number == 2


def test_another_learners_attempt_is_404(client, learner, course, make_user):
    attempt = attempt_start(user=learner, assessment=course.assessment)
    intruder = make_user()
    enrolment_create(user=intruder, course=course)
    client.force_login(intruder)
    assert client.get(_attempt_url(attempt)).status_code == 404
    response = client.post(_attempt_url(attempt), post_data(answers_for(course)))
    assert response.status_code == 404
    assert _nothing_stored(attempt)
    attempt_submit(attempt=attempt, actor=learner, answers=answers_for(course, right=False))
    assert client.get(reverse("assessments:result", args=[attempt.pk])).status_code == 404
    with pytest.raises(AssessmentError):
        attempt_submit(attempt=attempt, actor=intruder, answers=answers_for(course))


def test_assessment_needs_an_enrolment(client, make_user, course):
    stranger = make_user()
    client.force_login(stranger)
    response = client.post(reverse("assessments:start", args=[course.slug]))
    assert response.status_code == 409
    assert "Enrol on the course" in response.text
    assert not Attempt.objects.filter(user=stranger).exists()


def test_an_assessment_with_a_broken_question_cannot_be_started(learner):
    course = make_course(questions=0)
    enrolment_create(user=learner, course=course)
    assessment = Assessment.objects.create(course=course)
    add_question(assessment, choices=(("Only", False),))
    with pytest.raises(AssessmentError, match="being prepared"):
        attempt_start(user=learner, assessment=assessment)
    assert not Attempt.objects.exists()


def test_passing_after_all_lessons_completes_the_course_once(client, learner, course):
    for lesson in lessons_of(course):
        lesson_mark_complete(user=learner, lesson=lesson)
    client.force_login(learner)
    attempt = _start(client, course)
    client.post(_attempt_url(attempt), post_data(answers_for(course)))
    completion = Completion.objects.get()
    assert completion.enrolment.user == learner
    result = client.get(reverse("assessments:result", args=[attempt.pk])).text
    assert "You have completed" in result
    assert "Right answer:" in result  # revealed once passed


def test_passing_before_the_last_lesson_completes_on_that_lesson(learner, course):
    attempt = attempt_start(user=learner, assessment=course.assessment)
    attempt_submit(attempt=attempt, actor=learner, answers=answers_for(course))
    assert not Completion.objects.exists()
    lessons = lessons_of(course)
    for lesson in lessons[:-1]:
        assert lesson_mark_complete(user=learner, lesson=lesson) is None
    assert lesson_mark_complete(user=learner, lesson=lessons[-1]) is not None
    assert Completion.objects.count() == 1
