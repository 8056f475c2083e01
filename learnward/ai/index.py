"""Keeping lesson passages (and so the full-text index) in step with lessons.

Passages are derived data: rebuilding a lesson's passages from its Markdown is always safe. The
database's triggers (SQLite) or generated column (PostgreSQL) update the full-text index.
"""

from __future__ import annotations

from django.db import transaction

from .chunking import chunk_markdown
from .models import LessonPassage


def passages_rebuild_for_lesson(*, lesson) -> int:
    """Replace ``lesson``'s passages with fresh chunks of its body. Returns how many.

    A lesson retired by a publish (or in a retired module) has none: learners no longer see it,
    so the assistant must not quote it."""
    course_id = lesson.module.course_id
    retired = lesson.retired_at is not None or lesson.module.retired_at is not None
    chunks = [] if retired else chunk_markdown(lesson.body_markdown or "")
    with transaction.atomic():
        LessonPassage.objects.filter(lesson_id=lesson.pk).delete()
        LessonPassage.objects.bulk_create(
            LessonPassage(
                lesson_id=lesson.pk,
                course_id=course_id,
                position=position,
                title=lesson.title[:200],
                heading=chunk.heading[:300],
                text=chunk.text,
            )
            for position, chunk in enumerate(chunks)
        )
    return len(chunks)


def passages_move_module(*, module) -> int:
    """A module moved to another course: its lessons' passages follow it."""
    from learnward.catalog.models import Lesson

    lesson_ids = Lesson.objects.filter(module=module).values_list("pk", flat=True)
    return (
        LessonPassage.objects.filter(lesson_id__in=lesson_ids)
        .exclude(course_id=module.course_id)
        .update(course_id=module.course_id)
    )


def passages_rebuild_all(*, course=None) -> int:
    """Rebuild every lesson's passages (or one course's). Idempotent."""
    from learnward.catalog.models import Lesson

    lessons = Lesson.objects.select_related("module")
    if course is not None:
        lessons = lessons.filter(module__course=course)
    total = 0
    for lesson in lessons.iterator():
        total += passages_rebuild_for_lesson(lesson=lesson)
    return total
