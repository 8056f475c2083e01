"""Reading the studio, with its access checks: authors see every course (small providers write
their courses together); everyone else gets a 404. A draft row from another course is a 404."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from learnward.catalog.models import Course, CourseVersion, Lesson, Module
from learnward.core.access import staff_powers

from .models import CourseDraft, DraftLesson, DraftModule

AUTHOR_RULE = "studio.author_courses"
PUBLISH_RULE = "studio.publish_courses"


def is_author(user) -> bool:
    return staff_powers(user, AUTHOR_RULE)


def may_publish(user) -> bool:
    return staff_powers(user, AUTHOR_RULE) and staff_powers(user, PUBLISH_RULE)


def studio_courses(*, actor) -> QuerySet[Course]:
    """Every course, with its draft state, for the author's list."""
    if not is_author(actor):
        raise Http404
    drafts = CourseDraft.objects.all()
    return Course.objects.order_by("title").prefetch_related(
        Prefetch("studio_draft", queryset=drafts)
    )


def studio_course_get(*, actor, slug: str) -> Course:
    if not is_author(actor):
        raise Http404
    course = Course.objects.filter(slug=slug).first()
    if course is None:
        raise Http404("No such course")
    return course


def draft_module_get(*, course: Course, module_id: int) -> DraftModule:
    module = DraftModule.objects.filter(course=course, pk=module_id).first()
    if module is None:
        raise Http404("No such module in this course")
    return module


def draft_lesson_get(*, course: Course, lesson_id: int) -> DraftLesson:
    lesson = (
        DraftLesson.objects.select_related("module", "module__course")
        .filter(module__course=course, pk=lesson_id)
        .first()
    )
    if lesson is None:
        raise Http404("No such lesson in this course")
    return lesson


def draft_outline(*, course: Course) -> list[DraftModule]:
    """The draft's modules in order, each with its lessons in order (two queries)."""
    return list(
        DraftModule.objects.filter(course=course)
        .order_by("position", "id")
        .prefetch_related(
            Prefetch("lessons", queryset=DraftLesson.objects.order_by("position", "id"))
        )
    )


def draft_changes(*, course: Course, outline: list[DraftModule] | None = None) -> list[str]:
    """What publishing the draft would change for learners, one sentence each."""
    outline = outline if outline is not None else draft_outline(course=course)
    live_modules = list(Module.objects.live().filter(course=course).order_by("position", "id"))
    live_lessons = {
        lesson.pk: lesson
        for lesson in Lesson.objects.live()
        .filter(module__course=course, module__retired_at__isnull=True)
        .order_by("position", "id")
    }
    live_module_titles = {m.pk: m.title for m in live_modules}
    changes: list[str] = []
    drafted_modules = {m.live_id for m in outline if m.live_id}
    drafted_lessons = {
        lesson.live_id for m in outline for lesson in m.lessons.all() if lesson.live_id
    }
    for module in outline:
        if module.live_id not in live_module_titles:
            changes.append(_("Added module “%(title)s”.") % {"title": module.title})
        elif live_module_titles[module.live_id] != module.title:
            changes.append(
                _("Renamed module “%(old)s” to “%(new)s”.")
                % {"old": live_module_titles[module.live_id], "new": module.title}
            )
    for module in live_modules:
        if module.pk not in drafted_modules:
            changes.append(_("Removed module “%(title)s”.") % {"title": module.title})
    live_order = [m.pk for m in live_modules if m.pk in drafted_modules]
    draft_order = [m.live_id for m in outline if m.live_id in live_module_titles]
    if live_order != draft_order:
        changes.append(_("Changed the order of the modules."))
    for module in outline:
        draft_lesson_order = []
        for lesson in module.lessons.all():
            live = live_lessons.get(lesson.live_id)
            if live is None:
                changes.append(
                    _("Added lesson “%(title)s” to “%(module)s”.")
                    % {"title": lesson.title, "module": module.title}
                )
                continue
            if live.title != lesson.title:
                changes.append(
                    _("Renamed lesson “%(old)s” to “%(new)s”.")
                    % {"old": live.title, "new": lesson.title}
                )
            if (
                live.body_markdown != lesson.body_markdown
                or live.estimated_minutes != lesson.estimated_minutes
            ):
                changes.append(_("Edited lesson “%(title)s”.") % {"title": lesson.title})
            if live.module_id != module.live_id:
                changes.append(
                    _("Moved lesson “%(title)s” to “%(module)s”.")
                    % {"title": lesson.title, "module": module.title}
                )
            else:
                draft_lesson_order.append(live.pk)
        live_lesson_order = [
            pk
            for pk, live in live_lessons.items()
            if live.module_id == module.live_id and pk in draft_lesson_order
        ]
        if live_lesson_order != draft_lesson_order:
            changes.append(
                _("Changed the order of the lessons in “%(module)s”.") % {"module": module.title}
            )
    for pk, live in live_lessons.items():
        if pk not in drafted_lessons and live.module_id in drafted_modules:
            changes.append(_("Removed lesson “%(title)s”.") % {"title": live.title})
    return changes


def course_versions(*, course: Course) -> QuerySet[CourseVersion]:
    return CourseVersion.objects.filter(course=course).select_related("published_by")
