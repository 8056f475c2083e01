"""The exact rules of an attempt: the time limit's grace to the microsecond, what a timed-out
attempt records, the audit trail of each step, the messages a learner is shown and the rounding
of points and scores."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learnward.assessments.models import Answer, Assessment, Attempt, Question
from learnward.assessments.services import (
    TIME_LIMIT_GRACE,
    AssessmentError,
    attempt_start,
    attempt_submit,
    attempts_close_overdue,
    grade_question,
)
from learnward.audit.models import AuditEntry
from learnward.learning.models import Completion
from learnward.learning.services import enrolment_create, lesson_mark_complete
from tests.catalog.factories import add_question, answers_for, lessons_of, make_course

pytestmark = pytest.mark.django_db

MICROSECOND = timedelta(microseconds=1)


@pytest.fixture
def learner(make_user):
    return make_user()


def _timed(learner, *, questions=2, max_attempts=3):
    course = make_course(questions=questions, time_limit_minutes=10, max_attempts=max_attempts)
    enrolment_create(user=learner, course=course)
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        attempt = attempt_start(user=learner, assessment=course.assessment)
    return course, attempt, start + timedelta(minutes=10)


# --- the time limit --------------------------------------------------------------------------


def test_the_grace_is_thirty_seconds():
    assert timedelta(seconds=30) == TIME_LIMIT_GRACE


def test_answers_arriving_exactly_at_the_end_of_the_grace_are_accepted(learner):
    course, attempt, deadline = _timed(learner)
    with time_machine.travel(deadline + timedelta(seconds=30), tick=False):
        attempt_submit(attempt=attempt, actor=learner, answers=answers_for(course))
    attempt.refresh_from_db()
    assert attempt.passed is True
    assert attempt.timed_out is False
    assert attempt.submitted_at == deadline + timedelta(seconds=30)


def test_answers_a_microsecond_after_the_grace_are_refused(learner):
    course, attempt, deadline = _timed(learner)
    late_at = deadline + timedelta(seconds=30) + MICROSECOND
    with time_machine.travel(late_at, tick=False), pytest.raises(AssessmentError) as refused:
        attempt_submit(attempt=attempt, actor=learner, answers=answers_for(course))
    local = timezone.localtime(deadline)
    assert refused.value.code == "conflict"
    assert refused.value.message == (
        f"The time limit for this attempt ran out at {local:%H:%M}, before your answers "
        "arrived. Answers sent after the time limit are not accepted: this attempt is closed "
        "with a score of 0 and counts as one of your attempts."
    )
    assert str(refused.value) == refused.value.message
    assert refused.value.question_errors == {}


def test_answers_hours_late_are_told_the_time_the_limit_ran_out_not_the_time_now(learner):
    course, attempt, deadline = _timed(learner)
    with time_machine.travel(deadline + timedelta(hours=2, minutes=17), tick=False):
        with pytest.raises(AssessmentError) as refused:
            attempt_submit(attempt=attempt, actor=learner, answers=answers_for(course))
    local = timezone.localtime(deadline)
    assert refused.value.message.startswith(
        f"The time limit for this attempt ran out at {local:%H:%M}, before your answers arrived."
    )


def test_a_timed_out_attempt_records_a_zero_score_at_its_deadline(learner):
    course, attempt, deadline = _timed(learner, questions=3)
    Question.objects.filter(course=course).update(points=2)
    with time_machine.travel(deadline + timedelta(minutes=5), tick=False):
        with pytest.raises(AssessmentError):
            attempt_submit(attempt=attempt, actor=learner, answers=answers_for(course))
    attempt.refresh_from_db()
    assert attempt.submitted_at == deadline
    assert attempt.timed_out is True
    assert attempt.points_awarded == Decimal(0)
    # Points possible are the drawn questions' points (3 questions of 2 points), not a count.
    assert attempt.points_possible == 6
    assert attempt.score == Decimal(0)
    assert attempt.passed is False
    entry = AuditEntry.objects.get(action="assessments.attempt_timed_out")
    assert entry.actor_id is None
    assert entry.subject_id == learner.pk
    assert entry.target_id == str(attempt.pk)
    assert entry.payload == {"assessment_id": course.assessment.pk, "number": 1}


def test_an_open_attempt_within_the_grace_is_not_closed_by_coming_back(learner):
    course, attempt, deadline = _timed(learner)
    with time_machine.travel(deadline + timedelta(seconds=30), tick=False):
        assert attempts_close_overdue(user=learner, assessment=course.assessment) == 0
        assert attempt_start(user=learner, assessment=course.assessment).pk == attempt.pk
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.timed_out is False


def test_an_attempt_past_the_grace_is_closed_and_counted(learner):
    course, attempt, deadline = _timed(learner)
    with time_machine.travel(deadline + timedelta(seconds=30) + MICROSECOND, tick=False):
        assert attempts_close_overdue(user=learner, assessment=course.assessment) == 1
        assert attempts_close_overdue(user=learner, assessment=course.assessment) == 0
    attempt.refresh_from_db()
    assert attempt.timed_out is True and attempt.submitted_at == deadline


def test_closing_overdue_attempts_leaves_other_learners_and_assessments_alone(learner, make_user):
    course, attempt, deadline = _timed(learner)
    other = make_user()
    enrolment_create(user=other, course=course)
    start = deadline - timedelta(minutes=10)
    with time_machine.travel(start, tick=False):
        others = attempt_start(user=other, assessment=course.assessment)
    other_course, other_attempt, _ = _timed(learner)
    with time_machine.travel(deadline + timedelta(hours=1), tick=False):
        assert attempts_close_overdue(user=learner, assessment=course.assessment) == 1
    for untouched in (others, other_attempt):
        untouched.refresh_from_db()
        assert untouched.submitted_at is None


def test_an_untimed_attempt_has_no_deadline_and_is_never_late(learner):
    course = make_course(questions=1)
    enrolment_create(user=learner, course=course)
    attempt = attempt_start(user=learner, assessment=course.assessment)
    assert attempt.deadline is None
    with time_machine.travel(timezone.now() + timedelta(days=30), tick=False):
        attempt_submit(attempt=attempt, actor=learner, answers=answers_for(course))
    attempt.refresh_from_db()
    assert attempt.passed is True


# --- starting --------------------------------------------------------------------------------


def test_starting_records_the_attempt_and_audits_it(learner):
    course = make_course(questions=1, time_limit_minutes=15)
    enrolment_create(user=learner, course=course)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        attempt = attempt_start(user=learner, assessment=course.assessment)
    attempt.refresh_from_db()
    assert attempt.user == learner
    assert attempt.assessment == course.assessment
    assert attempt.cycle == 1
    assert attempt.number == 1
    assert attempt.started_at == now
    assert attempt.deadline == now + timedelta(minutes=15)
    entry = AuditEntry.objects.get(action="assessments.attempt_started")
    assert entry.actor_id == learner.pk
    assert entry.subject_id == learner.pk
    assert entry.target_id == str(attempt.pk)
    assert entry.payload == {"assessment_id": course.assessment.pk, "number": 1}


def test_the_refusals_to_start_say_why(learner, make_user):
    course = make_course(questions=1, max_attempts=1)
    with pytest.raises(AssessmentError) as refused:
        attempt_start(user=learner, assessment=course.assessment)
    assert (refused.value.message, refused.value.code) == (
        "Enrol on the course to take its assessment.",
        "conflict",
    )
    enrolment_create(user=learner, course=course)
    attempt = attempt_start(user=learner, assessment=course.assessment)
    attempt_submit(attempt=attempt, actor=learner, answers=answers_for(course, right=False))
    with pytest.raises(AssessmentError) as refused:
        attempt_start(user=learner, assessment=course.assessment)
    assert (refused.value.message, refused.value.code) == (
        "You have used all 1 attempts allowed for this assessment. "
        "Contact us if you think you need another.",
        "conflict",
    )
    passer = make_user()
    enrolment_create(user=passer, course=course)
    attempt = attempt_start(user=passer, assessment=course.assessment)
    attempt_submit(attempt=attempt, actor=passer, answers=answers_for(course))
    with pytest.raises(AssessmentError) as refused:
        attempt_start(user=passer, assessment=course.assessment)
    assert (refused.value.message, refused.value.code) == (
        "You have already passed this assessment.",
        "conflict",
    )


def test_an_unfinished_assessment_cannot_be_started_and_says_so(learner):
    course = make_course(questions=0)
    enrolment_create(user=learner, course=course)
    assessment = Assessment.objects.create(course=course)
    add_question(assessment, choices=(("Only", False),))
    with pytest.raises(AssessmentError) as refused:
        attempt_start(user=learner, assessment=assessment)
    assert (refused.value.message, refused.value.code) == (
        "This assessment is being prepared and cannot be taken yet. Please try again later.",
        "conflict",
    )


def test_an_enrolment_on_another_course_does_not_let_a_learner_start(learner):
    enrolled, other = make_course(questions=1), make_course(questions=1)
    enrolment_create(user=learner, course=enrolled)
    with pytest.raises(AssessmentError) as refused:
        attempt_start(user=learner, assessment=other.assessment)
    assert refused.value.message == "Enrol on the course to take its assessment."
    assert not Attempt.objects.exists()


def test_a_learner_who_left_the_course_cannot_start(learner):
    from learnward.learning.services import enrolment_leave

    course = make_course(questions=1)
    enrolment_create(user=learner, course=course)
    enrolment_leave(user=learner, course=course)
    with pytest.raises(AssessmentError, match="Enrol on the course"):
        attempt_start(user=learner, assessment=course.assessment)
    assert not Attempt.objects.exists()


# --- submitting ------------------------------------------------------------------------------


def test_submitting_stores_each_answer_the_score_and_audits_it(learner):
    course = make_course(questions=0, pass_mark=50)
    enrolment_create(user=learner, course=course)
    assessment = Assessment.objects.create(course=course)
    single = add_question(assessment, text="One?", points=3, position=0)
    many = add_question(
        assessment,
        text="Many?",
        kind=Question.Kind.MULTIPLE,
        points=2,
        position=1,
        choices=(("A", True), ("B", True), ("C", False)),
    )
    attempt = attempt_start(user=learner, assessment=assessment)
    right_single = single.choices.get(is_correct=True)
    picked_many = list(many.choices.filter(text__in=["A", "C"]).order_by("-pk"))
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        result = attempt_submit(
            attempt=attempt,
            actor=learner,
            answers={
                str(single.pk): [str(right_single.pk)],
                str(many.pk): [str(c.pk) for c in picked_many],
            },
        )
    assert result.pk == attempt.pk
    attempt.refresh_from_db()
    assert attempt.submitted_at == now
    assert attempt.points_awarded == Decimal(3)
    assert attempt.points_possible == 5
    assert attempt.score == Decimal("60.00")
    assert attempt.passed is True
    answers = {a.question_id: a for a in Answer.objects.filter(attempt=attempt)}
    assert answers[single.pk].correct is True
    assert answers[single.pk].points_awarded == Decimal(3)
    assert set(answers[single.pk].choices.all()) == {right_single}
    assert answers[many.pk].correct is False
    assert answers[many.pk].points_awarded == Decimal(0)
    assert set(answers[many.pk].choices.all()) == set(picked_many)
    entry = AuditEntry.objects.get(action="assessments.attempt_submitted")
    assert entry.actor_id == learner.pk
    assert entry.subject_id == learner.pk
    assert entry.target_id == str(attempt.pk)
    assert entry.payload == {"assessment_id": assessment.pk, "passed": True}


def test_a_failed_attempt_is_audited_as_not_passed_and_completes_nothing(learner):
    course = make_course(questions=2, modules=1, lessons_per_module=1)
    enrolment_create(user=learner, course=course)
    for lesson in lessons_of(course):
        lesson_mark_complete(user=learner, lesson=lesson)
    attempt = attempt_start(user=learner, assessment=course.assessment)
    attempt_submit(attempt=attempt, actor=learner, answers=answers_for(course, right=False))
    entry = AuditEntry.objects.get(action="assessments.attempt_submitted")
    assert entry.payload == {"assessment_id": course.assessment.pk, "passed": False}
    assert not Completion.objects.exists()


def test_the_score_rounds_half_up_to_the_cent(learner):
    """0.25 of 8 points is 3.125%: shown as 3.13, not 3.12."""
    course = make_course(questions=0, pass_mark=3)
    enrolment_create(user=learner, course=course)
    assessment = Assessment.objects.create(course=course)
    quarter = add_question(
        assessment,
        text="Quarter?",
        kind=Question.Kind.MULTIPLE,
        partial_credit=True,
        position=0,
        choices=(("A", True), ("B", True), ("C", True), ("D", True)),
    )
    wrong = add_question(assessment, text="Wrong?", points=7, position=1)
    attempt = attempt_start(user=learner, assessment=assessment)
    attempt_submit(
        attempt=attempt,
        actor=learner,
        answers={
            str(quarter.pk): [str(quarter.choices.get(text="A").pk)],
            str(wrong.pk): [str(wrong.choices.get(is_correct=False).pk)],
        },
    )
    attempt.refresh_from_db()
    assert attempt.points_awarded == Decimal("0.25")
    assert attempt.score == Decimal("3.13")
    assert attempt.passed is True  # 3.125% is above a 3% pass mark


def test_partial_credit_rounds_half_up_to_the_cent():
    course = make_course(questions=0)
    assessment = Assessment.objects.create(course=course)
    eighths = add_question(
        assessment,
        kind=Question.Kind.MULTIPLE,
        partial_credit=True,
        choices=tuple((f"R{i}", True) for i in range(8)) + (("W", False),),
    )
    one = {eighths.choices.get(text="R0").pk}
    assert grade_question(eighths, one) == (False, Decimal("0.13"))
    three = {c.pk for c in eighths.choices.filter(text__in=["R0", "R1", "R2"])}
    assert grade_question(eighths, three) == (False, Decimal("0.38"))


def test_more_wrong_than_right_choices_never_score_below_zero():
    course = make_course(questions=0)
    assessment = Assessment.objects.create(course=course)
    question = add_question(
        assessment,
        kind=Question.Kind.MULTIPLE,
        partial_credit=True,
        points=4,
        choices=(("A", True), ("B", True), ("C", False), ("D", False)),
    )
    picked = {c.pk for c in question.choices.filter(text__in=["A", "C", "D"])}
    assert grade_question(question, picked) == (False, Decimal("0.00"))


def test_partial_credit_on_a_question_without_right_choices_earns_nothing():
    course = make_course(questions=0)
    assessment = Assessment.objects.create(course=course)
    question = add_question(
        assessment,
        kind=Question.Kind.MULTIPLE,
        partial_credit=True,
        choices=(("A", False), ("B", False)),
    )
    assert grade_question(question, {question.choices.get(text="A").pk}) == (False, Decimal(0))


def test_partial_credit_applies_only_to_multiple_choice():
    course = make_course(questions=0)
    assessment = Assessment.objects.create(course=course)
    question = add_question(assessment, kind=Question.Kind.SINGLE, partial_credit=True, points=2)
    wrong = {question.choices.get(is_correct=False).pk}
    assert grade_question(question, wrong) == (False, Decimal(0))


def test_a_resubmission_is_refused_with_when_it_was_submitted(learner):
    course = make_course(questions=1)
    enrolment_create(user=learner, course=course)
    attempt = attempt_start(user=learner, assessment=course.assessment)
    submitted_at = timezone.now().replace(second=0, microsecond=0)
    with time_machine.travel(submitted_at, tick=False):
        attempt_submit(attempt=attempt, actor=learner, answers=answers_for(course, right=False))
    with pytest.raises(AssessmentError) as refused:
        attempt_submit(attempt=attempt, actor=learner, answers=answers_for(course))
    local = timezone.localtime(submitted_at)
    assert refused.value.code == "conflict"
    assert refused.value.message == (
        f"This attempt was already submitted on {local:%d %B %Y at %H:%M}; its answers cannot "
        "be changed. Nothing new was saved."
    )


def test_a_resubmission_days_later_still_says_when_it_was_submitted(learner):
    course = make_course(questions=1)
    enrolment_create(user=learner, course=course)
    attempt = attempt_start(user=learner, assessment=course.assessment)
    submitted_at = timezone.now().replace(second=0, microsecond=0)
    with time_machine.travel(submitted_at, tick=False):
        attempt_submit(attempt=attempt, actor=learner, answers=answers_for(course))
    with time_machine.travel(submitted_at + timedelta(days=3, hours=5), tick=False):
        with pytest.raises(AssessmentError) as refused:
            attempt_submit(attempt=attempt, actor=learner, answers=answers_for(course))
    local = timezone.localtime(submitted_at)
    assert refused.value.message.startswith(
        f"This attempt was already submitted on {local:%d %B %Y at %H:%M}; "
    )


def test_a_submission_reads_the_attempt_with_its_assessment_course_and_learner(learner):
    course = make_course(questions=2)
    enrolment_create(user=learner, course=course)
    attempt = attempt_start(user=learner, assessment=course.assessment)
    answers = answers_for(course, right=False)
    with CaptureQueriesContext(connection) as queries:
        attempt_submit(attempt=attempt, actor=learner, answers=answers)
    read = [
        q["sql"].split(" FROM ")[1].split()[0] for q in queries if q["sql"].startswith("SELECT")
    ]
    # Found, then locked: each time joined to the assessment, its course and the learner.
    assert read.count('"assessments_attempt"') == 2
    assert not {'"accounts_user"', '"assessments_assessment"', '"catalog_course"'} & set(read)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite locks the whole database")
def test_a_submission_locks_its_attempt_row_and_not_the_course_or_the_learner(learner):
    course = make_course(questions=1)
    enrolment_create(user=learner, course=course)
    attempt = attempt_start(user=learner, assessment=course.assessment)
    answers = answers_for(course)
    with CaptureQueriesContext(connection) as queries:
        attempt_submit(attempt=attempt, actor=learner, answers=answers)
    locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    attempt_locks = [sql for sql in locks if sql.startswith('SELECT "assessments_attempt"')]
    assert attempt_locks and all(
        sql.endswith('FOR UPDATE OF "assessments_attempt"') for sql in attempt_locks
    )


def test_someone_elses_attempt_does_not_exist_for_them(learner, make_user):
    course = make_course(questions=1)
    enrolment_create(user=learner, course=course)
    attempt = attempt_start(user=learner, assessment=course.assessment)
    for actor in (make_user(), None):
        with pytest.raises(AssessmentError) as refused:
            attempt_submit(attempt=attempt, actor=actor, answers=answers_for(course))
        assert (refused.value.message, refused.value.code) == (
            "That attempt does not exist.",
            "not_found",
        )


def test_submitting_after_leaving_the_course_is_refused(learner):
    from learnward.learning.services import enrolment_leave

    course = make_course(questions=1)
    enrolment_create(user=learner, course=course)
    attempt = attempt_start(user=learner, assessment=course.assessment)
    enrolment_leave(user=learner, course=course)
    with pytest.raises(AssessmentError, match="Enrol on the course to take its assessment."):
        attempt_submit(attempt=attempt, actor=learner, answers=answers_for(course))
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


# --- the answers sent ------------------------------------------------------------------------


@pytest.fixture
def three(learner):
    """An open attempt at three questions: single choice, multiple choice, true/false."""
    course = make_course(questions=0)
    enrolment_create(user=learner, course=course)
    assessment = Assessment.objects.create(course=course)
    questions = [
        add_question(assessment, text="Single?", position=0),
        add_question(
            assessment,
            text="Many?",
            kind=Question.Kind.MULTIPLE,
            position=1,
            choices=(("A", True), ("B", True), ("C", False)),
        ),
        add_question(
            assessment,
            text="True?",
            kind=Question.Kind.TRUE_FALSE,
            position=2,
            choices=(("True", True), ("False", False)),
        ),
    ]
    attempt = attempt_start(user=learner, assessment=assessment)
    return attempt, questions


def _right(question):
    return [str(c.pk) for c in question.choices.filter(is_correct=True)]


def _refusal(learner, attempt, answers):
    with pytest.raises(AssessmentError) as refused:
        attempt_submit(attempt=attempt, actor=learner, answers=answers)
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert not Answer.objects.filter(attempt=attempt).exists()
    return refused.value


def test_a_multiple_choice_question_takes_several_choices(learner, three):
    attempt, (single, many, tf) = three
    answers = {str(q.pk): _right(q) for q in (single, many, tf)}
    assert len(answers[str(many.pk)]) == 2
    attempt_submit(attempt=attempt, actor=learner, answers=answers)
    attempt.refresh_from_db()
    assert attempt.score == Decimal("100.00") and attempt.passed is True


@pytest.mark.parametrize("question_key", ["999999", "not-a-number", None])
def test_answers_to_questions_not_asked_are_refused(learner, three, question_key):
    attempt, questions = three
    answers = {str(q.pk): _right(q) for q in questions}
    answers[question_key] = ["1"]
    refused = _refusal(learner, attempt, answers)
    assert (refused.message, refused.code, refused.question_errors) == (
        "The answers sent do not match this assessment's questions. Nothing was saved; "
        "please answer the questions on this page.",
        "invalid",
        {},
    )


def test_every_problem_is_reported_against_its_question(learner, three, make_user):
    attempt, (single, many, tf) = three
    other = make_course(questions=1)
    foreign = Question.objects.get(course=other).choices.first()
    answers = {
        str(single.pk): [str(foreign.pk)],
        str(many.pk): [_right(single)[0]],
        str(tf.pk): _right(tf) + [str(tf.choices.get(is_correct=False).pk)],
    }
    refused = _refusal(learner, attempt, answers)
    assert refused.message == "Some answers need attention. Nothing was saved yet."
    assert refused.code == "invalid"
    assert refused.question_errors == {
        single.pk: "Question 1: the answer sent is not one of the options offered. Choose one "
        "of the options shown.",
        many.pk: "Question 2: the answer sent belongs to a different question. Choose one of "
        "this question's options.",
        tf.pk: "Question 3: choose only one answer.",
    }


def test_a_choice_that_is_not_a_number_is_not_one_of_the_options(learner, three):
    attempt, (single, many, tf) = three
    answers = {str(single.pk): ["abc"], str(many.pk): _right(many), str(tf.pk): _right(tf)}
    refused = _refusal(learner, attempt, answers)
    assert refused.question_errors == {
        single.pk: "Question 1: the answer sent is not one of the options offered. Choose one "
        "of the options shown."
    }


def test_a_bad_choice_is_reported_even_beside_a_good_one(learner, three):
    attempt, (single, many, tf) = three
    answers = {
        str(single.pk): _right(single),
        str(many.pk): [*_right(many), "abc"],
        str(tf.pk): _right(tf),
    }
    refused = _refusal(learner, attempt, answers)
    assert list(refused.question_errors) == [many.pk]


def test_unanswered_and_empty_answers_are_each_asked_for(learner, three):
    attempt, (single, many, tf) = three
    refused = _refusal(learner, attempt, {str(many.pk): []})
    assert refused.message == "Some answers need attention. Nothing was saved yet."
    assert refused.question_errors == {
        single.pk: "Question 1: choose an answer.",
        many.pk: "Question 2: choose an answer.",
        tf.pk: "Question 3: choose an answer.",
    }


def test_a_late_attempt_with_a_pass_does_not_complete_the_course(learner):
    course, attempt, deadline = _timed(learner)
    for lesson in lessons_of(course):
        lesson_mark_complete(user=learner, lesson=lesson)
    with time_machine.travel(deadline + timedelta(minutes=1), tick=False):
        with pytest.raises(AssessmentError):
            attempt_submit(attempt=attempt, actor=learner, answers=answers_for(course))
    assert not Completion.objects.exists()
    assert not AuditEntry.objects.filter(action="assessments.attempt_submitted").exists()


def test_a_pass_after_every_lesson_completes_the_course_in_the_same_submission(learner):
    course = make_course(questions=1, modules=1, lessons_per_module=1)
    enrolment = enrolment_create(user=learner, course=course)
    for lesson in lessons_of(course):
        lesson_mark_complete(user=learner, lesson=lesson)
    attempt = attempt_start(user=learner, assessment=course.assessment)
    attempt_submit(attempt=attempt, actor=learner, answers=answers_for(course))
    completion = Completion.objects.get()
    assert completion.enrolment == enrolment
    assert completion.cycle == 1
