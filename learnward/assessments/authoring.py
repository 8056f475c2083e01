"""Writes for authors in the studio: the question bank (categories and questions), the final
assessment's settings and draw, and formative quizzes after modules.

The bank is not drafted: every change applies at once, to the next attempt that starts (an
attempt already started keeps the questions it drew). A question that any attempt drew is
never deleted, only retired: it stays with those attempts and is no longer drawn. Its type,
choices and rubric are locked too, so a past answer keeps meaning what it meant; its wording
and explanation may still be corrected. Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learnward.audit.actions import Action
from learnward.audit.services import audit_record

from .models import (
    Answer,
    Assessment,
    Attempt,
    Choice,
    DrawRule,
    Question,
    QuestionCategory,
    RubricCriterion,
)
from .services import AssessmentError


@dataclass
class QuestionSpec:
    """A question as the author's form gave it, already checked (see forms.QuestionForm)."""

    kind: str
    category: QuestionCategory
    text: str
    explanation: str = ""
    points: int = 1
    partial_credit: bool = False
    match: str = Question.Match.CASE_INSENSITIVE
    numeric_answer: Decimal | None = None
    numeric_tolerance: Decimal = Decimal(0)
    # (text, match_text, is_correct) in order
    choices: list[tuple[str, str, bool]] = field(default_factory=list)
    # (text, max marks) in order
    criteria: list[tuple[str, int]] = field(default_factory=list)


def _audit(*, by, course, what: str, **payload) -> None:
    audit_record(
        action=Action.QUESTION_BANK_CHANGED,
        actor=by,
        target=course,
        payload={"change": what, **payload},
    )


def question_in_use(question: Question) -> bool:
    """Whether any attempt drew the question (answered, or open with it on screen)."""
    if Answer.objects.filter(question=question).exists():
        return True
    open_draws = Attempt.objects.filter(
        assessment__in=Assessment.objects.filter(course=question.course_id)
        | Assessment.objects.filter(module__course=question.course_id),
    ).values_list("draw", flat=True)
    return any(item.get("question") == question.pk for draw in open_draws for item in draw)


@transaction.atomic
def category_create(*, course, by, name: str) -> QuestionCategory:
    name = (name or "").strip()
    if not name:
        raise AssessmentError(_("Give the category a name."))
    if len(name) > 120:
        raise AssessmentError(_("Keep the category's name under 120 characters."))
    if QuestionCategory.objects.filter(course=course, name__iexact=name).exists():
        raise AssessmentError(_("There is already a category called “%(name)s”.") % {"name": name})
    position = (
        QuestionCategory.objects.filter(course=course).aggregate(m=Max("position"))["m"] or 0
    ) + 1
    category = QuestionCategory.objects.create(course=course, name=name, position=position)
    _audit(by=by, course=course, what="category_created", category_id=category.pk)
    return category


def _write_parts(question: Question, spec: QuestionSpec) -> None:
    Choice.objects.filter(question=question).delete()
    RubricCriterion.objects.filter(question=question).delete()
    Choice.objects.bulk_create(
        Choice(question=question, position=i, text=t, match_text=m, is_correct=c)
        for i, (t, m, c) in enumerate(spec.choices)
    )
    RubricCriterion.objects.bulk_create(
        RubricCriterion(question=question, position=i, text=t, max_marks=marks)
        for i, (t, marks) in enumerate(spec.criteria)
    )


def _parts_of(question: Question) -> tuple[list, list]:
    return (
        [(c.text, c.match_text, c.is_correct) for c in question.choices.order_by("position", "id")],
        [(c.text, c.max_marks) for c in question.criteria.order_by("position", "id")],
    )


