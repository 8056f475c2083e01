"""Writing the media library: upload, details, captions, embeds, replace and delete.

Every upload is checked by content first (``checks``); only what passed is stored, through
Django's default storage (local files, or the S3 bucket in production). When saving the row
fails, the stored bytes are removed again, and files an item no longer uses are removed once the
change has committed. So a refused upload stores nothing, and no change leaves orphans behind.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learnward.catalog.models import Course, MediaItem
from learnward.privacy.consent.cookies import forget_cookie_register

from . import checks
from .checks import MediaRejected
from .embeds import embed_url_for
from .selectors import media_used_by_published, media_used_in

__all__ = [
    "MediaRejected",
    "media_captions_set",
    "media_delete",
    "media_details_update",
    "media_embed_add",
    "media_publish_problems",
    "media_replace",
    "media_upload",
]

UNTITLED = {
    "image": gettext_lazy("Untitled image"),
    "video": gettext_lazy("Untitled video"),
    "file": gettext_lazy("Untitled file"),
    "embed": gettext_lazy("Untitled embedded video"),
}
PEOPLE_PERMISSION = gettext_lazy(
    "You ticked that this shows people who could be identified: confirm that you have their "
    "permission to use it in the course."
)


def _store(field, checked: checks.Checked, upload) -> None:
    if checked.content is not None:
        content = ContentFile(checked.content)
    else:
        upload.seek(0)
        content = upload
    field.save(f"upload.{checked.extension}", content, save=False)


def _remove_later(storage, *names: str) -> None:
    names = tuple(n for n in names if n)

    def remove() -> None:
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(remove)


def _people(shows_people: bool, people_permission: bool) -> None:
    if shows_people and not people_permission:
        raise MediaRejected(str(PEOPLE_PERMISSION))


def _apply(item: MediaItem, checked: checks.Checked) -> None:
    item.content_type = checked.content_type
    item.size = checked.size
    item.sha256 = checked.sha256
    item.width = checked.width
    item.height = checked.height
    item.duration_seconds = checked.duration_seconds


def media_upload(
    *,
    course: Course,
    by,
    kind: str,
    upload,
    title: str = "",
    alt_text: str = "",
    transcript: str = "",
    captions=None,
    shows_people: bool = False,
    people_permission: bool = False,
) -> MediaItem:
    """Check ``upload`` as a ``kind`` ("image", "video" or "file") and add it to ``course``'s
    library. A video may come with its caption file at once."""
    if kind not in checks.INSPECTORS:
        raise MediaRejected(_("Choose whether this is an image, a video or a file to download."))
    _people(shows_people, people_permission)
    checked = checks.INSPECTORS[kind](upload)
    checked_captions = checks.inspect_captions(captions) if captions else None
    item = MediaItem(
        course=course,
        kind=kind,
        title=(title or "").strip()[:200] or _default_title(upload, kind),
        alt_text=(alt_text or "").strip()[:500] if kind == "image" else "",
        transcript=(transcript or "").strip() if kind == "video" else "",
        shows_people=shows_people,
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    _apply(item, checked)
    try:
        with transaction.atomic():
            _store(item.file, checked, upload)
            if checked_captions is not None:
                _store(item.captions, checked_captions, captions)
            item.save()
    except BaseException:
        for stored in (item.file, item.captions):
            if stored:
                stored.storage.delete(stored.name)
        raise
    return item


def _default_title(upload, kind: str) -> str:
    from pathlib import PurePosixPath

    stem = PurePosixPath(getattr(upload, "name", "") or "").stem.replace("_", " ").strip()
    return stem[:200] or str(UNTITLED[kind])


def media_details_update(
    *,
    item: MediaItem,
    by,
    title: str,
    alt_text: str = "",
    transcript: str = "",
    shows_people: bool = False,
    people_permission: bool = False,
) -> MediaItem:
    title = (title or "").strip()
    if not title:
        raise MediaRejected(_("Give the item a title."))
    if shows_people and not item.shows_people:
        _people(shows_people, people_permission)
    item.title = title[:200]
    if item.kind == MediaItem.Kind.IMAGE:
        item.alt_text = (alt_text or "").strip()[:500]
    if item.kind in (MediaItem.Kind.VIDEO, MediaItem.Kind.EMBED):
        item.transcript = (transcript or "").strip()
    item.shows_people = shows_people
    item.save()
    return item


def media_captions_set(*, item: MediaItem, by, captions) -> MediaItem:
    """Give a video its WebVTT captions (replacing any it had)."""
    if item.kind != MediaItem.Kind.VIDEO:
        raise MediaRejected(_("Only uploaded videos take a caption file."))
    checked = checks.inspect_captions(captions)
    old = item.captions.name if item.captions else ""
    try:
        with transaction.atomic():
            _store(item.captions, checked, captions)
            item.save(update_fields=["captions"])
            _remove_later(item.captions.storage, old)
    except BaseException:
        if item.captions and item.captions.name != old:
            item.captions.storage.delete(item.captions.name)
        raise
    return item


def media_embed_add(
    *,
    course: Course,
    by,
    url: str,
    title: str,
    transcript: str = "",
    shows_people: bool = False,
    people_permission: bool = False,
) -> MediaItem:
    """An embedded video from an allow-listed host (a page address is turned into the embed
    address); anything else is refused."""
    embed = embed_url_for(url)
    _people(shows_people, people_permission)
    title = (title or "").strip()
    if not title:
        raise MediaRejected(_("Give the video a title: it names the video for screen readers."))
    with transaction.atomic():
        item = MediaItem.objects.create(
            course=course,
            kind=MediaItem.Kind.EMBED,
            title=title[:200],
            embed_url=embed,
            transcript=(transcript or "").strip(),
            shows_people=shows_people,
            uploaded_by=by,
            uploaded_at=timezone.now(),
        )
        # The cookie register names the host's cookies from now on: pages ask again.
        transaction.on_commit(forget_cookie_register)
    return item


def media_replace(*, item: MediaItem, by, upload=None, url: str = "") -> MediaItem:
    """New content for ``item``, keeping its id, so every lesson that uses it shows the new one.
    An image stays an image, a video a video (its captions stay), a file a file."""
    if item.kind == MediaItem.Kind.EMBED:
        item.embed_url = embed_url_for(url)
        item.save(update_fields=["embed_url"])
        transaction.on_commit(forget_cookie_register)
        return item
    if upload is None:
        raise MediaRejected(_("Choose the new file."))
    checked = checks.INSPECTORS[item.kind](upload)
    old = item.file.name
    _apply(item, checked)
    try:
        with transaction.atomic():
            _store(item.file, checked, upload)
            item.uploaded_by = by
            item.uploaded_at = timezone.now()
            item.save()
            _remove_later(item.file.storage, old)
    except BaseException:
        if item.file.name != old:
            item.file.storage.delete(item.file.name)
        raise
    return item


def media_delete(*, item: MediaItem, by) -> None:
    """Delete ``item`` and its files; refused while a published lesson (or the published
    course's picture) uses it."""
    used = media_used_by_published(item=item)
    if used:
        places = "; ".join(use.place for use in used[:5])
        raise MediaRejected(
            _(
                "“%(title)s” is used by the published course (%(places)s). Remove it from there "
                "and publish, then delete it."
            )
            % {"title": item.title, "places": places}
        )
    storage = item.file.storage
    names = (item.file.name, item.captions.name if item.captions else "")
    was_embed = item.kind == MediaItem.Kind.EMBED
    with transaction.atomic():
        item.delete()
        _remove_later(storage, *names)
        if was_embed:
            transaction.on_commit(forget_cookie_register)


def media_publish_problems(*, course: Course, markdown_texts: Iterable[str]) -> list[str]:
    """What stops these lessons (and the course's picture) from being published, in words for
    the author: media from elsewhere or missing, images without alt text, videos without
    captions. Empty when all is well."""
    problems: list[str] = []
    ids = media_used_in(list(markdown_texts))
    items = {m.pk: m for m in MediaItem.objects.filter(course=course, pk__in=ids)}
    for pk in sorted(ids):
        item = items.get(pk)
        if item is None:
            problems.append(
                _(
                    "A lesson refers to media item %(number)s, which is not in this course's "
                    "media library. Insert it again from the library."
                )
                % {"number": pk}
            )
        elif item.kind == MediaItem.Kind.IMAGE and not item.alt_text.strip():
            problems.append(
                _(
                    "The image “%(title)s” needs alt text (what it shows, for people who "
                    "cannot see it)."
                )
                % {"title": item.title}
            )
        elif item.kind == MediaItem.Kind.VIDEO and not item.captions:
            problems.append(
                _("The video “%(title)s” needs a WebVTT caption file.") % {"title": item.title}
            )
    image = course.image
    if image is not None and image.kind == MediaItem.Kind.IMAGE and not image.alt_text.strip():
        if image.pk not in ids:
            problems.append(
                _("The course's picture “%(title)s” needs alt text.") % {"title": image.title}
            )
    return problems
