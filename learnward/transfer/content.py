"""What an imported media file really is, read from its bytes, never from its name.

The media library's own checks decide (:mod:`learnward.media.checks`, the same an upload passes,
with the same size limits): an image must open in Pillow as a JPEG, PNG, WebP or GIF (SVG and
HTML are refused); a video must be an MP4 or WebM whose duration the container gives; a file a
PDF or a DOCX, PPTX or XLSX whose manifest names its main part; captions WebVTT whose cue
timings parse; an embed an allow-listed YouTube (no-cookie) or Vimeo address.

One difference from an upload: an uploaded image is re-encoded from its pixels, which changes
its bytes, so an import would never give the same checksums as the exported site. An imported
image is stored as it is in the file instead, and only if it carries none of the metadata the
re-encoding would strip (EXIF, and with it a GPS position, XMP, IPTC, ICC profiles, comments,
PNG text chunks). An image exported by Learnward has none; anything else is refused with a
message saying to upload it through the media library.
"""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image

from learnward.media import checks, embeds
from learnward.media.checks import Checked, MediaRejected

from .archive import CourseImportRefused


def _as_upload(data: bytes, name: str) -> ContentFile:
    return ContentFile(data, name=name.rsplit("/", 1)[-1])


def image_metadata(data: bytes) -> list[str]:
    """The kinds of metadata the image carries (empty for a clean image)."""
    found = []
    with Image.open(io.BytesIO(data)) as image:
        if len(image.getexif()):
            found.append("EXIF")
        keys = set(image.info)
        if keys & {"xmp", "XML:com.adobe.xmp"}:
            found.append("XMP")
        if keys & {"icc_profile"}:
            found.append("a colour profile")
        if keys & {"comment"} or getattr(image, "text", None):
            found.append("text comments")
        if keys & {"photoshop", "iptc"}:
            found.append("IPTC")
    return found


def check_media(kind: str, data: bytes, name: str, title: str) -> Checked:
    """The media library's check of ``data`` as a ``kind`` item; :class:`CourseImportRefused`
    naming the file and the item if it fails."""
    try:
        checked = checks.INSPECTORS[kind](_as_upload(data, name))
    except MediaRejected as exc:
        raise CourseImportRefused(
            _("The media file %(name)s (for “%(title)s”): %(message)s")
            % {"name": name, "title": title, "message": exc.message}
        ) from exc
    if kind == "image":
        metadata = image_metadata(data)
        if metadata:
            raise CourseImportRefused(
                _(
                    "The image %(name)s (for “%(title)s”) carries %(details)s, which may say where and when it was taken. Learnward strips it from uploads, so a course export never has it: upload the picture through the media library instead."
                )
                % {"name": name, "title": title, "details": ", ".join(metadata)}
            )
    return checked


def check_captions(data: bytes, name: str, title: str) -> Checked:
    try:
        return checks.inspect_captions(_as_upload(data, name))
    except MediaRejected as exc:
        raise CourseImportRefused(
            _("The captions file %(name)s (for “%(title)s”): %(message)s")
            % {"name": name, "title": title, "message": exc.message}
        ) from exc


def check_embed(url: str, where: str) -> str:
    """The allow-listed embed address for ``url``."""
    try:
        return embeds.embed_url_for(url)
    except MediaRejected as exc:
        raise CourseImportRefused(
            _("In course.json, %(place)s: %(message)s") % {"place": where, "message": exc.message}
        ) from exc
