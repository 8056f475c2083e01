"""What an upload really is, decided from its bytes, never from its name or the browser's word.

Each ``inspect_*`` function takes an uploaded file (any binary file object with a ``size``) and
returns :class:`Checked`: the bytes to store, the exact content type, the extension and what was
measured. Anything else raises :class:`MediaRejected` with a message for the author. Nothing is
stored here; the services store only what passed.

- Images (JPEG, PNG, WebP, GIF) are opened by Pillow, turned upright from their EXIF orientation
  and re-encoded from the pixels alone: EXIF (GPS position, camera, time), XMP, IPTC, ICC
  profiles and comments are all left behind. SVG (which can carry script) is refused.
- Videos (MP4, WebM) are recognised by their container signature; their duration is read from
  the container (``containers``); nothing is transcoded.
- Caption files must be WebVTT: ``WEBVTT`` first, and every cue timing must parse.
- Files to download (PDF, DOCX, PPTX, XLSX) by their magic bytes; the Office ones are zips whose
  ``[Content_Types].xml`` must name the matching main part.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

from learnward.core.errors import ApplicationError

from . import containers


class MediaRejected(ApplicationError, ValueError):
    """An upload or a change the library refuses; ``message`` says why, for the author."""


@dataclass
class Checked:
    content: bytes | None  # the bytes to store (re-encoded images); None: store the upload as is
    content_type: str
    extension: str
    label: str  # what people see: "JPEG image", "Word document"...
    size: int = 0
    sha256: str = ""
    width: int | None = None
    height: int | None = None
    duration_seconds: Decimal | None = None
    extra: dict = field(default_factory=dict)


def human_size(size: int) -> str:
    """1,234,567 bytes as "1.2 MB" (powers of 1000, as file managers show them), in the active
    language: "1,2 MB" in Dutch, "1,2 Mo" in French."""
    if size < 1000:
        return ngettext("%(count)s byte", "%(count)s bytes", size) % {"count": size}
    units = (
        lambda n: _("%(size)s KB") % {"size": n},
        lambda n: _("%(size)s MB") % {"size": n},
        lambda n: _("%(size)s GB") % {"size": n},
    )
    for index, unit in enumerate(units):
        size /= 1000
        if size < 1000 or index == len(units) - 1:
            return unit(number_format(size, 1))
    raise AssertionError  # pragma: no cover


def limit_for(kind: str) -> int:
    return {
        "image": settings.MEDIA_MAX_IMAGE_BYTES,
        "video": settings.MEDIA_MAX_VIDEO_BYTES,
        "file": settings.MEDIA_MAX_FILE_BYTES,
        "captions": settings.MEDIA_MAX_CAPTIONS_BYTES,
    }[kind]


def check_size(upload, kind: str) -> None:
    limit = limit_for(kind)
    if upload.size > limit:
        largest = {
            "image": _("That file is %(size)s; the largest image allowed is %(limit)s."),
            "video": _("That file is %(size)s; the largest video allowed is %(limit)s."),
            "file": _("That file is %(size)s; the largest file allowed is %(limit)s."),
            "captions": _("That file is %(size)s; the largest caption file allowed is %(limit)s."),
        }[kind]
        raise MediaRejected(
            largest
            % {
                "size": human_size(upload.size),
                "limit": _("%(size)s (%(bytes)s bytes)")
                % {
                    "size": human_size(limit),
                    "bytes": number_format(limit, force_grouping=True),
                },
            }
        )
    if upload.size == 0:
        raise MediaRejected(_("That file is empty."))


def _digest(upload) -> str:
    upload.seek(0)
    h = hashlib.sha256()
    for chunk in iter(lambda: upload.read(1 << 20), b""):
        h.update(chunk)
    upload.seek(0)
    return h.hexdigest()


def _head(upload, n: int = 512) -> bytes:
    upload.seek(0)
    head = upload.read(n)
    upload.seek(0)
    return head


def _looks_like_markup(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<", b"<?xml")) or b"<svg" in text or b"<html" in text


# --- Images ---------------------------------------------------------------------------------------

IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", "jpg", gettext_lazy("JPEG image")),
    "PNG": ("image/png", "png", gettext_lazy("PNG image")),
    "WEBP": ("image/webp", "webp", gettext_lazy("WebP image")),
    "GIF": ("image/gif", "gif", gettext_lazy("GIF image")),
}
# Decoding is bounded before it starts: a small file can claim a huge canvas (a decompression
# bomb). 40 megapixels is more than any lesson picture needs (8000 x 5000); an animated GIF's
# frames count together.
MAX_IMAGE_PIXELS = 40_000_000
NOT_AN_IMAGE = gettext_lazy(
    "That file is not an image we accept. Upload a JPEG, PNG, WebP or GIF picture "
    "(SVG drawings are not accepted: they can carry script)."
)


def inspect_image(upload) -> Checked:
    check_size(upload, "image")
    if _looks_like_markup(_head(upload)):
        raise MediaRejected(str(NOT_AN_IMAGE))
    try:
        upload.seek(0)
        probe = Image.open(upload)
        fmt = probe.format
        if fmt not in IMAGE_FORMATS:
            raise MediaRejected(str(NOT_AN_IMAGE))
        width, height = probe.size
        frames = getattr(probe, "n_frames", 1)
        if width * height * frames > MAX_IMAGE_PIXELS:
            too_large = (
                _(
                    "That image is %(width)s × %(height)s pixels per frame: too large. "
                    "Resize it to at most %(most)s megapixels."
                )
                if frames > 1
                else _(
                    "That image is %(width)s × %(height)s pixels: too large. "
                    "Resize it to at most %(most)s megapixels."
                )
            )
            raise MediaRejected(
                too_large
                % {
                    "width": number_format(width, force_grouping=True),
                    "height": number_format(height, force_grouping=True),
                    "most": MAX_IMAGE_PIXELS // 1_000_000,
                }
            )
        probe.verify()  # a broken or truncated file fails here
        upload.seek(0)
        image = Image.open(upload)
        image.load()
        frames = getattr(image, "n_frames", 1)
        out = io.BytesIO()
        if fmt == "GIF" and frames > 1:
            _save_animated_gif(image, out)
            width, height = image.size
        else:
            upright = ImageOps.exif_transpose(image)
            width, height = upright.size
            _save_still(upright, fmt, out)
    except MediaRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise MediaRejected(str(NOT_AN_IMAGE)) from None
    content = out.getvalue()
    content_type, ext, label = IMAGE_FORMATS[fmt]
    return Checked(
        content=content,
        content_type=content_type,
        extension=ext,
        label=label,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        width=width,
        height=height,
    )


def _save_still(image: Image.Image, fmt: str, out: io.BytesIO) -> None:
    # A fresh image from the pixels alone: no info dict, so no EXIF, XMP, ICC, comments or text
    # chunks can follow it into the saved file.
    if fmt == "JPEG":
        mode = "L" if image.mode in ("L", "1") else "RGB"
    elif fmt == "GIF":
        mode = "P" if image.mode == "P" else "RGBA"
    else:
        mode = image.mode if image.mode in ("RGB", "RGBA", "L", "LA") else "RGBA"
    if image.mode == "P" and fmt != "GIF":
        image = image.convert("RGBA")
    pixels = image.convert(mode) if image.mode != mode else image
    clean = Image.new(pixels.mode, pixels.size)
    if pixels.mode == "P":
        clean.putpalette(pixels.getpalette())
    clean.paste(pixels)
    if fmt == "JPEG":
        clean.save(out, "JPEG", quality=88, optimize=True)
    elif fmt == "PNG":
        clean.save(out, "PNG", optimize=True)
    elif fmt == "WEBP":
        clean.save(out, "WEBP", quality=88)
    else:
        clean.save(out, "GIF")


def _save_animated_gif(image: Image.Image, out: io.BytesIO) -> None:
    frames, durations = [], []
    for index in range(image.n_frames):
        image.seek(index)
        frames.append(image.convert("RGBA"))
        durations.append(image.info.get("duration", 100))
    frames[0].save(
        out,
        "GIF",
        save_all=True,
        append_images=frames[1:],
        duration=durations,
        loop=image.info.get("loop", 0),
        disposal=2,
    )


# --- Video ----------------------------------------------------------------------------------------

VIDEO_TYPES = {
    "mp4": ("video/mp4", "mp4", gettext_lazy("MP4 video")),
    "webm": ("video/webm", "webm", gettext_lazy("WebM video")),
}


def inspect_video(upload) -> Checked:
    check_size(upload, "video")
    kind = containers.sniff(_head(upload, 16))
    if kind is None:
        raise MediaRejected(_("That file is not an MP4 or WebM video."))
    try:
        duration = containers.video_duration(upload, kind)
    except containers.ContainerError:
        raise MediaRejected(
            _("That video could not be read: it looks damaged or is not a real MP4 or WebM file.")
        ) from None
    content_type, ext, label = VIDEO_TYPES[kind]
    return Checked(
        content=None,
        content_type=content_type,
        extension=ext,
        label=label,
        size=upload.size,
        sha256=_digest(upload),
        duration_seconds=duration,
    )


# --- Captions -------------------------------------------------------------------------------------

_TIMESTAMP = r"(?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3}"
_CUE_TIMING = re.compile(rf"^({_TIMESTAMP})[ \t]+-->[ \t]+({_TIMESTAMP})(?:[ \t].*)?$")


def _vtt_seconds(stamp: str) -> float:
    parts = stamp.split(":")
    seconds = float(parts[-1])
    minutes = int(parts[-2])
    hours = int(parts[0]) if len(parts) == 3 else 0
    return hours * 3600 + minutes * 60 + seconds


def inspect_captions(upload) -> Checked:
    """A WebVTT file: ``WEBVTT`` first, then at least one cue whose timing parses and runs
    forwards. Returned as UTF-8 bytes with normalised line ends."""
    check_size(upload, "captions")
    upload.seek(0)
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MediaRejected(_("That caption file is not UTF-8 text.")) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = text.split("\n", 1)[0]
    if not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))):
        raise MediaRejected(
            _(
                'That is not a WebVTT caption file: its first line must be "WEBVTT". '
                "Save or export the captions as .vtt."
            )
        )
    cues = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if "-->" not in line:
            continue
        match = _CUE_TIMING.match(line.strip())
        if not match or _vtt_seconds(match.group(2)) < _vtt_seconds(match.group(1)):
            raise MediaRejected(
                _(
                    "Line %(number)s of the caption file has a cue timing that does not parse "
                    '(expected like "00:01.000 --> 00:04.000").'
                )
                % {"number": number}
            )
        cues += 1
    if not cues:
        raise MediaRejected(_("That caption file has no cues (no timed captions)."))
    content = text.encode("utf-8")
    return Checked(
        content=content,
        content_type="text/vtt",
        extension="vtt",
        label=_("WebVTT captions"),
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        extra={"cues": cues},
    )


# --- Files to download ----------------------------------------------------------------------------

OOXML = {
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        gettext_lazy("Word document"),
    ),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        gettext_lazy("PowerPoint presentation"),
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        gettext_lazy("Excel spreadsheet"),
    ),
}
NOT_A_FILE = gettext_lazy(
    "That file is not a PDF, Word (.docx), PowerPoint (.pptx) or Excel (.xlsx) document."
)
# The [Content_Types].xml of a real document is a few kilobytes.
_CONTENT_TYPES_MAX = 1_000_000


def inspect_file(upload) -> Checked:
    check_size(upload, "file")
    head = _head(upload, 8)
    if head.startswith(b"%PDF-"):
        return Checked(
            content=None,
            content_type="application/pdf",
            extension="pdf",
            label=_("PDF document"),
            size=upload.size,
            sha256=_digest(upload),
        )
    if head.startswith(b"PK\x03\x04"):
        ext = _ooxml_kind(upload)
        _part, content_type, label = OOXML[ext]
        return Checked(
            content=None,
            content_type=content_type,
            extension=ext,
            label=label,
            size=upload.size,
            sha256=_digest(upload),
        )
    raise MediaRejected(str(NOT_A_FILE))


def _ooxml_kind(upload) -> str:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _CONTENT_TYPES_MAX:
                raise MediaRejected(str(NOT_A_FILE))
            manifest = archive.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        raise MediaRejected(str(NOT_A_FILE)) from None
    finally:
        upload.seek(0)
    for ext, (main_part, _type, _label) in OOXML.items():
        if f'ContentType="{main_part}"' in manifest:
            return ext
    raise MediaRejected(str(NOT_A_FILE))


def file_label(content_type: str) -> str:
    """What people call a stored item's type ("PDF document", "MP4 video")."""
    for table in (IMAGE_FORMATS.values(), VIDEO_TYPES.values()):
        for ctype, _ext, label in table:
            if ctype == content_type:
                return str(label)
    if content_type == "application/pdf":
        return _("PDF document")
    for _part, ctype, label in OOXML.values():
        if ctype == content_type:
            return str(label)
    return _("File")


INSPECTORS = {"image": inspect_image, "video": inspect_video, "file": inspect_file}
