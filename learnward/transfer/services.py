"""Exporting a course to one file, importing one as a new unpublished course, duplicating one.

- :func:`course_export` writes the zip (see :mod:`learnward.transfer.exporter`) and audits it.
- :func:`course_import` checks the whole file first (:mod:`.archive`, :mod:`.reader`), then
  stores it in one transaction: a new course, unpublished, with a slug no other course has; its
  media library (files through Django's storage API); its modules and lessons, whose
  ``media:<id>`` references are rewritten to the new items' ids; its question bank, final
  assessment and module quizzes. If anything
  fails, nothing is kept: the transaction rolls back and the files already stored are deleted.
- :func:`duplicate_course` is an export and an import in memory, so a copy is exactly what a
  round trip through a file would give.

The imported course has no drafts: the studio makes them from the live rows when it is opened.
"""

from __future__ import annotations

import io
import logging
import re
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from learnward.assessments.models import (
    Assessment,
    Choice,
    DrawRule,
    Question,
    QuestionCategory,
    RubricCriterion,
)
from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.catalog.models import AwardingBody, Course, Lesson, MediaItem, Module

from . import exporter
from .archive import CourseImportRefused, Limits, open_course_file
from .exporter import CourseExportError
from .reader import MEDIA_REFERENCE, AssessmentPlan, Plan, read_course

logger = logging.getLogger(__name__)

__all__ = [
    "CourseExportError",
    "CourseImportRefused",
    "course_export",
    "course_import",
    "duplicate_course",
]

# A duplicate copies a course already on this site: the upload limits do not apply to it.
_NO_LIMITS = Limits(max_bytes=2**62, max_file_bytes=2**62, max_entries=2**31, max_ratio=2**31)


def export_file_name(course: Course) -> str:
    return f"{course.slug}-{timezone.localdate().isoformat()}.learnward-course.zip"


def course_export(*, course: Course, by, out: BinaryIO) -> dict:
    """Write ``course`` as one zip to ``out``; audited. Returns the counts written."""
    counts = exporter.write(course, out)
    audit_record(action=Action.TRANSFER_EXPORTED, actor=by, target=course, payload=counts)
    return counts


