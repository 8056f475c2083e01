"""Building question banks for tests: categories, questions of every type, draw rules."""

from __future__ import annotations

from decimal import Decimal

from learnward.assessments.models import (
    Assessment,
    Choice,
    DrawRule,
    Question,
    QuestionCategory,
    RubricCriterion,
)


def category(course, name: str = "Questions") -> QuestionCategory:
    return QuestionCategory.objects.get_or_create(course=course, name=name)[0]


def question(course, kind: str, *, cat=None, text: str = "Q?", points: int = 1, **fields):
    """A bank question; ``choices`` as (text, match_text, correct), ``criteria`` as (text,
    marks)."""
    choices = fields.pop("choices", ())
    criteria = fields.pop("criteria", ())
    q = Question.objects.create(
        course=course,
        category=cat or category(course),
        kind=kind,
        text=text,
        points=points,
        **fields,
    )
    for i, (label, match, correct) in enumerate(choices):
        Choice.objects.create(
            question=q, position=i, text=label, match_text=match, is_correct=correct
        )
    for i, (label, marks) in enumerate(criteria):
        RubricCriterion.objects.create(question=q, position=i, text=label, max_marks=marks)
    return q


def single(course, *, cat=None, text="Which?", points=1):
    return question(
        course,
        "single",
        cat=cat,
        text=text,
        points=points,
        choices=(("Right", "", True), ("Wrong", "", False), ("Also wrong", "", False)),
    )


def essay(
    course,
    *,
    cat=None,
    text="Explain why.",
    criteria=(("Names the risk", 3), ("Says what to do", 2)),
):
    return question(
        course, "essay", cat=cat, text=text, points=sum(m for _t, m in criteria), criteria=criteria
    )


def numeric(course, answer: str, tolerance: str, *, cat=None, points=1):
    return question(
        course,
        "numeric",
        cat=cat,
        numeric_answer=Decimal(answer),
        numeric_tolerance=Decimal(tolerance),
        points=points,
    )


def assessment(course, draw: dict, **fields) -> Assessment:
    """The final assessment (``module=`` for a quiz) drawing {category: count}."""
    module = fields.pop("module", None)
    if module is not None:
        a = Assessment.objects.create(module=module, title="Quiz", **fields)
    else:
        a = Assessment.objects.create(course=course, **fields)
    for cat, count in draw.items():
        DrawRule.objects.create(assessment=a, category=cat, count=count)
    return a


def right_answers(attempt) -> dict[str, list[str]]:
    """Form-style right answers to every drawn question (essays get a text)."""
    from learnward.assessments.selectors import attempt_questions

    answers: dict[str, list[str]] = {}
    for q, choices in attempt_questions(attempt=attempt):
        key = str(q.pk)
        if q.uses_choices:
            answers[key] = [str(c.pk) for c in choices if c.is_correct]
        elif q.kind == "short":
            answers[key] = [next(c.text for c in choices if c.is_correct)]
        elif q.kind == "numeric":
            answers[key] = [str(q.numeric_answer)]
        elif q.kind == "essay":
            answers[key] = ["My considered essay."]
        elif q.kind == "matching":
            for c in choices:
                answers[f"{key}-{c.pk}"] = [str(c.pk)]
        elif q.kind == "ordering":
            ordered = sorted(choices, key=lambda c: (c.position, c.pk))
            for place, c in enumerate(ordered, start=1):
                answers[f"{key}-{c.pk}"] = [str(place)]
    return answers
