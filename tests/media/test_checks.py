"""Uploads are judged by their bytes: images re-encoded without metadata, videos by container,
captions by their WebVTT form, files by magic bytes and the Office manifest; limits are exact."""

from __future__ import annotations

import io
import struct
from decimal import Decimal

import pytest
from PIL import Image

from learnward.catalog.models import MediaItem
from learnward.media import checks, containers, services
from learnward.media.checks import MediaRejected

from .conftest import (
    GPS_IFD,
    PDF,
    VTT,
    jpeg_with_gps,
    office_zip,
    png_bytes,
    sample,
    upload,
)

pytestmark = pytest.mark.django_db


def _stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_the_test_photo_really_carries_gps_and_camera_exif():
    exif = Image.open(io.BytesIO(jpeg_with_gps())).getexif()
    assert exif.get_ifd(GPS_IFD)[2] == (51.0, 30.0, 12.5)
    assert exif[0x0110] == "PhoneModel 12"


def test_a_jpeg_is_re_encoded_without_exif_gps_or_comment(course, author):
    item = services.media_upload(
        course=course, by=author, kind="image", upload=upload(jpeg_with_gps(), "phone.jpg")
    )
    with item.file.open("rb") as f:
        data = f.read()
    stored = Image.open(io.BytesIO(data))
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert "exif" not in stored.info and "comment" not in stored.info
    assert b"PhoneModel" not in data and b"secret comment" not in data
    assert (item.width, item.height, item.content_type) == (40, 20, "image/jpeg")
    assert item.size == len(data)
    import hashlib

    assert item.sha256 == hashlib.sha256(data).hexdigest()
    assert item.file.name.endswith(".jpg")


def test_the_exif_orientation_is_applied_before_it_is_dropped(course, author):
    # Orientation 6: the camera was turned; the picture shows upright rotated 90 degrees.
    item = services.media_upload(
        course=course,
        by=author,
        kind="image",
        upload=upload(jpeg_with_gps(size=(40, 20), orientation=6), "turned.jpg"),
    )
    assert (item.width, item.height) == (20, 40)
    with item.file.open("rb") as f:
        stored = Image.open(io.BytesIO(f.read()))
    assert stored.size == (20, 40) and ORIENTATION_ABSENT(stored)


def ORIENTATION_ABSENT(image) -> bool:  # noqa: N802 - reads as a claim
    return 0x0112 not in image.getexif()


def test_a_png_named_jpg_is_stored_as_what_it_is(course, author):
    item = services.media_upload(
        course=course,
        by=author,
        kind="image",
        upload=upload(png_bytes(), "photo.jpg", "image/jpeg"),
    )
    assert item.content_type == "image/png"
    assert item.file.name.endswith(".png")
    with item.file.open("rb") as f:
        assert Image.open(f).format == "PNG"


def test_png_text_chunks_are_dropped(course, author):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Jane Doe at 1 High Street")
    out = io.BytesIO()
    Image.new("RGBA", (5, 5), (1, 2, 3, 128)).save(out, "PNG", pnginfo=info)
    item = services.media_upload(
        course=course, by=author, kind="image", upload=upload(out.getvalue(), "a.png")
    )
    with item.file.open("rb") as f:
        data = f.read()
    assert b"Jane Doe" not in data
    assert Image.open(io.BytesIO(data)).mode == "RGBA"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "cat.jpg"),
        (
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
            b"<rect width='10' height='10'/></svg>",
            "cat.png",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "x.svg"),
        (b"\xff\xd8\xff\xe0 not really a jpeg", "broken.jpg"),
        (b"GIF89a truncated", "t.gif"),
    ],
)
def test_html_svg_and_broken_images_are_refused_and_nothing_is_stored(
    course, author, settings, data, name
):
    with pytest.raises(MediaRejected, match="not an image we accept"):
        services.media_upload(
            course=course, by=author, kind="image", upload=upload(data, name, "image/jpeg")
        )
    assert not MediaItem.objects.exists()
    assert _stored_files(settings) == []


def test_an_image_at_the_limit_passes_and_one_byte_more_is_refused(course, author, settings):
    data = png_bytes()
    settings.MEDIA_MAX_IMAGE_BYTES = len(data)
    services.media_upload(course=course, by=author, kind="image", upload=upload(data, "a.png"))
    settings.MEDIA_MAX_IMAGE_BYTES = len(data) - 1
    with pytest.raises(MediaRejected) as refused:
        services.media_upload(course=course, by=author, kind="image", upload=upload(data, "b.png"))
    assert f"({len(data) - 1:,} bytes)" in refused.value.message
    assert MediaItem.objects.count() == 1
    assert len(_stored_files(settings)) == 1


