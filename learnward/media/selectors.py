"""Reading the media library, with the access checks.

- Authors (and administrators) with the ``catalog.change_mediaitem`` permission manage every
  course's library in the studio (small providers: every author works on every course).
- A stored file is served to: anyone, for the image of a published course (it is on the public
  catalog); people who may read the course's lessons (its enrolled learners); and staff who may
  view courses or media. Anyone else gets a 404, as if it did not exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.http import Http404
from django.utils.translation import gettext as _

from learnward.catalog.models import Course, Lesson, MediaItem
from learnward.catalog.selectors import can_preview_drafts
from learnward.core.access import staff_powers
from learnward.learning.selectors import enrolment_active

MANAGE_PERMISSION = "catalog.change_mediaitem"

# media:<id> as a link or image target in Markdown: ](media:12), ](<media:12>), [ref]: media:12
_REFERENCE = re.compile(r"(?:\]\(\s*<?|^\s{0,3}\[[^\]\n]+\]:\s*<?)media:(\d+)\b", re.MULTILINE)


def media_used_in(markdown_texts: Iterable[str]) -> set[int]:
    """The ids of the media items that these Markdown texts refer to (``media:<id>``)."""
    found: set[int] = set()
    for text in markdown_texts:
        found.update(int(m.group(1)) for m in _REFERENCE.finditer(text or ""))
    return found


def can_manage_media(user) -> bool:
    return staff_powers(user, MANAGE_PERMISSION)


def media_library_course(*, actor, slug: str) -> Course:
    """The course whose library ``actor`` opens in the studio; a 404 for anyone else."""
    if not can_manage_media(actor):
        raise Http404("No such course")
    course = Course.objects.filter(slug=slug).first()
    if course is None:
        raise Http404("No such course")
    return course


def media_for_course(*, actor, course: Course):
    if not can_manage_media(actor):
        raise Http404("No such course")
    return MediaItem.objects.filter(course=course).order_by("-uploaded_at", "-id")


def media_get(*, actor, course: Course, pk: int) -> MediaItem:
    """An item of ``course``'s library; another course's item is a 404."""
    if not can_manage_media(actor):
        raise Http404("No such item")
    item = MediaItem.objects.filter(course=course, pk=pk).first()
    if item is None:
        raise Http404("No such item")
    return item


def media_readable_by(*, item: MediaItem, viewer) -> bool:
    course = item.course
    if course.published and course.image_id == item.pk:
        return True
    if not getattr(viewer, "is_authenticated", False):
        return False
    if can_preview_drafts(viewer) or staff_powers(viewer, "catalog.view_mediaitem"):
        return True
    return course.published and enrolment_active(user=viewer, course=course) is not None


def media_for_viewer(*, viewer, pk: int) -> MediaItem:
    """The item behind a served file, if ``viewer`` may see it; a 404 otherwise."""
    item = MediaItem.objects.select_related("course").filter(pk=pk).first()
    if item is None or not item.file or not media_readable_by(item=item, viewer=viewer):
        raise Http404("No such file")
    return item


# --- Where an item is used ------------------------------------------------------------------------


@dataclass(frozen=True)
class Use:
    place: str  # "Module 1 › Lesson title"
    state: str  # "Published" or "Draft"
    published: bool


def _live_lessons(course: Course):
    return (
        Lesson.objects.live()
        .filter(module__course=course, module__retired_at__isnull=True)
        .select_related("module")
        .order_by("module__position", "module_id", "position", "id")
    )


def _draft_lessons(course: Course) -> list:
    """The studio's draft lessons of ``course``, when the studio app is installed (the media
    app does not import it: the studio is above it)."""
    if not apps.is_installed("learnward.studio"):
        return []
    try:
        model = apps.get_model("studio", "DraftLesson")
    except LookupError:
        return []
    names = {f.name for f in model._meta.get_fields()}
    if "course" in names:
        rows = model.objects.filter(course=course)
    elif "module" in names:
        rows = model.objects.filter(module__course=course)
    else:
        return []
    return list(rows)


def media_uses(*, item: MediaItem) -> list[Use]:
    """Where ``item`` is used: the course's image, live lessons, and the studio's drafts."""
    uses: list[Use] = []
    course = item.course
    if course.image_id == item.pk:
        uses.append(
            Use(
                _("The course's picture"),
                _("Published") if course.published else _("Draft"),
                course.published,
            )
        )
    for lesson in _live_lessons(course):
        if item.pk in media_used_in([lesson.body_markdown]):
            uses.append(Use(f"{lesson.module.title} › {lesson.title}", _("Published"), True))
    for draft in _draft_lessons(course):
        if item.pk in media_used_in([getattr(draft, "body_markdown", "")]):
            module = getattr(draft, "module", None)
            title = getattr(draft, "title", "") or _("Lesson")
            place = f"{module.title} › {title}" if module is not None else title
            uses.append(Use(place, _("Draft"), False))
    return uses


def media_used_by_published(*, item: MediaItem) -> list[Use]:
    return [use for use in media_uses(item=item) if use.published]
