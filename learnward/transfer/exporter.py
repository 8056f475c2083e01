"""Writing a course to one zip file: ``course.json``, the lessons as Markdown, the media files.

The format (``"format": "learnward-course", "version": 1``) is documented in docs/courses.md,
"Import and export". The export reads what learners see: the live modules and lessons (never the
studio's drafts, never retired rows), the course's media library, its question bank (categories
and the questions in use), the final assessment and the module quizzes with their draws.
People are never exported: no tutors, no uploader, no learners' attempts.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from typing import BinaryIO

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from learnward.assessments.models import (
    Assessment,
    Choice,
    Question,
    QuestionCategory,
    RubricCriterion,
)
from learnward.catalog.models import REGISTRATION_FIELDS, Course, Lesson, MediaItem, Module
from learnward.core.errors import ApplicationError

# A media reference in lesson Markdown: ![alt](media:12), [Title](media:13) or a reference
# definition "[x]: media:14"; the same pattern as learnward.media.selectors.media_used_in (a test
# holds them together), so what is rewritten on import is exactly what renders as media.
MEDIA_REFERENCE = re.compile(
    r"((?:\]\(\s*<?|^\s{0,3}\[[^\]\n]+\]:\s*<?)media:)(\d+)\b", re.MULTILINE
)

FORMAT = "learnward-course"
VERSION = 1

COURSE_FIELDS = (
    "title",
    "slug",
    "summary",
    "description",
    "cpd_hours",
    "course_type",
    "pass_mark",
    "certificate_validity_months",
    "max_attempts",
    "entry_requirements",
    "certificate_layout",
    "accreditation_number",
    "tutors_see_registration",
)
MEDIA_FIELDS = (
    "kind",
    "title",
    "content_type",
    "size",
    "width",
    "height",
    "duration_seconds",
    "alt_text",
    "transcript",
    "embed_url",
    "shows_people",
)


class CourseExportError(ApplicationError):
    """The course cannot be exported as it stands; ``message`` says what to fix."""


def _read_stored(field, what: str) -> bytes:
    try:
        with field.storage.open(field.name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError) as exc:
        raise CourseExportError(
            _(
                "The file of %(what)s is missing from storage: replace it or delete the item in the media library, then export again."
            )
            % {"what": what}
        ) from exc


def lesson_file_names(count: int, titles: list[str]) -> list[str]:
    width = max(2, len(str(count)))
    return [
        f"lessons/{n:0{width}d}-{(slugify(title)[:50].strip('-') or 'lesson')}.md"
        for n, title in enumerate(titles, start=1)
    ]


def _question(question: Question) -> dict:
    return {
        "kind": question.kind,
        "text": question.text,
        "explanation": question.explanation,
        "points": question.points,
        "partial_credit": question.partial_credit,
        "match": question.match,
        "numeric_answer": None if question.numeric_answer is None else str(question.numeric_answer),
        "numeric_tolerance": str(question.numeric_tolerance),
        "choices": [
            {"text": c.text, "match_text": c.match_text, "correct": c.is_correct}
            for c in question.choices.all()
        ],
        "criteria": [{"text": c.text, "max_marks": c.max_marks} for c in question.criteria.all()],
    }


def _question_bank(course: Course) -> list[dict]:
    """The bank's categories, each with its questions in use (retired ones are kept on this
    site with the attempts that drew them, and never drawn again: they do not travel)."""
    categories = []
    questions = (
        Question.objects.filter(course=course, retired_at__isnull=True)
        .order_by("position", "id")
        .prefetch_related(
            Prefetch("choices", Choice.objects.order_by("position", "id")),
            Prefetch("criteria", RubricCriterion.objects.order_by("position", "id")),
        )
    )
    by_category: dict[int, list[dict]] = {}
    for question in questions:
        by_category.setdefault(question.category_id, []).append(_question(question))
    for category in QuestionCategory.objects.filter(course=course).order_by("position", "id"):
        categories.append({"name": category.name, "questions": by_category.get(category.pk, [])})
    return categories


def _assessment(assessment: Assessment) -> dict:
    return {
        "title": assessment.title,
        "instructions": assessment.instructions,
        "time_limit_minutes": assessment.time_limit_minutes,
        "shuffle_questions": assessment.shuffle_questions,
        "shuffle_choices": assessment.shuffle_choices,
        "second_marking": assessment.second_marking,
        "draw": [
            {"category": rule.category.name, "count": rule.count}
            for rule in assessment.rules.select_related("category").order_by(
                "category__position", "category_id"
            )
        ],
    }


def build(course: Course) -> tuple[dict, dict[str, bytes]]:
    """``course.json``'s content and the other files by their names in the zip."""
    files: dict[str, bytes] = {}
    data: dict = {"format": FORMAT, "version": VERSION}
    data["exported_at"] = timezone.now().isoformat(timespec="seconds")
    settings_ = {name: getattr(course, name) for name in COURSE_FIELDS}
    settings_["cpd_hours"] = str(course.cpd_hours)
    settings_["registration"] = {
        name: getattr(course, f"{name}_requirement") for name in REGISTRATION_FIELDS
    }
    body = course.awarding_body
    settings_["awarding_body"] = (
        {"name": body.name, "purpose": body.purpose, "website": body.website} if body else None
    )
    # Another course cannot travel with this one: only "renews itself" is kept.
    settings_["renews_itself"] = course.renewal_course_id == course.pk
    # The course picture travels if it is in the course's own library (the file holds no other).
    settings_["image"] = (
        course.image_id
        if course.image_id and MediaItem.objects.filter(pk=course.image_id, course=course).exists()
        else None
    )
    data["course"] = settings_

    media = []
    for item in MediaItem.objects.filter(course=course).order_by("uploaded_at", "id"):
        entry = {"id": item.pk, **{name: getattr(item, name) for name in MEDIA_FIELDS}}
        if item.duration_seconds is not None:
            entry["duration_seconds"] = str(item.duration_seconds)
        entry["file"] = None
        entry["sha256"] = ""
        entry["captions"] = None
        if item.file:
            content = _read_stored(
                item.file, _("the media item “%(title)s”") % {"title": item.title}
            )
            digest = hashlib.sha256(content).hexdigest()
            extension = item.file.name.rsplit(".", 1)[-1].lower() if "." in item.file.name else ""
            name = f"media/{digest}.{extension or 'bin'}"
            files[name] = content
            entry.update(file=name, sha256=digest, size=len(content))
        if item.captions:
            content = _read_stored(
                item.captions, _("the captions of “%(title)s”") % {"title": item.title}
            )
            digest = hashlib.sha256(content).hexdigest()
            name = f"media/{digest}.vtt"
            files[name] = content
            entry["captions"] = {"file": name, "sha256": digest}
        media.append(entry)

    exported_ids = {entry["id"] for entry in media}
    modules = []
    live_modules = list(Module.objects.live().filter(course=course).order_by("position", "id"))
    lessons_by_module = {
        module.pk: list(Lesson.objects.live().filter(module=module).order_by("position", "id"))
        for module in live_modules
    }
    all_lessons = [lesson for m in live_modules for lesson in lessons_by_module[m.pk]]
    names = iter(lesson_file_names(len(all_lessons), [lesson.title for lesson in all_lessons]))
    for module in live_modules:
        lessons = []
        for lesson in lessons_by_module[module.pk]:
            for _whole, reference in MEDIA_REFERENCE.findall(lesson.body_markdown):
                if int(reference) not in exported_ids:
                    raise CourseExportError(
                        _(
                            "The lesson “%(title)s” shows media:%(reference)s, which is not in this course's media library: replace it with one of the course's own items (or remove it) and publish, then export again."
                        )
                        % {"title": lesson.title, "reference": reference}
                    )
            name = next(names)
            files[name] = lesson.body_markdown.encode("utf-8")
            lessons.append(
                {
                    "title": lesson.title,
                    "estimated_minutes": lesson.estimated_minutes,
                    "file": name,
                    "sha256": hashlib.sha256(files[name]).hexdigest(),
                }
            )
        modules.append({"title": module.title, "lessons": lessons})
    data["modules"] = modules
    data["media"] = media
    data["question_bank"] = {"categories": _question_bank(course)}
    final = Assessment.objects.filter(course=course).first()
    data["assessment"] = _assessment(final) if final is not None else None
    quizzes = []
    for index, module in enumerate(live_modules):
        quiz = Assessment.objects.filter(module=module).first()
        if quiz is not None:
            quizzes.append({"module": index, **_assessment(quiz)})
    data["quizzes"] = quizzes
    return data, files


def write(course: Course, out: BinaryIO) -> dict:
    """Write the course's zip to ``out``; returns the counts, for the audit entry."""
    data, files = build(course)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("course.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        for name, content in files.items():
            # Media is already compressed; deflating it again costs time and saves nothing.
            method = zipfile.ZIP_STORED if name.startswith("media/") else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=method)
    return {
        "modules": len(data["modules"]),
        "lessons": sum(len(m["lessons"]) for m in data["modules"]),
        "media": len(data["media"]),
        "questions": sum(len(c["questions"]) for c in data["question_bank"]["categories"]),
    }