def test_a_file_at_the_limit_passes_and_one_byte_more_is_refused(course, author, settings):
    settings.MEDIA_MAX_FILE_BYTES = len(PDF)
    services.media_upload(course=course, by=author, kind="file", upload=upload(PDF, "a.pdf"))
    with pytest.raises(MediaRejected, match="largest file allowed"):
        services.media_upload(
            course=course, by=author, kind="file", upload=upload(PDF + b"x", "b.pdf")
        )
    assert MediaItem.objects.count() == 1


def test_a_video_over_its_limit_is_refused(course, author, settings):
    data = sample("sample.webm")
    settings.MEDIA_MAX_VIDEO_BYTES = len(data) - 1
    with pytest.raises(MediaRejected, match="largest video allowed"):
        services.media_upload(course=course, by=author, kind="video", upload=upload(data, "v.webm"))
    assert _stored_files(settings) == []


@pytest.mark.parametrize("kind", ["docx", "pptx", "xlsx"])
def test_office_files_are_known_by_their_manifest(course, author, kind):
    # The name says PDF: the content decides.
    item = services.media_upload(
        course=course, by=author, kind="file", upload=upload(office_zip(kind), "notes.pdf")
    )
    assert item.file.name.endswith(f".{kind}")
    assert item.content_type == checks.OOXML[kind][1]


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00 a windows program",
        b"%PDX-1.4 nearly",
        office_zip(manifest=False),
        b"PK\x03\x04 not a real zip",
        b"<html>hello</html>",
    ],
)
def test_files_with_a_wrong_magic_or_no_manifest_are_refused(course, author, settings, data):
    with pytest.raises(MediaRejected, match="not a PDF, Word"):
        services.media_upload(course=course, by=author, kind="file", upload=upload(data, "a.docx"))
    assert not MediaItem.objects.exists() and _stored_files(settings) == []


def test_a_pdf_is_stored_as_a_pdf(course, author):
    item = services.media_upload(course=course, by=author, kind="file", upload=upload(PDF, "x.bin"))
    assert item.content_type == "application/pdf" and item.file.name.endswith(".pdf")
    assert item.size == len(PDF)


# --- Video ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content_type"), [("sample.webm", "video/webm"), ("sample.mp4", "video/mp4")]
)
def test_videos_are_recognised_and_their_duration_read(course, author, name, content_type):
    item = services.media_upload(
        course=course,
        by=author,
        kind="video",
        upload=upload(sample(name), "clip.mov"),
        captions=upload(VTT, "c.vtt"),
        transcript="Hello and welcome.",
    )
    assert item.content_type == content_type
    assert item.duration_seconds == Decimal("3.00")
    assert item.size == len(sample(name))
    assert item.captions.name.endswith(".vtt")


def test_a_video_that_is_an_image_is_refused(course, author, settings):
    with pytest.raises(MediaRejected, match="not an MP4 or WebM"):
        services.media_upload(
            course=course, by=author, kind="video", upload=upload(png_bytes(), "v.mp4")
        )
    assert _stored_files(settings) == []


def test_a_truncated_mp4_is_refused(course, author):
    data = sample("sample.mp4")[:200]
    with pytest.raises(MediaRejected, match="could not be read"):
        services.media_upload(course=course, by=author, kind="video", upload=upload(data, "v.mp4"))


def test_quicktime_is_not_mp4():
    ftyp = struct.pack(">I4s4sI4s", 20, b"ftyp", b"qt  ", 0, b"qt  ")
    with pytest.raises(containers.ContainerError):
        containers.mp4_duration(io.BytesIO(ftyp))


def _ebml(element_id: bytes, payload: bytes, *, unknown: bool = False) -> bytes:
    if unknown:
        return element_id + b"\x01\xff\xff\xff\xff\xff\xff\xff" + payload
    return (
        element_id + bytes([0x80 | len(payload)]) + payload
        if len(payload) < 127
        else (element_id + struct.pack(">BH", 0x40, len(payload))[1:] + payload)
    )


