"""Writes for assessments: starting an attempt, submitting it, closing it at its time limit.

Rules enforced here, on the server, whatever the page sent:

- an attempt needs an active enrolment; a learner has at most one open attempt, at most the
  course's ``max_attempts`` in all, and none once they have passed. "In all" and "passed" are
  per cycle of the enrolment: a renewal (a new cycle) starts again with the full number of
  attempts, and an earlier cycle's pass does not count;
- answers must name questions of this assessment and choices of those questions; a single-choice
  or true/false question takes one choice; every question needs an answer. Anything else is
  refused with a message and nothing is stored;
- a submitted attempt cannot be submitted again;
- a time-limited attempt must be submitted by its deadline (plus :data:`TIME_LIMIT_GRACE` for a
  slow connection). Answers that arrive later are refused and not stored: the attempt is closed
  at its deadline as timed out, scoring 0, and counts as one of the attempts allowed. The time is
  never extended.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core import events
from learnward.core.errors import ApplicationError

from .models import Answer, Assessment, Attempt, Question

TIME_LIMIT_GRACE = timedelta(seconds=30)
_CENT = Decimal("0.01")


class AssessmentError(ApplicationError):
    """A refused request. ``message`` is fit to show; ``code`` is "invalid" (bad input, 400) or
    "conflict" (the attempt's state forbids it, 409); ``question_errors`` maps question ids to
    messages for the form. Nothing was stored, except that a late attempt is closed."""

    def __init__(
        self, message: str, *, code: str = "invalid", question_errors: dict | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.question_errors = question_errors or {}


def _enrolment_locked(*, user, assessment: Assessment):
    from learnward.learning.models import Enrolment

    # Locking the enrolment serialises a learner's attempt starts and submissions per course.
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(user=user, course_id=assessment.course_id, left_at__isnull=True)
        .first()
    )
    if enrolment is None:
        raise AssessmentError("Enrol on the course to take its assessment.", code="conflict")
    return enrolment


def _close_overdue(*, user, assessment: Assessment, now) -> list[Attempt]:
    overdue = list(
        Attempt.objects.select_for_update().filter(
            user=user,
            assessment=assessment,
            submitted_at__isnull=True,
            deadline__lt=now - TIME_LIMIT_GRACE,
        )
    )
    for attempt in overdue:
        _close_timed_out(attempt)
    return overdue


def _close_timed_out(attempt: Attempt) -> None:
    attempt.submitted_at = attempt.deadline
    attempt.timed_out = True
    attempt.points_awarded = Decimal(0)
    attempt.points_possible = Question.objects.filter(assessment_id=attempt.assessment_id).count()
    attempt.score = Decimal(0)
    attempt.passed = False
    attempt.save(
        update_fields=[
            "submitted_at",
            "timed_out",
            "points_awarded",
            "points_possible",
            "score",
            "passed",
        ]
    )
    audit_record(
        action=Action.ATTEMPT_TIMED_OUT,
        actor=None,
        subject=attempt.user,
        target=attempt,
        payload={"assessment_id": attempt.assessment_id, "number": attempt.number},
    )


@transaction.atomic
def attempts_close_overdue(*, user, assessment: Assessment) -> int:
    """Close the learner's open attempts whose time ran out (idempotent)."""
    return len(_close_overdue(user=user, assessment=assessment, now=timezone.now()))


@transaction.atomic
def attempt_start(*, user, assessment: Assessment) -> Attempt:
    """Start an attempt, or return the learner's open one."""
    course = assessment.course
    enrolment = _enrolment_locked(user=user, assessment=assessment)
    now = timezone.now()
    _close_overdue(user=user, assessment=assessment, now=now)
    attempts = list(
        Attempt.objects.filter(user=user, assessment=assessment, cycle=enrolment.cycle).order_by(
            "number"
        )
    )
    for attempt in attempts:
        if attempt.submitted_at is None:
            return attempt
    if any(a.passed for a in attempts):
        raise AssessmentError("You have already passed this assessment.", code="conflict")
    if len(attempts) >= course.max_attempts:
        raise AssessmentError(
            f"You have used all {course.max_attempts} attempts allowed for this assessment. "
            "Contact us if you think you need another.",
            code="conflict",
        )
    from .selectors import assessment_problems

    if assessment_problems(assessment=assessment):
        raise AssessmentError(
            "This assessment is being prepared and cannot be taken yet. Please try again later.",
            code="conflict",
        )
    attempt = Attempt.objects.create(
        assessment=assessment,
        user=user,
        cycle=enrolment.cycle,
        number=len(attempts) + 1,
        started_at=now,
        deadline=Attempt.deadline_for(now, assessment.time_limit_minutes),
    )
    audit_record(
        action=Action.ATTEMPT_STARTED,
        actor=user,
        subject=user,
        target=attempt,
        payload={
            "assessment_id": assessment.pk,
            "number": attempt.number,
            **({"cycle": attempt.cycle} if attempt.cycle > 1 else {}),
        },
    )
    return attempt


def attempt_submit(*, attempt: Attempt, actor, answers: Mapping[str, Sequence[str]]) -> Attempt:
    """Grade and store the answers of an open attempt; complete the course if it passed.

    ``answers`` maps question ids to the choice ids picked, as the form sent them (strings).
    """
    late: AssessmentError | None = None
    with transaction.atomic():
        attempt = _attempt_locked(attempt=attempt, actor=actor)
        now = timezone.now()
        if attempt.deadline is not None and now > attempt.deadline + TIME_LIMIT_GRACE:
            _close_timed_out(attempt)
            late = AssessmentError(
                "The time limit for this attempt ran out at "
                f"{timezone.localtime(attempt.deadline):%H:%M}, before your answers arrived. "
                "Answers sent after the time limit are not accepted: this attempt is closed "
                "with a score of 0 and counts as one of your attempts.",
                code="conflict",
            )
        else:
            _grade_and_store(attempt=attempt, answers=answers, now=now)
    if late is not None:
        # Raised after the commit so the attempt stays closed; the late answers were not stored.
        raise late
    return attempt


def _attempt_locked(*, attempt: Attempt, actor) -> Attempt:
    found = (
        Attempt.objects.select_related("assessment__course", "user")
        .filter(pk=attempt.pk, user_id=getattr(actor, "pk", None))
        .first()
    )
    if found is None:
        raise AssessmentError("That attempt does not exist.", code="not_found")
    # Lock the enrolment first, then the attempt: the same order as attempt_start, so a
    # submission and a new start (or two submissions) queue instead of deadlocking.
    _enrolment_locked(user=found.user, assessment=found.assessment)
    locked = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("assessment__course", "user")
        .get(pk=found.pk)
    )
    if locked.submitted_at is not None:
        raise AssessmentError(
            "This attempt was already submitted on "
            f"{timezone.localtime(locked.submitted_at):%d %B %Y at %H:%M}; its answers cannot "
            "be changed. Nothing new was saved.",
            code="conflict",
        )
    return locked


