"""Reads for course import and export, with the access check: staff with the
``transfer.transfer_courses`` permission (the "Course author" role) see every course (small
providers: authors work on all of them); anyone else sees none."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from learnward.assessments.models import Assessment, Question, QuestionCategory
from learnward.catalog.models import Course, Lesson, MediaItem, Module
from learnward.core.access import staff_powers

TRANSFER_COURSES = "transfer.transfer_courses"


def may_transfer(actor) -> bool:
    return staff_powers(actor, TRANSFER_COURSES)


def transfer_courses(*, actor) -> QuerySet[Course]:
    """Every course, for an author; nothing for anyone else."""
    if not may_transfer(actor):
        return Course.objects.none()
    return Course.objects.order_by("title", "id")


def transfer_course(*, actor, slug: str) -> Course | None:
    """The course with ``slug``, if ``actor`` may export it; else None (a 404 for the page)."""
    return transfer_courses(actor=actor).filter(slug=slug).first()


@dataclass
class ExportSummary:
    modules: list[tuple[Module, list[Lesson]]]
    media_by_kind: list[tuple[str, int]]
    questions: int
    categories: int
    quizzes: int
    has_assessment: bool

    @property
    def lesson_count(self) -> int:
        return sum(len(lessons) for _, lessons in self.modules)


def export_summary(*, course: Course) -> ExportSummary:
    """What an export of ``course`` holds: its live outline, media and questions."""
    modules = list(Module.objects.live().filter(course=course).order_by("position", "id"))
    lessons: dict[int, list[Lesson]] = {m.pk: [] for m in modules}
    for lesson in Lesson.objects.live().filter(module__in=modules).order_by("position", "id"):
        lessons[lesson.module_id].append(lesson)
    labels = dict(MediaItem.Kind.choices)
    counts = (
        MediaItem.objects.filter(course=course)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by("kind")
    )
    return ExportSummary(
        modules=[(m, lessons[m.pk]) for m in modules],
        media_by_kind=[(labels.get(row["kind"], row["kind"]), row["n"]) for row in counts],
        questions=Question.objects.filter(course=course, retired_at__isnull=True).count(),
        categories=QuestionCategory.objects.filter(course=course).count(),
        quizzes=Assessment.objects.filter(module__in=modules).count(),
        has_assessment=Assessment.objects.filter(course=course).exists(),
    )
