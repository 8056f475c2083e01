"""Demo assessments, and the demo learner's journey through the demo courses (idempotent).

Each demo course's questions go into its bank's "Key facts" category, all drawn. The
Safeguarding course's bank also has an "Applying it" category (short answer, number, matching,
ordering) and a "Written answer" category with an essay marked against a rubric; its final
assessment draws two and one of those, and a practice quiz follows its first module. The demo
learner, who is part-way through Safeguarding, has submitted an attempt that is pending
marking, so the demo tutor (tutor@learnward.test) finds it in the marking queue.

This runs after catalog.demo and learning's app in INSTALLED_APPS order, so the courses exist.
The learner's progress goes through the real services: enrolment, lesson completion, an attempt
that passes, and so the completion and its certificate, exactly as on the site.
"""

from __future__ import annotations

from django.utils import timezone

from learnward.accounts.models import User
from learnward.catalog.demo_content import DEMO_COURSES, GDPR, SAFEGUARDING
from learnward.catalog.models import Course, Lesson
from learnward.learning.selectors import completed_lesson_ids, enrolment_for
from learnward.learning.services import enrolment_create, lesson_mark_complete

from .models import Assessment, Attempt, Choice, DrawRule, Question, QuestionCategory
from .services import attempt_start, attempt_submit

DEMO_LEARNER = "learner@learnward.test"
DEMO_LEARNER_PASSWORD = "tulip-harbour-42"  # noqa: S105 - a published demo login


def assessment_from_spec(course: Course, spec: dict) -> Assessment:
    """Create a course's assessment with its questions from a demo_content spec (once)."""
    assessment = Assessment.objects.filter(course=course).first()
    if assessment is not None:
        return assessment
    assessment = Assessment.objects.create(
        course=course,
        title=spec["title"],
        instructions=spec["instructions"],
        time_limit_minutes=spec["time_limit_minutes"],
    )
    category, _ = QuestionCategory.objects.get_or_create(
        course=course, name="Key facts", defaults={"position": 0}
    )
    for position, q in enumerate(spec["questions"]):
        question = Question.objects.create(
            course=course,
            category=category,
            position=position,
            kind=q["kind"],
            text=q["text"],
            explanation=q["explanation"],
            partial_credit=q.get("partial_credit", False),
        )
        Choice.objects.bulk_create(
            Choice(question=question, position=i, text=text, is_correct=correct)
            for i, (text, correct) in enumerate(q["choices"])
        )
    DrawRule.objects.create(assessment=assessment, category=category, count=len(spec["questions"]))
    return assessment


# (kind, text, explanation, fields, choices as (text, match_text, correct), rubric)
APPLYING_IT = [
    (
        "short",
        "What is the usual abbreviation for the designated safeguarding lead?",
        "The DSL: the person who receives and acts on safeguarding concerns.",
        {"match": "case_insensitive"},
        [("DSL", "", True), ("Designated safeguarding lead", "", True)],
        [],
    ),
    (
        "numeric",
        "Within how many hours at most should you pass an urgent concern to the DSL? "
        "(The same working day: give the number of hours in a day.)",
        "Concerns go to the DSL the same day; an emergency goes to the police first.",
        {"numeric_answer": 24, "numeric_tolerance": 0},
        [],
        [],
    ),
    (
        "matching",
        "Match each situation to what you do first.",
        "Immediate danger needs the emergency services; anything else goes to the DSL.",
        {"points": 3, "partial_credit": True},
        [
            ("A learner is in immediate danger", "Call 999", True),
            ("A learner discloses abuse", "Listen, then tell the DSL", True),
            ("You notice a worrying change in a learner", "Record it and tell the DSL", True),
        ],
        [],
    ),
    (
        "ordering",
        "Put the steps of handling a disclosure in order.",
        "Listen first, reassure, explain you must share it, then record and report.",
        {"points": 2, "partial_credit": True},
        [
            ("Listen without leading questions", "", True),
            ("Explain that you must share it to keep them safe", "", True),
            ("Write down what was said, in their words", "", True),
            ("Tell the DSL the same day", "", True),
        ],
        [],
    ),
]
ESSAY = (
    "A learner says a colleague has been messaging them late at night on social media. "
    "Explain what you would do and why.",
    "Good answers recognise a possible boundary breach, avoid investigating it themselves, "
    "record the facts and report to the DSL the same day.",
    [
        ("Recognises the concern and why it matters", 4),
        ("Says who to tell and when", 3),
        ("Records facts without investigating", 3),
    ],
)


def _category(course, name, position):
    return QuestionCategory.objects.get_or_create(
        course=course, name=name, defaults={"position": position}
    )[0]