def _parse_answers(
    *, questions: list[Question], answers: Mapping[str, Sequence[str]]
) -> dict[int, set[int]]:
    by_id = {q.pk: q for q in questions}
    choice_owner = {c.pk: q.pk for q in questions for c in q.choices.all()}
    number = {q.pk: i for i, q in enumerate(questions, start=1)}
    chosen: dict[int, set[int]] = {}
    errors: dict[int, str] = {}
    for raw_question, raw_choices in answers.items():
        try:
            question_id = int(raw_question)
        except (TypeError, ValueError):
            question_id = None
        if question_id not in by_id:
            raise AssessmentError(
                "The answers sent do not match this assessment's questions. Nothing was saved; "
                "please answer the questions on this page."
            )
        picked: set[int] = set()
        for raw in raw_choices:
            try:
                choice_id = int(raw)
            except (TypeError, ValueError):
                choice_id = None
            owner = choice_owner.get(choice_id)
            if owner is None:
                errors[question_id] = (
                    f"Question {number[question_id]}: the answer sent is not one of the options "
                    "offered. Choose one of the options shown."
                )
            elif owner != question_id:
                errors[question_id] = (
                    f"Question {number[question_id]}: the answer sent belongs to a different "
                    "question. Choose one of this question's options."
                )
            else:
                picked.add(choice_id)
        if question_id in errors:
            continue
        if len(picked) > 1 and not by_id[question_id].allows_many:
            errors[question_id] = f"Question {number[question_id]}: choose only one answer."
        elif picked:
            chosen[question_id] = picked
    for question in questions:
        if question.pk not in chosen and question.pk not in errors:
            errors[question.pk] = f"Question {number[question.pk]}: choose an answer."
    if errors:
        raise AssessmentError(
            "Some answers need attention. Nothing was saved yet.", question_errors=errors
        )
    return chosen


