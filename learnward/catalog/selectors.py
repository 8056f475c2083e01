"""Reading courses. Drafts are visible only to staff who may view courses (preview)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from learnward.core.access import staff_powers

from .models import AwardingBody, Course, Lesson, Module


def can_preview_drafts(user) -> bool:
    """Staff who may view courses, in a session that passed two-factor (``core.access``)."""
    return staff_powers(user, "catalog.view_course")


def with_card_details(queryset: QuerySet[Course]) -> QuerySet[Course]:
    """Courses as their cards show them: the image and awarding body joined, and
    ``total_minutes``, the sum of the live lessons' estimated minutes (None when no lesson has an
    estimate). One query."""
    live = Q(modules__retired_at__isnull=True, modules__lessons__retired_at__isnull=True)
    return queryset.select_related("awarding_body", "image").annotate(
        total_minutes=Sum("modules__lessons__estimated_minutes", filter=live)
    )


def course_list_published(*, language: str = "") -> QuerySet[Course]:
    """Published courses, optionally only those taught in ``language``."""
    courses = Course.objects.filter(published=True)
    if language:
        courses = courses.filter(language=language)
    return with_card_details(courses).order_by("title")


def course_languages_published() -> list[str]:
    """The languages published courses are taught in, in the site's order (the filter's options)."""
    used = set(Course.objects.filter(published=True).values_list("language", flat=True))
    return [code for code, _ in settings.LANGUAGES if code in used]


def course_get_visible(*, slug: str, viewer=None) -> Course:
    """A published course, or a draft for staff previewing it; anything else is a 404."""
    # The assessment (a reverse one-to-one) comes in the same query: every course page shows it.
    course = (
        Course.objects.select_related("awarding_body", "assessment", "image")
        .filter(slug=slug)
        .first()
    )
    if course is None or not (course.published or can_preview_drafts(viewer)):
        raise Http404("No such course")
    return course


@dataclass(frozen=True)
class Outline:
    """A course's modules, each with its lessons, in order; two queries whatever the size."""

    modules: list[Module]

    @property
    def lessons(self) -> list[Lesson]:
        return [lesson for module in self.modules for lesson in module.lesson_list]

    @property
    def lesson_count(self) -> int:
        return sum(len(m.lesson_list) for m in self.modules)

    @property
    def total_minutes(self) -> int:
        """The lessons' estimated minutes added up (lessons without an estimate count 0)."""
        return sum(lesson.estimated_minutes or 0 for lesson in self.lessons)

    def index_of(self, lesson_id: int) -> int:
        for index, lesson in enumerate(self.lessons):
            if lesson.pk == lesson_id:
                return index
        raise Http404("No such lesson")

    def neighbours(self, lesson_id: int) -> tuple[Lesson | None, Lesson | None]:
        lessons = self.lessons
        index = self.index_of(lesson_id)
        previous = lessons[index - 1] if index > 0 else None
        following = lessons[index + 1] if index + 1 < len(lessons) else None
        return previous, following


def course_outline(*, course: Course) -> Outline:
    # Titles only: a course page never needs every lesson body.
    lessons = Lesson.objects.live().only(
        "id", "module_id", "title", "position", "estimated_minutes"
    )
    modules = list(
        Module.objects.live()
        .filter(course=course)
        .prefetch_related(Prefetch("lessons", queryset=lessons, to_attr="lesson_list"))
    )
    return Outline(modules=modules)


def lesson_get_in_course(*, course: Course, lesson_id: int) -> Lesson:
    lesson = (
        Lesson.objects.live()
        .select_related("module")
        .filter(pk=lesson_id, module__course=course)
        .first()
    )
    if lesson is None:
        raise Http404("No such lesson")
    return lesson


def awarding_body_recipients() -> list[str]:
    """Recipients for the privacy notice: each awarding body named on a published course."""
    bodies = AwardingBody.objects.filter(courses__published=True).distinct().order_by("name")
    return [
        _("%(name)s (awarding body): %(purpose)s") % {"name": body.name, "purpose": body.purpose}
        for body in bodies
    ]