def _safeguarding_bank(course: Course, assessment: Assessment) -> None:
    """The richer bank and draw of the Safeguarding course (once)."""
    from .models import RubricCriterion

    applying = _category(course, "Applying it", 1)
    written = _category(course, "Written answer", 2)
    if applying.questions.exists():
        return
    for position, (kind, text, explanation, fields, choices, _r) in enumerate(APPLYING_IT):
        question = Question.objects.create(
            course=course,
            category=applying,
            position=position,
            kind=kind,
            text=text,
            explanation=explanation,
            **fields,
        )
        Choice.objects.bulk_create(
            Choice(question=question, position=i, text=t, match_text=m, is_correct=c)
            for i, (t, m, c) in enumerate(choices)
        )
    text, explanation, rubric = ESSAY
    essay = Question.objects.create(
        course=course,
        category=written,
        kind=Question.Kind.ESSAY,
        text=text,
        explanation=explanation,
        points=sum(marks for _t, marks in rubric),
    )
    RubricCriterion.objects.bulk_create(
        RubricCriterion(question=essay, position=i, text=t, max_marks=marks)
        for i, (t, marks) in enumerate(rubric)
    )
    DrawRule.objects.get_or_create(assessment=assessment, category=applying, defaults={"count": 2})
    DrawRule.objects.get_or_create(assessment=assessment, category=written, defaults={"count": 1})
    assessment.shuffle_questions = assessment.shuffle_choices = True
    assessment.save(update_fields=["shuffle_questions", "shuffle_choices"])
    module = course.modules.live().order_by("position").first()
    if module is not None and not Assessment.objects.filter(module=module).exists():
        quiz = Assessment.objects.create(module=module, title=f"Quiz: {module.title}")
        DrawRule.objects.create(assessment=quiz, category=applying, count=2)


def _demo_answers(attempt: Attempt) -> dict[str, list[str]]:
    """Right answers to the drawn questions, and an essay."""
    from .selectors import attempt_questions

    answers: dict[str, list[str]] = {}
    for question, choices in attempt_questions(attempt=attempt):
        key = str(question.pk)
        if question.uses_choices:
            answers[key] = [str(c.pk) for c in choices if c.is_correct]
        elif question.kind == Question.Kind.SHORT:
            answers[key] = [choices[0].text]
        elif question.kind == Question.Kind.NUMERIC:
            answers[key] = [str(question.numeric_answer)]
        elif question.kind == Question.Kind.ESSAY:
            answers[key] = [
                "I would not try to find out more myself. I would thank the learner for "
                "telling me, write down what they said in their words, and tell the DSL the "
                "same day, because a colleague contacting a learner privately late at night "
                "may be a breach of professional boundaries."
            ]
        elif question.kind == Question.Kind.MATCHING:
            answers.update({f"{key}-{c.pk}": [str(c.pk)] for c in choices})
        else:
            ordered = sorted(choices, key=lambda c: (c.position, c.pk))
            answers.update({f"{key}-{c.pk}": [str(i)] for i, c in enumerate(ordered, 1)})
    return answers


def _lessons(course: Course) -> list[Lesson]:
    return list(
        Lesson.objects.filter(module__course=course).order_by("module__position", "position")
    )


def _learner_journey(learner: User) -> None:
    completed = Course.objects.get(slug=GDPR["slug"])
    in_progress = Course.objects.get(slug=SAFEGUARDING["slug"])
    enrolment = enrolment_for(user=learner, course=completed)
    if enrolment is None or enrolment.completion is None:
        enrolment_create(user=learner, course=completed)
        done = completed_lesson_ids(user=learner, course=completed)
        for lesson in _lessons(completed):
            if lesson.pk not in done:
                lesson_mark_complete(user=learner, lesson=lesson)
        assessment = completed.assessment
        if not Attempt.objects.filter(user=learner, assessment=assessment, passed=True).exists():
            attempt = attempt_start(user=learner, assessment=assessment)
            attempt_submit(attempt=attempt, actor=learner, answers=_demo_answers(attempt))
    if enrolment_for(user=learner, course=in_progress) is None:
        enrolment_create(user=learner, course=in_progress)
        for lesson in _lessons(in_progress)[:2]:
            lesson_mark_complete(user=learner, lesson=lesson)
    assessment = in_progress.assessment
    if not Attempt.objects.filter(user=learner, assessment=assessment).exists():
        # Submitted with an essay: pending marking, in the demo tutor's queue.
        attempt = attempt_start(user=learner, assessment=assessment)
        attempt_submit(attempt=attempt, actor=learner, answers=_demo_answers(attempt))


def load(result: dict) -> None:
    for spec in DEMO_COURSES:
        course = Course.objects.filter(slug=spec["slug"]).first()
        if course is not None:
            assessment = assessment_from_spec(course, spec["assessment"])
            if spec is SAFEGUARDING:
                _safeguarding_bank(course, assessment)
    learner = User.objects.filter(email__iexact=DEMO_LEARNER).first()
    if learner is None:
        # accounts.demo normally creates the demo learner; stand in only if it did not.
        learner = User.objects.create_user(
            DEMO_LEARNER,
            DEMO_LEARNER_PASSWORD,
            display_name="Alex Learner",
            email_verified_at=timezone.now(),
        )
        result["users"].append(
            {"email": DEMO_LEARNER, "password": DEMO_LEARNER_PASSWORD, "roles": []}
        )
    _learner_journey(learner)