@transaction.atomic
def question_save(*, course, by, spec: QuestionSpec, question: Question | None = None) -> Question:
    """Create a bank question, or change one. A question in use keeps its type, answers and
    marks: changing those is refused (retire it and write a new one)."""
    if spec.category.course_id != course.pk:
        raise AssessmentError(_("Choose one of this course's categories."))
    if spec.kind == Question.Kind.ESSAY:
        spec.points = sum(marks for _t, marks in spec.criteria)
    fields = {
        "category": spec.category,
        "kind": spec.kind,
        "text": spec.text,
        "explanation": spec.explanation,
        "points": spec.points,
        "partial_credit": spec.partial_credit,
        "match": spec.match,
        "numeric_answer": spec.numeric_answer,
        "numeric_tolerance": spec.numeric_tolerance,
    }
    if question is None:
        position = (
            Question.objects.filter(category=spec.category).aggregate(m=Max("position"))["m"] or 0
        ) + 1
        question = Question.objects.create(course=course, position=position, **fields)
        _write_parts(question, spec)
        _audit(by=by, course=course, what="question_created", question_id=question.pk)
        return question
    question = Question.objects.select_for_update().get(pk=question.pk, course=course)
    if question_in_use(question):
        locked = (
            "kind",
            "points",
            "partial_credit",
            "match",
            "numeric_answer",
            "numeric_tolerance",
        )
        changed = [
            name
            for name in locked
            if getattr(question, name) != fields[name]
            and not (
                isinstance(fields[name], Decimal)
                and getattr(question, name) is not None
                and Decimal(getattr(question, name)) == fields[name]
            )
        ]
        if changed or _parts_of(question) != (spec.choices, spec.criteria):
            raise AssessmentError(
                _(
                    "Learners have already answered this question, so its answers, points and "
                    "rubric cannot change: their results would stop making sense. You can correct "
                    "the wording, the explanation and the category, or retire this question and "
                    "write a new one."
                )
            )
        for name in ("category", "text", "explanation"):
            setattr(question, name, fields[name])
        question.save(update_fields=["category", "text", "explanation"])
    else:
        for name, value in fields.items():
            setattr(question, name, value)
        question.save()
        _write_parts(question, spec)
    _audit(by=by, course=course, what="question_changed", question_id=question.pk)
    return question


@transaction.atomic
def question_retire(*, question: Question, by, retire: bool = True) -> Question:
    question.retired_at = timezone.now() if retire else None
    question.save(update_fields=["retired_at"])
    _audit(
        by=by,
        course=question.course,
        what="question_retired" if retire else "question_restored",
        question_id=question.pk,
    )
    return question


@transaction.atomic
def question_delete(*, question: Question, by) -> None:
    if question_in_use(question):
        raise AssessmentError(
            _(
                "Learners have already had this question, so it is kept with their attempts. "
                "Retire it instead: it will no longer be drawn."
            ),
            code="conflict",
        )
    course, pk = question.course, question.pk
    question.delete()
    _audit(by=by, course=course, what="question_deleted", question_id=pk)


@dataclass
class AssessmentSpec:
    title: str
    instructions: str = ""
    time_limit_minutes: int | None = None
    shuffle_questions: bool = False
    shuffle_choices: bool = False
    second_marking: bool = False
    # category id -> questions drawn (0 = none)
    draw: dict[int, int] = field(default_factory=dict)


@transaction.atomic
def assessment_save(
    *, course, by, spec: AssessmentSpec, assessment: Assessment | None = None, module=None
) -> Assessment:
    """Create or change the final assessment (``module`` None) or a module's quiz, with how
    many questions each attempt draws from each category."""
    categories = {c.pk: c for c in QuestionCategory.objects.filter(course=course)}
    errors = {}
    for category_id, count in spec.draw.items():
        category = categories.get(category_id)
        if category is None:
            raise AssessmentError(_("Choose from this course's categories."))
        available = category.questions.filter(retired_at__isnull=True).count()
        if count < 0:
            errors[category_id] = _("%(category)s: give 0 or more.") % {"category": category.name}
        elif count > available:
            errors[category_id] = ngettext(
                "%(category)s: only %(count)s question in use, so at most %(count)s can be drawn.",
                "%(category)s: only %(count)s questions in use, so at most %(count)s can be drawn.",
                available,
            ) % {"category": category.name, "count": available}
    if errors:
        raise AssessmentError(
            _("Some numbers need attention. Nothing was saved yet."), question_errors=errors
        )
    if not any(spec.draw.values()):
        raise AssessmentError(_("Draw at least one question from a category."))
    values = {
        "title": spec.title,
        "instructions": spec.instructions,
        "time_limit_minutes": spec.time_limit_minutes,
        "shuffle_questions": spec.shuffle_questions,
        "shuffle_choices": spec.shuffle_choices,
        "second_marking": spec.second_marking,
    }
    if assessment is None:
        if module is not None:
            assessment = Assessment.objects.create(module=module, **values)
        else:
            assessment = Assessment.objects.create(course=course, **values)
    else:
        for name, value in values.items():
            setattr(assessment, name, value)
        assessment.save()
    DrawRule.objects.filter(assessment=assessment).exclude(
        category_id__in=[c for c, n in spec.draw.items() if n]
    ).delete()
    for category_id, count in spec.draw.items():
        if count:
            DrawRule.objects.update_or_create(
                assessment=assessment, category_id=category_id, defaults={"count": count}
            )
    _audit(
        by=by,
        course=course,
        what="quiz_saved" if assessment.formative else "assessment_saved",
        assessment_id=assessment.pk,
    )
    return assessment