def _webm_stream() -> bytes:
    """A WebM as a browser records it: unknown sizes, no Duration; blocks up to 2.5 s."""
    header = _ebml(b"\x1a\x45\xdf\xa3", _ebml(b"\x42\x82", b"webm"))
    scale = _ebml(b"\x2a\xd7\xb1", (1_000_000).to_bytes(3, "big"))
    info = _ebml(b"\x15\x49\xa9\x66", scale)

    def block(relative_ms: int) -> bytes:
        return _ebml(b"\xa3", b"\x81" + struct.pack(">h", relative_ms) + b"\x80" + b"data")

    cluster1 = _ebml(
        b"\x1f\x43\xb6\x75", _ebml(b"\xe7", b"\x00") + block(0) + block(1000), unknown=True
    )
    cluster2 = _ebml(
        b"\x1f\x43\xb6\x75", _ebml(b"\xe7", (2000).to_bytes(2, "big")) + block(500), unknown=True
    )
    return header + _ebml(b"\x18\x53\x80\x67", info + cluster1 + cluster2, unknown=True)


def test_a_webm_recorded_as_a_stream_gets_its_duration_from_its_last_block():
    assert containers.webm_duration(io.BytesIO(_webm_stream())) == Decimal("2.50")


def test_a_matroska_file_that_is_not_webm_is_refused():
    data = _webm_stream().replace(b"webm", b"mkvx")
    with pytest.raises(containers.ContainerError):
        containers.webm_duration(io.BytesIO(data))


# --- Captions -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"1\n00:00:00,000 --> 00:00:01,000\nAn SRT file\n", 'first line must be "WEBVTT"'),
        (b"WEBVTT\n\n00:00.000 --> 00:0x.000\nBad\n", "Line 3"),
        (b"WEBVTT\n\n00:05.000 --> 00:01.000\nBackwards\n", "Line 3"),
        (b"WEBVTT\n\nNo cues at all\n", "no cues"),
        (b"WEBVTT\n\n00:00.000 --> 00:01.000\n\xff\xfe\n", "not UTF-8"),
    ],
)
def test_bad_caption_files_are_refused_with_the_reason(data, message):
    with pytest.raises(MediaRejected, match=message):
        checks.inspect_captions(upload(data, "c.vtt"))


def test_a_good_caption_file_passes_with_hours_settings_and_crlf():
    data = (
        b"\xef\xbb\xbfWEBVTT - English\r\n\r\n01:00:00.000 --> 01:00:02.000 align:start\r\nHi\r\n"
    )
    checked = checks.inspect_captions(upload(data, "c.vtt"))
    assert checked.extra["cues"] == 1
    assert checked.content.startswith(b"WEBVTT - English\n")


def test_captions_are_refused_for_a_video_upload_without_storing_the_video(
    course, author, settings
):
    with pytest.raises(MediaRejected, match="WEBVTT"):
        services.media_upload(
            course=course,
            by=author,
            kind="video",
            upload=upload(sample("sample.webm"), "v.webm"),
            captions=upload(b"not captions", "c.vtt"),
        )
    assert not MediaItem.objects.exists() and _stored_files(settings) == []


def test_shows_people_needs_the_authors_confirmation(course, author, settings):
    with pytest.raises(MediaRejected, match="permission"):
        services.media_upload(
            course=course,
            by=author,
            kind="image",
            upload=upload(png_bytes(), "team.png"),
            shows_people=True,
        )
    assert _stored_files(settings) == []
    item = services.media_upload(
        course=course,
        by=author,
        kind="image",
        upload=upload(png_bytes(), "team.png"),
        shows_people=True,
        people_permission=True,
    )
    assert item.shows_people


def test_human_sizes():
    assert checks.human_size(999) == "999 bytes"
    assert checks.human_size(1000) == "1.0 KB"
    assert checks.human_size(10_000_000) == "10.0 MB"


def test_an_image_claiming_a_huge_canvas_is_refused_before_decoding(course, author, monkeypatch):
    monkeypatch.setattr(checks, "MAX_IMAGE_PIXELS", 40 * 20 - 1)
    with pytest.raises(MediaRejected, match="40 × 20 pixels: too large"):
        services.media_upload(
            course=course, by=author, kind="image", upload=upload(jpeg_with_gps(), "big.jpg")
        )
    monkeypatch.setattr(checks, "MAX_IMAGE_PIXELS", 40 * 20)
    services.media_upload(
        course=course, by=author, kind="image", upload=upload(jpeg_with_gps(), "ok.jpg")
    )
