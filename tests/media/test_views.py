"""The studio's media pages, the serving view's headers and access rules, and the learner's
lesson page with media and consent-gated embeds."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from learnward.catalog.models import Lesson, MediaItem
from learnward.learning.services import enrolment_create
from learnward.media import services
from learnward.privacy.consent.cookies import cookie_register

from .conftest import PDF, VTT, jpeg_with_gps, png_bytes, sample, upload

pytestmark = pytest.mark.django_db


def _library(course):
    return reverse("media:library", args=[course.slug])


def _files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _post_upload(client, course, data, name, kind="image", **fields):
    payload = {"upload-kind": kind, "upload-upload": upload(data, name)}
    payload.update({f"upload-{k}": v for k, v in fields.items()})
    return client.post(_library(course), payload)


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


def test_only_authors_open_the_library(client, make_user, course):
    assert client.get(_library(course)).status_code == 302  # to the login page
    client.force_login(make_user())
    assert client.get(_library(course)).status_code == 404


def test_an_author_uploads_a_phone_photo_and_the_served_file_has_no_exif(author_client, course):
    response = _post_upload(
        author_client, course, jpeg_with_gps(), "IMG_0001.jpg", alt_text="A hoist"
    )
    item = MediaItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("media:item", args=[course.slug, item.pk])
    served = author_client.get(reverse("media_files:file", args=[item.pk]))
    assert served.status_code == 200
    body = b"".join(served.streaming_content)
    image = Image.open(io.BytesIO(body))
    assert image.format == "JPEG" and dict(image.getexif()) == {}
    assert b"PhoneModel" not in body
    page = author_client.get(reverse("media:item", args=[course.slug, item.pk])).content.decode()
    assert "IMG 0001" in page and "40 × 20 px" in page and f"![A hoist](media:{item.pk})" in page


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<!doctype html><html><script>alert(1)</script>", "photo.jpg"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "photo.png"),
    ],
)
def test_a_disguised_page_is_refused_with_a_message_and_nothing_stored(
    author_client, course, settings, data, name
):
    response = _post_upload(author_client, course, data, name)
    assert response.status_code == 400
    assert "not an image we accept" in response.content.decode()
    assert not MediaItem.objects.exists() and _files(settings) == []


def test_an_oversized_upload_is_refused_with_its_size_and_the_limit(
    author_client, course, settings
):
    data = png_bytes()
    settings.MEDIA_MAX_IMAGE_BYTES = len(data) - 1
    response = _post_upload(author_client, course, data, "a.png")
    assert response.status_code == 400
    assert f"({len(data) - 1:,} bytes)" in response.content.decode()
    assert not MediaItem.objects.exists() and _files(settings) == []


def test_an_embed_from_another_host_is_refused(author_client, course):
    response = author_client.post(
        reverse("media:embed_add", args=[course.slug]),
        {"embed-url": "https://evil.example/embed/1", "embed-title": "Evil"},
    )
    assert response.status_code == 400
    assert "Only videos from YouTube or Vimeo" in response.content.decode()
    assert not MediaItem.objects.exists()


def test_an_embed_from_a_page_address_is_stored_as_the_embed_address(author_client, course):
    response = author_client.post(
        reverse("media:embed_add", args=[course.slug]),
        {"embed-url": "https://vimeo.com/76979871", "embed-title": "Lifting"},
    )
    assert response.status_code == 302
    assert MediaItem.objects.get().embed_url == "https://player.vimeo.com/video/76979871"


def test_another_courses_item_is_a_404_in_this_courses_library(
    author_client, course, other_course, author
):
    theirs = services.media_upload(
        course=other_course, by=author, kind="file", upload=upload(PDF, "a.pdf")
    )
    for name in ("item", "replace", "delete", "captions"):
        url = reverse(f"media:{name}", args=[course.slug, theirs.pk])
        method = author_client.get if name == "item" else author_client.post
        assert method(url).status_code == 404, name
    assert MediaItem.objects.filter(pk=theirs.pk).exists()


# --- Serving --------------------------------------------------------------------------------------


def test_serving_headers(author_client, course, author):
    pdf = services.media_upload(
        course=course, by=author, kind="file", title="Risk form", upload=upload(PDF, "x.pdf")
    )
    image = services.media_upload(
        course=course, by=author, kind="image", title="Hoist", upload=upload(png_bytes(), "h.jpg")
    )
    response = author_client.get(reverse("media_files:file", args=[pdf.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="risk-form.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Length"] == str(len(PDF))
    assert response["Cache-Control"] == "private, max-age=3600"
    response = author_client.get(reverse("media_files:file", args=[image.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="hoist.png"'


def test_a_stored_type_that_is_not_allowed_goes_out_as_an_opaque_download(
    author_client, course, author
):
    item = services.media_upload(course=course, by=author, kind="file", upload=upload(PDF, "x.pdf"))
    MediaItem.objects.filter(pk=item.pk).update(content_type="text/html")
    response = author_client.get(reverse("media_files:file", args=[item.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_video_is_served_in_ranges(author_client, course, author):
    data = sample("sample.mp4")
    item = services.media_upload(
        course=course, by=author, kind="video", upload=upload(data, "v.mp4")
    )
    url = reverse("media_files:file", args=[item.pk])
    response = author_client.get(url, headers={"Range": "bytes=10-19"})
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == data[10:20]
    assert response["Content-Range"] == f"bytes 10-19/{len(data)}"
    assert response["Content-Length"] == "10"
    last = author_client.get(url, headers={"Range": "bytes=-5"})
    assert b"".join(last.streaming_content) == data[-5:]
    rest = author_client.get(url, headers={"Range": "bytes=3-"})
    assert b"".join(rest.streaming_content) == data[3:]
    refused = author_client.get(url, headers={"Range": f"bytes={len(data)}-"})
    assert refused.status_code == 416


def test_who_may_read_lesson_media(client, make_user, course, author):
    item = services.media_upload(course=course, by=author, kind="file", upload=upload(PDF, "x.pdf"))
    captions = services.media_upload(
        course=course,
        by=author,
        kind="video",
        upload=upload(sample("sample.webm"), "v.webm"),
        captions=upload(VTT, "c.vtt"),
    )
    urls = [
        reverse("media_files:file", args=[item.pk]),
        reverse("media_files:captions", args=[captions.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404  # signed out
    stranger = make_user()
    client.force_login(stranger)
    for url in urls:
        assert client.get(url).status_code == 404  # not enrolled
    learner = make_user()
    enrolment_create(user=learner, course=course)
    client.force_login(learner)
    for url in urls:
        assert client.get(url).status_code == 200
    course.published = False
    course.save()
    for url in urls:
        assert client.get(url).status_code == 404  # an unpublished course's media
    client.force_login(author)
    for url in urls:
        assert client.get(url).status_code == 200  # the author still previews it
    assert client.get(reverse("media_files:file", args=[99999])).status_code == 404


def test_a_published_courses_picture_is_public(client, course, author):
    image = services.media_upload(
        course=course, by=author, kind="image", upload=upload(png_bytes(), "c.png"), alt_text="x"
    )
    url = reverse("media_files:file", args=[image.pk])
    assert client.get(url).status_code == 404
    course.image = image
    course.save()
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "public, max-age=3600"
    course.published = False
    course.save()
    assert client.get(url).status_code == 404


# --- Where used, replace, delete -------------------------------------------------------------------


def test_delete_is_refused_while_a_published_lesson_uses_it(
    author_client, course, author, settings, django_capture_on_commit_callbacks
):
    item = services.media_upload(
        course=course, by=author, kind="file", title="Form", upload=upload(PDF, "x.pdf")
    )
    lesson = Lesson.objects.filter(module__course=course).first()
    lesson.body_markdown += f"\n\n[Form](media:{item.pk})"
    lesson.save()
    page = author_client.get(reverse("media:item", args=[course.slug, item.pk])).content.decode()
    assert f"{lesson.module.title} › {lesson.title}" in page and "(Published)" in page
    response = author_client.post(reverse("media:delete", args=[course.slug, item.pk]), follow=True)
    assert "is used by the published course" in response.content.decode()
    assert MediaItem.objects.filter(pk=item.pk).exists() and len(_files(settings)) == 1
    # Once the lesson no longer uses it (retired by a publish), it can go, with its file.
    from django.utils import timezone

    Lesson.objects.filter(pk=lesson.pk).update(retired_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(reverse("media:delete", args=[course.slug, item.pk]))
    assert response.status_code == 302
    assert not MediaItem.objects.exists() and _files(settings) == []


def test_replace_keeps_the_id_and_removes_the_old_file(
    author_client, course, author, settings, django_capture_on_commit_callbacks
):
    item = services.media_upload(
        course=course,
        by=author,
        kind="image",
        upload=upload(png_bytes((8, 6)), "a.png"),
        alt_text="x",
    )
    old = item.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(
            reverse("media:replace", args=[course.slug, item.pk]),
            {"replace-upload": upload(jpeg_with_gps(), "b.jpg")},
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.file.name != old and item.content_type == "image/jpeg" and item.width == 40
    assert [p.name for p in _files(settings)] == [item.file.name.rsplit("/", 1)[-1]]
    refused = author_client.post(
        reverse("media:replace", args=[course.slug, item.pk]),
        {"replace-upload": upload(PDF, "c.png")},
    )
    assert refused.status_code == 400 and "not an image we accept" in refused.content.decode()
    item.refresh_from_db()
    assert item.content_type == "image/jpeg" and len(_files(settings)) == 1


def test_captions_are_added_on_the_item_page(author_client, course, author):
    video = services.media_upload(
        course=course, by=author, kind="video", upload=upload(sample("sample.webm"), "v.webm")
    )
    url = reverse("media:captions", args=[course.slug, video.pk])
    bad = author_client.post(url, {"captions-captions": upload(b"1\n00:00:01,000 --> x", "c.srt")})
    assert bad.status_code == 400 and "WEBVTT" in bad.content.decode()
    assert author_client.post(url, {"captions-captions": upload(VTT, "c.vtt")}).status_code == 302
    video.refresh_from_db()
    assert video.captions


# --- The learner's lesson page --------------------------------------------------------------------


@pytest.fixture
def lesson_with_media(course, author):
    embed = services.media_embed_add(
        course=course, by=author, url="https://youtu.be/dQw4w9WgXcQ", title="Safe lifting"
    )
    image = services.media_upload(
        course=course,
        by=author,
        kind="image",
        upload=upload(png_bytes(), "a.png"),
        alt_text="A hoist",
    )
    lesson = Lesson.objects.filter(module__course=course).first()
    lesson.body_markdown = (
        f"![A hoist](media:{image.pk})\n\nWatch this:\n\n[Safe lifting](media:{embed.pk})"
    )
    lesson.save()
    return lesson


def test_the_lesson_page_shows_the_embed_only_after_optional_cookies_are_accepted(
    client, make_user, course, lesson_with_media
):
    learner = make_user()
    enrolment_create(user=learner, course=course)
    client.force_login(learner)
    url = reverse("learning:lesson", args=[course.slug, lesson_with_media.pk])
    page = client.get(url)
    html = page.content.decode()
    assert '<img src="/media-files/' in html and 'alt="A hoist"' in html
    assert "<iframe" not in html
    assert "It is shown here only once you accept optional cookies" in html
    assert "Accept optional cookies and show the video" in html
    assert (
        "frame-src 'self' https://www.youtube-nocookie.com https://player.vimeo.com"
        in page["Content-Security-Policy"]
    )
    version = page.context["request"]._learnward_cookie_state.version
    response = client.post(
        reverse("cookies:settings"), {"choice": "accept", "version": version, "next": url}
    )
    assert response.status_code == 302 and response["Location"] == url
    html = client.get(url).content.decode()
    assert '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    # Rejecting hides it again.
    client.post(reverse("cookies:settings"), {"choice": "reject", "version": version, "next": url})
    assert "<iframe" not in client.get(url).content.decode()


def test_embed_hosts_are_in_the_cookie_register_while_an_embed_uses_them(course, author):
    names = [e.name for e in cookie_register()]
    assert "Embedded YouTube videos" not in names
    services.media_embed_add(
        course=course, by=author, url="https://youtu.be/dQw4w9WgXcQ", title="A"
    )
    entry = next(e for e in cookie_register() if e.name == "Embedded YouTube videos")
    assert not entry.essential and entry.provider == "Google"
    assert "Embedded Vimeo videos" not in [e.name for e in cookie_register()]


def test_the_privacy_notice_declares_people_shown_only_while_an_item_is_flagged(
    client, course, author
):
    from learnward.privacy.records.notice import build_notice

    assert build_notice()["people_shown"] is None
    services.media_upload(
        course=course,
        by=author,
        kind="image",
        upload=upload(png_bytes(), "team.png"),
        shows_people=True,
        people_permission=True,
    )
    section = build_notice()["people_shown"]
    assert section["category"] == "Images or recordings that show you"
    assert section["courses"] == ["Manual handling"] and section["count"] == 1
    page = client.get(reverse("privacy:notice")).content.decode()
    assert "Pictures and recordings of people in our courses" in page


def test_a_range_is_read_in_chunks_and_stops_at_its_length():
    """The streamed range: exactly ``length`` bytes across chunk edges, and the file closed."""
    import io

    from learnward.media.views import _read_range

    handle = io.BytesIO(bytes(range(100)))
    handle.seek(7)
    chunks = list(_read_range(handle, 25, chunk=10))
    assert [len(c) for c in chunks] == [10, 10, 5]
    assert b"".join(chunks) == bytes(range(7, 32))
    assert handle.closed
    short = io.BytesIO(b"abc")
    assert b"".join(_read_range(short, 10, chunk=2)) == b"abc"  # a file shorter than promised
