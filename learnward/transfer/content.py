"""What an imported media file really is, read from its bytes, never from its name.

Each kind of media item accepts only these types:

- image: JPEG, PNG, GIF, WebP (opened and verified with Pillow; an image that still carries
  EXIF or XMP metadata, which may say where a photo was taken, is refused: Learnward strips it
  on upload, so an exported image never has it);
- video: MP4, WebM; and its captions: a WebVTT text file;
- file: PDF, and the Office Open XML documents DOCX, PPTX, XLSX (a zip holding the part that
  makes each one).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from .archive import CourseImportRefused


@dataclass(frozen=True)
class Detected:
    content_type: str
    extension: str
    label: str
    width: int | None = None
    height: int | None = None


_OFFICE = {
    "word/document.xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
        "Word document",
    ),
    "ppt/presentation.xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
        "PowerPoint presentation",
    ),
    "xl/workbook.xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        "Excel workbook",
    ),
}
_IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", "jpg", "JPEG image"),
    "PNG": ("image/png", "png", "PNG image"),
    "GIF": ("image/gif", "gif", "GIF image"),
    "WEBP": ("image/webp", "webp", "WebP image"),
}
# Larger than any sensible lesson picture; Pillow's own bomb guard is far above this.
MAX_IMAGE_PIXELS = 50_000_000


def _image(data: bytes, name: str) -> Detected | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise CourseImportRefused(
                    f"The image {name} is {width} × {height} pixels: the limit is "
                    f"{MAX_IMAGE_PIXELS:,} pixels."
                )
            exif = image.getexif()
            info_keys = set(image.info)
            image.load()
    except CourseImportRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    if image_format not in _IMAGE_FORMATS:
        return None
    if len(exif) or info_keys & {"exif", "xmp", "XML:com.adobe.xmp"}:
        raise CourseImportRefused(
            f"The image {name} carries EXIF or XMP metadata, which may say where and when it was "
            "taken: Learnward strips it on upload, so a course export never has it. Upload the "
            "image to the course's media library instead."
        )
    content_type, extension, label = _IMAGE_FORMATS[image_format]
    return Detected(content_type, extension, label, width, height)


def _video(data: bytes) -> Detected | None:
    if len(data) >= 12 and data[4:8] == b"ftyp":
        return Detected("video/mp4", "mp4", "MP4 video")
    if data[:4] == b"\x1a\x45\xdf\xa3" and b"webm" in data[:64]:
        return Detected("video/webm", "webm", "WebM video")
    return None


def _document(data: bytes) -> Detected | None:
    if data[:5] == b"%PDF-":
        return Detected("application/pdf", "pdf", "PDF document")
    if data[:4] != b"PK\x03\x04":
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for part, (content_type, extension, label) in _OFFICE.items():
        if part in names:
            return Detected(content_type, extension, label)
    return None


def describe(data: bytes) -> str:
    """What the bytes look like, for a refusal message."""
    if data[:5].lower() in (b"<!doc", b"<html") or data.lstrip()[:1] == b"<":
        return "HTML or XML (which could run script)"
    if not data:
        return "empty"
    return "not a type Learnward accepts"


KIND_TYPES = {
    "image": "a JPEG, PNG, GIF or WebP image",
    "video": "an MP4 or WebM video",
    "file": "a PDF, DOCX, PPTX or XLSX file",
}


def detect(kind: str, data: bytes, name: str) -> Detected:
    """The file's real type for a media item of ``kind``, or :class:`CourseImportRefused`."""
    found = None
    if kind == "image":
        found = _image(data, name)
    elif kind == "video":
        found = _video(data)
    elif kind == "file":
        found = _document(data)
    if found is None:
        raise CourseImportRefused(
            f"The file {name} is listed as {KIND_TYPES.get(kind, kind)}, but its content is "
            f"{describe(data)}."
        )
    return found


def check_captions(data: bytes, name: str) -> str:
    """WebVTT captions: UTF-8 text whose first line starts with WEBVTT. Returns the text."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CourseImportRefused(f"The captions file {name} is not UTF-8 text.") from exc
    first = text.split("\n", 1)[0].strip()
    if not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))):
        raise CourseImportRefused(
            f"The captions file {name} is not WebVTT: its first line must be WEBVTT."
        )
    if "\x00" in text:
        raise CourseImportRefused(f"The captions file {name} has a NUL character.")
    return text
