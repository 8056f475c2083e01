"""Course, lesson and assessment factories for the catalog, learning and assessments tests."""

from __future__ import annotations

import itertools
from decimal import Decimal

from learnward.assessments.models import Assessment, Choice, Question
from learnward.catalog.models import AwardingBody, Course, Lesson, Module

_seq = itertools.count(1)


def make_course(
    *,
    title: str | None = None,
    modules: int = 2,
    lessons_per_module: int = 2,
    published: bool = True,
    questions: int = 2,
    pass_mark: int = 70,
    max_attempts: int = 3,
    time_limit_minutes: int | None = None,
    **fields,
) -> Course:
    """A course with ``modules`` x ``lessons_per_module`` lessons and an assessment of
    ``questions`` single-choice questions (choices "Right" and "Wrong"); ``questions=0`` makes
    a course without an assessment."""
    n = next(_seq)
    title = title or f"Course {n}"
    course = Course.objects.create(
        title=title,
        slug=fields.pop("slug", f"course-{n}"),
        summary=f"Summary of {title}",
        cpd_hours=Decimal("2.5"),
        published=published,
        pass_mark=pass_mark,
        max_attempts=max_attempts,
        **fields,
    )
    for m in range(modules):
        module = Module.objects.create(course=course, title=f"Module {m + 1}", position=m)
        for lesson_no in range(lessons_per_module):
            Lesson.objects.create(
                module=module,
                title=f"Lesson {m + 1}.{lesson_no + 1}",
                position=lesson_no,
                body_markdown=f"Body of lesson {m + 1}.{lesson_no + 1}.",
            )
    if questions:
        assessment = Assessment.objects.create(course=course, time_limit_minutes=time_limit_minutes)
        for q in range(questions):
            add_question(assessment, text=f"Question {q + 1}?", position=q)
    return course


def add_question(
    assessment: Assessment,
    *,
    text: str = "Which?",
    kind: str = Question.Kind.SINGLE,
    choices: tuple[tuple[str, bool], ...] = (("Right", True), ("Wrong", False)),
    position: int = 0,
    points: int = 1,
    partial_credit: bool = False,
) -> Question:
    from learnward.assessments.models import DrawRule, QuestionCategory

    course = assessment.owner_course
    category, _ = QuestionCategory.objects.get_or_create(course=course, name="Questions")
    rule, created = DrawRule.objects.get_or_create(
        assessment=assessment, category=category, defaults={"count": 1}
    )
    if not created:
        DrawRule.objects.filter(pk=rule.pk).update(count=rule.count + 1)
    question = Question.objects.create(
        course=course,
        category=category,
        text=text,
        kind=kind,
        position=position,
        points=points,
        partial_credit=partial_credit,
        explanation=f"Because {text}",
    )
    for i, (label, correct) in enumerate(choices):
        Choice.objects.create(question=question, text=label, is_correct=correct, position=i)
    return question


def lessons_of(course: Course) -> list[Lesson]:
    return list(
        Lesson.objects.filter(module__course=course).order_by("module__position", "position")
    )


def answers_for(course: Course, *, right: bool = True) -> dict[str, list[str]]:
    """Form-style answers ({question id: [choice ids]}) that are all right or all wrong."""
    answers = {}
    for question in Question.objects.filter(course=course):
        picked = question.choices.filter(is_correct=right)
        answers[str(question.pk)] = [str(c.pk) for c in picked[: (None if right else 1)]]
    return answers


def post_data(answers: dict[str, list[str]]) -> dict[str, list[str]]:
    return {f"q-{qid}": choice_ids for qid, choice_ids in answers.items()}


def make_awarding_body(**fields) -> AwardingBody:
    n = next(_seq)
    return AwardingBody.objects.create(
        name=fields.pop("name", f"Awarding Body {n}"),
        purpose=fields.pop("purpose", "It registers learners and issues the qualification."),
        **fields,
    )
