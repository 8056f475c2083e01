"""Builders for real files: images with GPS EXIF, PNGs with a wrong name, Office zips, WebVTT."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from learnward.accounts.roles import COURSE_AUTHOR
from tests.catalog.factories import make_course

SAMPLES = Path(__file__).resolve().parents[2] / "learnward" / "media" / "samples"
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(*, size=(40, 20), orientation: int | None = None) -> bytes:
    """A real JPEG photo whose EXIF says where (GPS) and with what it was taken."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel 12"  # Model
    if orientation:
        exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (51.0, 30.0, 12.5)
    gps[3] = "W"
    gps[4] = (0.0, 7.0, 39.9)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"secret comment")
    return out.getvalue()


def png_bytes(size=(8, 6), colour=(0, 128, 0)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def office_zip(kind: str = "docx", *, manifest: bool = True) -> bytes:
    main = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    }[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if manifest:
            archive.writestr(
                "[Content_Types].xml",
                '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                '2006/content-types"><Override PartName="/word/document.xml" '
                f'ContentType="{main}"/></Types>',
            )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VTT = b"WEBVTT\n\n00:00.000 --> 00:01.500\nHello and welcome.\n\n00:01.500 --> 00:03.000\nLet us begin.\n"


def upload(data: bytes, name: str, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.fixture
def author(make_user):
    return make_user(email="author@example.test", roles=[COURSE_AUTHOR])


@pytest.fixture
def course(db):
    return make_course(title="Manual handling", slug="manual-handling", modules=1, questions=0)


@pytest.fixture
def other_course(db):
    return make_course(title="Fire safety", slug="fire-safety", modules=1, questions=0)
