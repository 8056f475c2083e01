"""A course's picture: the address its card and page show, or None for the placeholder.

The media library's files are served by the media app (``media_files:file``, at
/media-files/<id>/, public for a published course's own picture); the catalog only asks for the
address, so a site without that app shows the placeholder instead of a broken image.
"""

from __future__ import annotations

from django.apps import apps
from django.urls import NoReverseMatch, reverse

MEDIA_APP = "learnward.media"


def course_image_url(course) -> str | None:
    """The URL of ``course``'s image, or None when it has none (no image, not an image, no file)
    or when the media app that serves it is not installed."""
    item = getattr(course, "image", None) if course.image_id else None
    if item is None or item.kind != "image" or not item.file:
        return None
    if not apps.is_installed(MEDIA_APP):
        return None
    try:
        return reverse("media_files:file", kwargs={"pk": item.pk})
    except NoReverseMatch:
        return None


def course_image_alt(course) -> str:
    """The image's text alternative; empty (decorative) when its author gave none, since the
    card's title already names the course."""
    item = getattr(course, "image", None) if course.image_id else None
    return item.alt_text if item is not None else ""
