"""Writes for assessments: starting an attempt, submitting it, closing it at its time limit.

Rules enforced here, on the server, whatever the page sent:

- an attempt needs an active enrolment; a learner has at most one open attempt, at most the
  course's ``max_attempts`` in all, and none once they have passed. "In all" and "passed" are
  per cycle of the enrolment: a renewal (a new cycle) starts again with the full number of
  attempts, and an earlier cycle's pass does not count;
- answers must name questions of this assessment and choices of those questions; a single-choice
  or true/false question takes one choice; every question needs an answer. Anything else is
  refused with a message and nothing is stored;
- an attempt draws its questions when it starts (N at random from each of the assessment's
  categories, leaving out retired questions, shuffled if the assessment says so) and stores the
  draw, so a resumed attempt shows the same questions and options in the same order;
- a submitted attempt cannot be submitted again; an attempt with essays is "pending marking"
  (no result, no completion) until tutors have marked (and, with second marking, moderated)
  every essay (see :mod:`.marking`);
- a formative quiz after a module uses the same engine but never counts: no attempt limit, no
  completion, no pass or fail events;
- a time-limited attempt must be submitted by its deadline (plus :data:`TIME_LIMIT_GRACE` for a
  slow connection). Answers that arrive later are refused and not stored: the attempt is closed
  at its deadline as timed out, scoring 0, and counts as one of the attempts allowed. The time is
  never extended.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping, Sequence
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format, get_format, number_format
from django.utils.translation import gettext as _

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core import events
from learnward.core.errors import ApplicationError

from .models import Answer, Assessment, Attempt, Choice, Question

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
        .filter(user=user, course_id=assessment.owner_course_id, left_at__isnull=True)
        .first()
    )
    if enrolment is None:
        raise AssessmentError(_("Enrol on the course to take its assessment."), code="conflict")
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
    attempt.points_possible = _points_possible(attempt)
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


def _points_possible(attempt: Attempt) -> int:
    ids = [item["question"] for item in attempt.draw]
    return sum(Question.objects.filter(pk__in=ids).values_list("points", flat=True))


def draw_questions(*, assessment: Assessment, rng: random.Random) -> list[dict]:
    """Draw an attempt's questions: ``rule.count`` at random from each rule's category (retired
    questions left out), in category then bank order unless the assessment shuffles questions;
    each with the order its options are shown in. Choice options are shuffled when the
    assessment says so (true or false stays True, False); matching options and ordering items
    are always shuffled, since their written order would give the answer away."""
    drawn: list[Question] = []
    for rule in assessment.rules.select_related("category"):
        pool = list(
            Question.objects.filter(category=rule.category, retired_at__isnull=True).order_by(
                "position", "id"
            )
        )
        picked = rng.sample(pool, min(rule.count, len(pool)))
        drawn += sorted(picked, key=lambda q: (q.position, q.pk))
    if assessment.shuffle_questions:
        rng.shuffle(drawn)
    choices: dict[int, list[int]] = {}
    for choice in Choice.objects.filter(question__in=drawn).order_by("position", "id"):
        choices.setdefault(choice.question_id, []).append(choice.pk)
    draw = []
    for question in drawn:
        ids = choices.get(question.pk, [])
        shuffle = question.kind in (Question.Kind.MATCHING, Question.Kind.ORDERING) or (
            assessment.shuffle_choices
            and question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
        )
        if shuffle and len(ids) > 1:
            original = list(ids)
            rng.shuffle(ids)
            if question.kind == Question.Kind.ORDERING and ids == original:
                ids = ids[1:] + ids[:1]  # never show the items already in the right order
        draw.append({"question": question.pk, "choices": ids})
    return draw


@transaction.atomic
def attempt_start(*, user, assessment: Assessment, rng: random.Random | None = None) -> Attempt:
    """Start an attempt with a fresh draw, or return the learner's open one (same draw)."""
    course = assessment.owner_course
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
    if not assessment.formative:
        if any(a.passed for a in attempts):
            raise AssessmentError(_("You have already passed this assessment."), code="conflict")
        if any(a.marking_pending for a in attempts):
            raise AssessmentError(
                _(
                    "Your last attempt is waiting to be marked. You can try again if it does not pass."
                ),
                code="conflict",
            )
        if len(attempts) >= course.max_attempts:
            raise AssessmentError(
                _(
                    "You have used all %(count)s attempts allowed for this assessment. "
                    "Contact us if you think you need another."
                )
                % {"count": course.max_attempts},
                code="conflict",
            )
    from .selectors import assessment_problems

    if assessment_problems(assessment=assessment):
        raise AssessmentError(
            _("This assessment is being prepared and cannot be taken yet. Please try again later."),
            code="conflict",
        )
    rng = rng or random.Random(secrets.randbits(64))  # noqa: S311 - a draw, not a secret
    attempt = Attempt.objects.create(
        assessment=assessment,
        user=user,
        cycle=enrolment.cycle,
        number=len(attempts) + 1,
        started_at=now,
        deadline=Attempt.deadline_for(now, assessment.time_limit_minutes),
        draw=draw_questions(assessment=assessment, rng=rng),
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

    ``answers`` maps question ids to what the form sent (strings): the choice ids picked, or
    one text (short answer, number, essay). Matching and ordering send one key per item,
    ``"<question id>-<choice id>"``: the option's choice id (matching) or the item's position
    from 1 (ordering).
    """
    late: AssessmentError | None = None
    with transaction.atomic():
        attempt = _attempt_locked(attempt=attempt, actor=actor)
        now = timezone.now()
        if attempt.deadline is not None and now > attempt.deadline + TIME_LIMIT_GRACE:
            _close_timed_out(attempt)
            late = AssessmentError(
                _(
                    "The time limit for this attempt ran out at %(time)s, before your answers "
                    "arrived. Answers sent after the time limit are not accepted: this attempt "
                    "is closed with a score of 0 and counts as one of your attempts."
                )
                % {"time": date_format(timezone.localtime(attempt.deadline), "H:i")},
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
        Attempt.objects.select_related("assessment__course", "assessment__module__course", "user")
        .filter(pk=attempt.pk, user_id=getattr(actor, "pk", None))
        .first()
    )
    if found is None:
        raise AssessmentError(_("That attempt does not exist."), code="not_found")
    # Lock the enrolment first, then the attempt: the same order as attempt_start, so a
    # submission and a new start (or two submissions) queue instead of deadlocking.
    _enrolment_locked(user=found.user, assessment=found.assessment)
    locked = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("assessment__course", "assessment__module__course", "user")
        .get(pk=found.pk)
    )
    if locked.submitted_at is not None:
        raise AssessmentError(
            _(
                "This attempt was already submitted on %(date)s at %(time)s; its answers cannot "
                "be changed. Nothing new was saved."
            )
            % {
                "date": date_format(timezone.localtime(locked.submitted_at), "d F Y"),
                "time": date_format(timezone.localtime(locked.submitted_at), "H:i"),
            },
            code="conflict",
        )
    return locked


ESSAY_MAX_CHARS = 20000
TEXT_MAX_CHARS = 500


def _parse_number(raw: str) -> Decimal | None:
    """A number typed by a learner: "2.5" in every language, and in a language written with a
    decimal comma (Dutch, French) "2,5" too, with or without that language's thousands
    separator ("1.234,5", "1 234,5")."""
    cleaned = raw.strip()
    for space in (" ", "\u00a0", "\u202f"):
        cleaned = cleaned.replace(space, "")
    if not cleaned or len(cleaned) > 40:
        return None
    if get_format("DECIMAL_SEPARATOR") == "," and "," in cleaned:
        if cleaned.count(",") > 1 or ("." in cleaned and cleaned.rindex(".") > cleaned.index(",")):
            return None
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _parse_answers(*, questions: list, answers: Mapping[str, Sequence[str]]) -> dict[int, object]:
    """What the learner answered to each drawn question, checked: a set of choice ids, a text,
    a number, {item id: option id} (matching) or [item ids in the learner's order] (ordering).

    ``questions`` are the drawn ones as (question, choices in the order shown)."""
    by_id = {q.pk: (q, choices) for q, choices in questions}
    number = {q.pk: i for i, (q, _c) in enumerate(questions, start=1)}
    choice_owner = {c.pk: q.pk for q, choices in questions for c in choices}
    parsed: dict[int, object] = {}
    parts: dict[int, dict[int, str]] = {}
    errors: dict[int, str] = {}

    def _mismatch():
        return AssessmentError(
            _(
                "The answers sent do not match this assessment's questions. Nothing was saved; "
                "please answer the questions on this page."
            )
        )

    for raw_key, raw_values in answers.items():
        question_part, _sep, item_part = str(raw_key).partition("-")
        try:
            question_id = int(question_part)
        except (TypeError, ValueError):
            raise _mismatch() from None
        if question_id not in by_id:
            raise _mismatch()
        question, choices = by_id[question_id]
        n = number[question_id]
        values = list(raw_values)
        if question.kind in (Question.Kind.MATCHING, Question.Kind.ORDERING):
            try:
                item_id = int(item_part)
            except (TypeError, ValueError):
                raise _mismatch() from None
            if choice_owner.get(item_id) != question_id:
                raise _mismatch()
            parts.setdefault(question_id, {})[item_id] = values[0] if values else ""
            continue
        if item_part:
            raise _mismatch()
        if question.uses_choices:
            picked: set[int] = set()
            for raw in values:
                try:
                    choice_id = int(raw)
                except (TypeError, ValueError):
                    choice_id = None
                owner = choice_owner.get(choice_id)
                if owner is None:
                    errors[question_id] = _(
                        "Question %(number)s: the answer sent is not one of the options offered. "
                        "Choose one of the options shown."
                    ) % {"number": n}
                elif owner != question_id:
                    errors[question_id] = _(
                        "Question %(number)s: the answer sent belongs to a different question. "
                        "Choose one of this question's options."
                    ) % {"number": n}
                else:
                    picked.add(choice_id)
            if question_id in errors:
                continue
            if len(picked) > 1 and not question.allows_many:
                errors[question_id] = _("Question %(number)s: choose only one answer.") % {
                    "number": n
                }
            elif picked:
                parsed[question_id] = picked
            continue
        text = (values[-1] if values else "").strip()
        if not text:
            continue
        if question.kind == Question.Kind.NUMERIC:
            value = _parse_number(text)
            if value is None:
                errors[question_id] = _(
                    "Question %(number)s: enter a number, such as %(whole)s or %(decimal)s."
                ) % {"number": n, "whole": 12, "decimal": number_format(Decimal("0.5"))}
            else:
                parsed[question_id] = value
        elif question.kind == Question.Kind.ESSAY:
            if len(text) > ESSAY_MAX_CHARS:
                errors[question_id] = _(
                    "Question %(number)s: your answer is %(length)s characters long; the most "
                    "is %(most)s. Shorten it, then submit again."
                ) % {
                    "number": n,
                    "length": number_format(len(text), force_grouping=True),
                    "most": number_format(ESSAY_MAX_CHARS, force_grouping=True),
                }
            else:
                parsed[question_id] = text
        elif len(text) > TEXT_MAX_CHARS:
            errors[question_id] = _(
                "Question %(number)s: keep the answer under %(most)s characters."
            ) % {"number": n, "most": TEXT_MAX_CHARS}
        else:
            parsed[question_id] = text

    for question_id, given in parts.items():
        question, choices = by_id[question_id]
        n = number[question_id]
        if question.kind == Question.Kind.MATCHING:
            matched: dict[int, int] = {}
            for item_id, raw in given.items():
                try:
                    option = int(raw)
                except (TypeError, ValueError):
                    option = None
                if raw == "":
                    continue
                if choice_owner.get(option) != question_id:
                    errors[question_id] = _(
                        "Question %(number)s: choose each match from the options shown."
                    ) % {"number": n}
                    break
                matched[item_id] = option
            else:
                if len(matched) == len(choices):
                    parsed[question_id] = matched
        else:
            positions: dict[int, int] = {}
            for item_id, raw in given.items():
                try:
                    place = int(raw)
                except (TypeError, ValueError):
                    place = None
                if place is None or not 1 <= place <= len(choices):
                    errors[question_id] = _(
                        "Question %(number)s: give each item a position from 1 to %(last)s."
                    ) % {"number": n, "last": len(choices)}
                    break
                positions[item_id] = place
            else:
                if len(positions) == len(choices):
                    if len(set(positions.values())) != len(choices):
                        errors[question_id] = _(
                            "Question %(number)s: give each item a different position, "
                            "from 1 to %(last)s."
                        ) % {"number": n, "last": len(choices)}
                    else:
                        parsed[question_id] = sorted(positions, key=positions.__getitem__)

    for question, _choices in questions:
        if question.pk not in parsed and question.pk not in errors:
            n = number[question.pk]
            errors[question.pk] = {
                Question.Kind.SHORT: _("Question %(number)s: write an answer."),
                Question.Kind.NUMERIC: _("Question %(number)s: enter a number."),
                Question.Kind.ESSAY: _("Question %(number)s: write your answer."),
                Question.Kind.MATCHING: _("Question %(number)s: choose a match for every item."),
                Question.Kind.ORDERING: _("Question %(number)s: give every item a position."),
            }.get(question.kind, _("Question %(number)s: choose an answer.")) % {"number": n}
    if errors:
        raise AssessmentError(
            _("Some answers need attention. Nothing was saved yet."), question_errors=errors
        )
    return parsed


def _share(points: Decimal, hits: int, total: int) -> Decimal:
    return (points * Decimal(max(hits, 0)) / Decimal(total)).quantize(_CENT, rounding=ROUND_HALF_UP)


def short_answer_matches(question: Question, given: str, accepted: Sequence[str]) -> bool:
    """Surrounding spaces never matter. "Exactly as written" compares the rest character for
    character; "ignoring capital letters" compares case-folded text."""
    given = given.strip()
    if question.match == Question.Match.EXACT:
        return any(given == a.strip() for a in accepted)
    folded = given.casefold()
    return any(folded == a.strip().casefold() for a in accepted)


def grade_question(question: Question, given) -> tuple[bool, Decimal]:
    """Whether the answer is fully right, and the points it earns (essays: marked by a tutor,
    so (False, 0) until then).

    - single choice, true or false: the one right choice;
    - multiple choice: all or nothing unless the question gives partial credit: then each right
      choice earns a share of the points and each wrong choice cancels one right one (never
      below 0);
    - short answer: one of the accepted answers (see :func:`short_answer_matches`);
    - number: within the tolerance either side of the answer, the edges included;
    - matching: every item matched right; with partial credit a share per right match;
    - ordering: every item in its place; with partial credit a share per item in its place.
    """
    points = Decimal(question.points)
    choices = list(question.choices.all())
    kind = question.kind
    if kind == Question.Kind.ESSAY:
        return False, Decimal(0)
    if kind == Question.Kind.SHORT:
        ok = short_answer_matches(question, given, [c.text for c in choices if c.is_correct])
        return ok, points if ok else Decimal(0)
    if kind == Question.Kind.NUMERIC:
        ok = question.numeric_answer is not None and abs(
            Decimal(given) - question.numeric_answer
        ) <= abs(question.numeric_tolerance)
        return ok, points if ok else Decimal(0)
    if kind == Question.Kind.MATCHING:
        by_id = {c.pk: c for c in choices}
        hits = sum(
            1
            for item_id, option_id in given.items()
            if item_id in by_id
            and option_id in by_id
            and by_id[option_id].match_text == by_id[item_id].match_text
        )
        if hits == len(choices):
            return True, points
        return False, _share(points, hits, len(choices)) if question.partial_credit else Decimal(0)
    if kind == Question.Kind.ORDERING:
        right_order = [c.pk for c in choices]
        hits = sum(1 for a, b in zip(given, right_order, strict=False) if a == b)
        if list(given) == right_order:
            return True, points
        return False, _share(points, hits, len(choices)) if question.partial_credit else Decimal(0)
    right = {c.pk for c in choices if c.is_correct}
    if given == right:
        return True, points
    if kind == Question.Kind.MULTIPLE and question.partial_credit and right:
        return False, _share(points, len(given & right) - len(given - right), len(right))
    return False, Decimal(0)


def _grade_and_store(*, attempt: Attempt, answers: Mapping[str, Sequence[str]], now) -> None:
    from learnward.assessments.selectors import attempt_questions

    questions = attempt_questions(attempt=attempt)
    parsed = _parse_answers(questions=questions, answers=answers)
    through_rows = []
    essays = False
    for question, _choices in questions:
        given = parsed[question.pk]
        correct, points = grade_question(question, given)
        fields = {}
        if question.kind in (Question.Kind.SHORT, Question.Kind.NUMERIC, Question.Kind.ESSAY):
            fields["text"] = str(given)
        elif question.kind == Question.Kind.MATCHING:
            fields["response"] = {str(k): v for k, v in given.items()}
        elif question.kind == Question.Kind.ORDERING:
            fields["response"] = list(given)
        essays = essays or question.kind == Question.Kind.ESSAY
        answer = Answer.objects.create(
            attempt=attempt, question=question, correct=correct, points_awarded=points, **fields
        )
        if question.uses_choices:
            through_rows += [
                Answer.choices.through(answer_id=answer.pk, choice_id=choice_id)
                for choice_id in sorted(given)
            ]
    Answer.choices.through.objects.bulk_create(through_rows)
    attempt.submitted_at = now
    attempt.marking_pending = essays
    attempt.save(update_fields=["submitted_at", "marking_pending"])
    if essays:
        payload = {"assessment_id": attempt.assessment_id, "pending_marking": True}
    else:
        attempt_finalise(attempt=attempt, announce=False)
        payload = {"assessment_id": attempt.assessment_id, "passed": attempt.passed}
    audit_record(
        action=Action.ATTEMPT_SUBMITTED,
        actor=attempt.user,
        subject=attempt.user,
        target=attempt,
        payload=payload,
    )
    if not essays:
        _announce(attempt)


def attempt_finalise(*, attempt: Attempt, announce: bool = True) -> None:
    """Score a submitted attempt from its answers and decide pass or fail; for a final
    assessment, emit the result and complete the course if it passed. Runs when the attempt is
    submitted, or once its last essay is marked (and moderated, with second marking)."""
    course = attempt.assessment.owner_course
    awarded = sum((a.points_awarded for a in attempt.answers.all()), Decimal(0))
    possible = _points_possible(attempt)
    attempt.marking_pending = False
    attempt.points_awarded = awarded
    attempt.points_possible = possible
    attempt.score = (
        (awarded * 100 / possible).quantize(_CENT, rounding=ROUND_HALF_UP) if possible else None
    )
    # Compare exactly, not the rounded percentage: 69.995% is not a pass at 70%.
    attempt.passed = possible > 0 and awarded * 100 >= course.pass_mark * possible
    attempt.save(
        update_fields=["marking_pending", "points_awarded", "points_possible", "score", "passed"]
    )
    if announce:
        _announce(attempt)


def _announce(attempt: Attempt) -> None:
    assessment = attempt.assessment
    if assessment.formative:
        return  # a quiz after a module never counts
    events.emit(
        events.ASSESSMENT_PASSED if attempt.passed else events.ASSESSMENT_FAILED,
        attempt_id=attempt.pk,
        user_id=attempt.user_id,
        course_id=assessment.course_id,
    )
    if attempt.passed:
        from learnward.learning.models import Enrolment
        from learnward.learning.services import completion_record_if_complete

        enrolment = (
            Enrolment.objects.select_for_update()
            .filter(user_id=attempt.user_id, course_id=assessment.course_id, left_at__isnull=True)
            .first()
        )
        if enrolment is not None:
            completion_record_if_complete(enrolment=enrolment)


# --- essay marking -------------------------------------------------------------------------------


def _essay_locked(*, answer_id: int, actor):
    """The essay answer, locked, if ``actor`` tutors its course; else "not found"."""
    from learnward.learning.selectors import tutor_courses

    from .models import Answer

    answer = (
        Answer.objects.select_for_update(of=("self",))
        .select_related(
            "attempt__assessment__course",
            "attempt__assessment__module__course",
            "attempt__user",
            "question",
        )
        .filter(
            pk=answer_id, question__kind=Question.Kind.ESSAY, attempt__submitted_at__isnull=False
        )
        .first()
    )
    if (
        answer is None
        or not tutor_courses(actor=actor)
        .filter(pk=answer.attempt.assessment.owner_course_id)
        .exists()
    ):
        raise AssessmentError(_("That answer does not exist."), code="not_found")
    return answer


def _checked_marks(answer, marks: Mapping[int, object]) -> dict:
    criteria = list(answer.question.criteria.all())
    checked, errors = {}, {}
    for criterion in criteria:
        raw = marks.get(criterion.pk, "")
        try:
            value = int(str(raw).strip())
        except (TypeError, ValueError):
            value = None
        if value is None or not 0 <= value <= criterion.max_marks:
            errors[criterion.pk] = _(
                "%(criterion)s: give a whole number of marks from 0 to %(most)s."
            ) % {"criterion": criterion.text, "most": criterion.max_marks}
        else:
            checked[criterion] = value
    if errors:
        raise AssessmentError(
            _("Some marks need attention. Nothing was saved yet."), question_errors=errors
        )
    return checked


def _apply_marks(answer, marking, checked: dict) -> Decimal:
    from .models import CriterionMark

    CriterionMark.objects.filter(marking=marking).delete()
    CriterionMark.objects.bulk_create(
        CriterionMark(marking=marking, criterion=c, marks=m) for c, m in checked.items()
    )
    total = Decimal(sum(checked.values()))
    answer.points_awarded = total
    answer.correct = total == answer.question.points
    answer.save(update_fields=["points_awarded", "correct"])
    return total


def _release_if_done(attempt: Attempt) -> None:
    """Release the attempt's result once every essay is marked (and moderated, when the
    assessment asks for second marking)."""
    from .models import Marking

    essays = Answer.objects.filter(attempt=attempt, question__kind=Question.Kind.ESSAY)
    marked = Marking.objects.filter(answer__in=essays)
    if attempt.assessment.second_marking:
        marked = marked.filter(moderated_at__isnull=False)
    if attempt.marking_pending and marked.count() == essays.count():
        attempt_finalise(attempt=attempt)


@transaction.atomic
def essay_mark(*, answer_id: int, actor, marks: Mapping[int, object], feedback: str):
    """A tutor of the course marks an essay against its rubric, with written feedback. The
    attempt's result is released once its last essay is marked (and moderated, with second
    marking). A marked essay cannot be marked again; with second marking it is moderated."""
    from .models import Marking

    answer = _essay_locked(answer_id=answer_id, actor=actor)
    if Marking.objects.filter(answer=answer).exists():
        raise AssessmentError(_("This answer has already been marked."), code="conflict")
    feedback = (feedback or "").strip()
    checked = _checked_marks(answer, marks)
    if not feedback:
        raise AssessmentError(
            _("Write some feedback for the learner. Nothing was saved yet."),
            question_errors={"feedback": _("Write some feedback for the learner.")},
        )
    marking = Marking.objects.create(
        answer=answer,
        marker=actor,
        marked_at=timezone.now(),
        feedback=feedback,
        first_marks=Decimal(0),
    )
    total = _apply_marks(answer, marking, checked)
    marking.first_marks = total
    marking.save(update_fields=["first_marks"])
    attempt = answer.attempt
    audit_record(
        action=Action.ESSAY_MARKED,
        actor=actor,
        subject=attempt.user,
        target=attempt,
        payload={"answer_id": answer.pk, "marks": str(total)},
    )
    _release_if_done(Attempt.objects.select_for_update(of=("self",)).get(pk=attempt.pk))
    return marking


@transaction.atomic
def essay_moderate(
    *, answer_id: int, actor, agree: bool, marks: Mapping[int, object] | None = None, note: str = ""
):
    """A second tutor of the course, not the first marker, agrees with an essay's mark or
    changes it (with a note saying why). Audited with the marks before and after."""
    from .models import Marking

    answer = _essay_locked(answer_id=answer_id, actor=actor)
    marking = Marking.objects.select_for_update().filter(answer=answer).first()
    attempt = answer.attempt
    if not attempt.assessment.second_marking:
        raise AssessmentError(_("This assessment has no second marking."), code="conflict")
    if marking is None:
        raise AssessmentError(_("This answer has not been marked yet."), code="conflict")
    if marking.moderated_at is not None:
        raise AssessmentError(_("This mark has already been moderated."), code="conflict")
    if marking.marker_id == getattr(actor, "pk", None):
        raise AssessmentError(
            _("You marked this answer; another tutor must moderate it."), code="conflict"
        )
    note = (note or "").strip()
    before = answer.points_awarded
    if not agree:
        checked = _checked_marks(answer, marks or {})
        if not note:
            raise AssessmentError(
                _("Say why you changed the mark. Nothing was saved yet."),
                question_errors={"note": _("Say why you changed the mark.")},
            )
        _apply_marks(answer, marking, checked)
    marking.moderator = actor
    marking.moderated_at = timezone.now()
    marking.moderation_agreed = agree
    marking.moderation_note = note
    marking.save(
        update_fields=["moderator", "moderated_at", "moderation_agreed", "moderation_note"]
    )
    audit_record(
        action=Action.ESSAY_MODERATED,
        actor=actor,
        subject=attempt.user,
        target=attempt,
        payload={
            "answer_id": answer.pk,
            "agreed": agree,
            "before": str(Decimal(before).quantize(_CENT)),
            "after": str(Decimal(answer.points_awarded).quantize(_CENT)),
        },
    )
    _release_if_done(Attempt.objects.select_for_update(of=("self",)).get(pk=attempt.pk))
    return marking