def grade_question(question: Question, picked: set[int]) -> tuple[bool, Decimal]:
    """Whether the answer is fully right, and the points it earns.

    Multiple choice is all or nothing unless the question gives partial credit: then each right
    choice earns a share of the points and each wrong choice cancels one right one (never below 0).
    """
    right = {c.pk for c in question.choices.all() if c.is_correct}
    correct = picked == right
    points = Decimal(question.points)
    if correct:
        return True, points
    if question.kind == Question.Kind.MULTIPLE and question.partial_credit and right:
        hits = len(picked & right) - len(picked - right)
        share = Decimal(max(hits, 0)) / Decimal(len(right))
        return False, (points * share).quantize(_CENT, rounding=ROUND_HALF_UP)
    return False, Decimal(0)


def _grade_and_store(*, attempt: Attempt, answers: Mapping[str, Sequence[str]], now) -> None:
    from learnward.assessments.selectors import assessment_with_questions

    questions = assessment_with_questions(assessment=attempt.assessment)
    chosen = _parse_answers(questions=questions, answers=answers)
    awarded = Decimal(0)
    possible = 0
    through_rows = []
    for question in questions:
        correct, points = grade_question(question, chosen[question.pk])
        awarded += points
        possible += question.points
        answer = Answer.objects.create(
            attempt=attempt, question=question, correct=correct, points_awarded=points
        )
        through_rows += [
            Answer.choices.through(answer_id=answer.pk, choice_id=choice_id)
            for choice_id in sorted(chosen[question.pk])
        ]
    Answer.choices.through.objects.bulk_create(through_rows)
    course = attempt.assessment.course
    attempt.submitted_at = now
    attempt.points_awarded = awarded
    attempt.points_possible = possible
    attempt.score = (awarded * 100 / possible).quantize(_CENT, rounding=ROUND_HALF_UP)
    # Compare exactly, not the rounded percentage: 69.995% is not a pass at 70%.
    attempt.passed = awarded * 100 >= course.pass_mark * possible
    attempt.save(
        update_fields=["submitted_at", "points_awarded", "points_possible", "score", "passed"]
    )
    audit_record(
        action=Action.ATTEMPT_SUBMITTED,
        actor=attempt.user,
        subject=attempt.user,
        target=attempt,
        payload={"assessment_id": attempt.assessment_id, "passed": attempt.passed},
    )
    events.emit(
        events.ASSESSMENT_PASSED if attempt.passed else events.ASSESSMENT_FAILED,
        attempt_id=attempt.pk,
        user_id=attempt.user_id,
        course_id=course.pk,
    )
    if attempt.passed:
        from learnward.learning.services import completion_record_if_complete

        enrolment = _enrolment_locked(user=attempt.user, assessment=attempt.assessment)
        completion_record_if_complete(enrolment=enrolment)