def unique_slug(base: str) -> str:
    base = (slugify(base)[:90].strip("-")) or "course"
    taken = set(Course.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _rewrite(markdown: str, ids: dict[int, int]) -> str:
    return MEDIA_REFERENCE.sub(lambda m: f"{m.group(1)}{ids[int(m.group(2))]}", markdown)


def _awarding_body(details: dict | None) -> AwardingBody | None:
    if details is None:
        return None
    body = AwardingBody.objects.filter(name=details["name"]).first()
    if body is None:
        body = AwardingBody.objects.create(**details)
    return body


def _validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        parts = [
            f"{name.replace('_', ' ')}: {' '.join(messages)}"
            for name, messages in exc.message_dict.items()
        ]
        return "; ".join(parts)
    return " ".join(exc.messages)


def _store(plan: Plan, *, by, title: str | None, stored: list[str]) -> tuple[Course, dict]:
    fields = dict(plan.course)
    if title:
        # A new title names the new course's address too.
        fields["title"] = title[: Course._meta.get_field("title").max_length]
        fields["slug"] = ""
    fields["slug"] = unique_slug(fields["slug"] or fields["title"])
    course = Course(
        **fields,
        published=False,
        version=0,
        awarding_body=_awarding_body(plan.awarding_body),
    )
    try:
        course.full_clean(exclude=["renewal_course", "image", "awarding_body", "tutors"])
    except ValidationError as exc:
        raise CourseImportRefused(
            _("The course's settings are not valid here: %(details)s")
            % {"details": _validation_message(exc)}
        ) from exc
    course.save()

    now = timezone.now()
    ids: dict[int, int] = {}
    for media in plan.media:
        item = MediaItem(course=course, uploaded_by=by, uploaded_at=now, **media.fields)
        if media.data:
            item.file.save(f"import.{media.extension}", ContentFile(media.data), save=False)
            stored.append(item.file.name)
        if media.captions:
            item.captions.save("captions.vtt", ContentFile(media.captions), save=False)
            stored.append(item.captions.name)
        item.save()
        ids[media.old_id] = item.pk

    modules = []
    for m_position, module_plan in enumerate(plan.modules):
        module = Module.objects.create(course=course, title=module_plan.title, position=m_position)
        modules.append(module)
        Lesson.objects.bulk_create(
            Lesson(
                module=module,
                title=lesson.title,
                position=l_position,
                estimated_minutes=lesson.estimated_minutes,
                body_markdown=_rewrite(lesson.markdown, ids),
            )
            for l_position, lesson in enumerate(module_plan.lessons)
        )

    _store_questions(plan, course, modules)

    update = []
    if plan.image is not None:
        course.image_id = ids[plan.image]
        update.append("image")
    if plan.renews_itself:
        course.renewal_course = course
        update.append("renewal_course")
    if update:
        course.save(update_fields=update)
    counts = {
        "modules": len(plan.modules),
        "lessons": plan.lesson_count,
        "media": len(plan.media),
        "questions": plan.question_count,
    }
    return course, counts


def _store_questions(plan: Plan, course: Course, modules: list[Module]) -> None:
    """The question bank, then the final assessment and the module quizzes drawing from it."""
    categories: dict[str, QuestionCategory] = {}
    for c_position, category_plan in enumerate(plan.categories, start=1):
        category = QuestionCategory.objects.create(
            course=course, name=category_plan.name, position=c_position
        )
        categories[category.name] = category
        for q_position, question_plan in enumerate(category_plan.questions, start=1):
            question = Question.objects.create(
                course=course, category=category, position=q_position, **question_plan.fields
            )
            Choice.objects.bulk_create(
                Choice(question=question, position=i, **choice)
                for i, choice in enumerate(question_plan.choices)
            )
            RubricCriterion.objects.bulk_create(
                RubricCriterion(question=question, position=i, **criterion)
                for i, criterion in enumerate(question_plan.criteria)
            )

    def add(assessment_plan: AssessmentPlan, **owner) -> None:
        assessment = Assessment.objects.create(**owner, **assessment_plan.fields)
        DrawRule.objects.bulk_create(
            DrawRule(assessment=assessment, category=categories[name], count=count)
            for name, count in assessment_plan.draw
        )

    if plan.assessment is not None:
        add(plan.assessment, course=course)
    for module_index, quiz in plan.quizzes:
        add(quiz, module=modules[module_index])


def _import(plan: Plan, *, by, title: str | None, action: Action, payload: dict) -> Course:
    stored: list[str] = []
    try:
        with transaction.atomic():
            course, counts = _store(plan, by=by, title=title, stored=stored)
            audit_record(action=action, actor=by, target=course, payload={**payload, **counts})
    except BaseException:
        from django.core.files.storage import default_storage

        for name in stored:
            try:
                default_storage.delete(name)
            except OSError:  # pragma: no cover - storage unreachable; logged, not hidden
                logger.exception("transfer: could not delete a file of a failed import")
        raise
    return course


def course_import(*, upload: BinaryIO, by, title: str | None = None) -> Course:
    """Import a course file as a new unpublished course; :class:`CourseImportRefused` says why
    not, and then nothing is stored."""
    archive = open_course_file(upload)
    plan = read_course(archive)
    return _import(plan, by=by, title=title, action=Action.TRANSFER_IMPORTED, payload={})


def duplicate_course(*, course: Course, by, title: str | None = None) -> Course:
    """A new unpublished copy of ``course``'s live content, media and assessment, titled
    ``title`` (default: "<title> (copy)")."""
    buffer = io.BytesIO()
    exporter.write(course, buffer)
    plan = read_course(open_course_file(buffer, _NO_LIMITS))
    title = title or re.sub(r"\s+", " ", f"{course.title} (copy)")
    return _import(
        plan,
        by=by,
        title=title,
        action=Action.TRANSFER_DUPLICATED,
        payload={"from_course": course.pk},
    )
