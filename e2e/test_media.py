"""The media library in Chromium: an author uploads a phone photo with GPS EXIF (the served file
has none), a disguised page is refused with a message and nothing stored, a video gets captions
and a YouTube video is embedded; a learner sees the embed's consent placeholder, accepts, and
then gets the player's iframe. axe-core runs on every page, and each fits a 390 px phone.

Screenshots (1280 and 390 px) go to $LEARNWARD_SCREENSHOTS when it is set."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from e2e.conftest import check_accessibility
from e2e.steps import log_in
from tests.media.conftest import VTT, jpeg_with_gps, sample

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("LEARNWARD_SCREENSHOTS", "")


def _look(page, name: str) -> None:
    """Fits a phone, and (when asked) screenshots at both widths."""
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}-1280.png"), full_page=True)


@pytest.fixture
def world(db, make_user):
    from learnward.accounts.roles import COURSE_AUTHOR
    from learnward.learning.services import enrolment_create
    from tests.catalog.factories import make_course

    course = make_course(
        title="Manual handling",
        slug="manual-handling",
        modules=1,
        lessons_per_module=1,
        questions=0,
    )
    author = make_user(email="author@example.test", roles=[COURSE_AUTHOR])
    learner = make_user(email="sam@example.test")
    enrolment_create(user=learner, course=course)
    return {"course": course, "author": author, "learner": learner}


def _files(settings) -> list:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_an_author_builds_a_library_and_a_learner_consents_to_the_embed(
    page, world, tmp_path, settings
):
    from learnward.catalog.models import Lesson, MediaItem

    course = world["course"]
    # The embedded player's host is not reachable from the test machine: answer for it.
    page.context.route(
        "https://www.youtube-nocookie.com/**",
        lambda route: route.fulfill(
            body="<!doctype html><title>Player</title><p>Player</p>", content_type="text/html"
        ),
    )
    photo = tmp_path / "IMG_0042.jpg"
    photo.write_bytes(jpeg_with_gps(size=(64, 48)))
    disguised = tmp_path / "holiday.jpg"
    disguised.write_bytes(b"<!doctype html><html><script>alert(1)</script></html>")
    video = tmp_path / "clip.webm"
    video.write_bytes(sample("sample.webm"))
    captions = tmp_path / "clip.vtt"
    captions.write_bytes(VTT)

    log_in(page, world["author"].email)
    library = reverse("media:library", args=[course.slug])
    page.goto(library)
    expect(page.get_by_role("heading", name="Media for Manual handling")).to_be_visible()
    check_accessibility(page, label="empty media library")

    # A page disguised as a photo: refused, with the reason, and nothing stored.
    page.get_by_label("File", exact=True).set_input_files(str(disguised))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("alert")).to_contain_text("not an image we accept")
    assert not MediaItem.objects.exists() and _files(settings) == []
    check_accessibility(page, label="media library with an error")

    # The phone photo, with its alt text.
    page.get_by_label("File", exact=True).set_input_files(str(photo))
    page.get_by_label("Alt text (images)").fill("A ceiling hoist above a bed")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", name="IMG 0042")).to_be_visible()
    image = MediaItem.objects.get(kind="image")
    served = page.request.get(reverse("media_files:file", args=[image.pk]))
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"
    stored = Image.open(io.BytesIO(served.body()))
    assert dict(stored.getexif()) == {} and stored.size == (64, 48)
    check_accessibility(page, label="media item page")
    _look(page, "media-item")

    # A video, then its captions on its own page.
    page.goto(library)
    page.get_by_label("A video (MP4 or WebM)").check()
    page.get_by_label("File", exact=True).set_input_files(str(video))
    page.get_by_label("Title").first.fill("Rolling a patient")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("No captions yet")).to_be_visible()
    page.get_by_label("Caption file (WebVTT, .vtt)").set_input_files(str(captions))
    page.get_by_role("button", name="Upload captions").click()
    expect(page.get_by_text("This video has captions.")).to_be_visible()

    # A YouTube page address, embedded; a host outside the allow-list is refused.
    page.goto(library)
    page.get_by_label("Video address").fill("https://evil.example/embed/x")
    page.get_by_label("Title").nth(1).fill("Safe lifting")
    page.get_by_role("button", name="Add the video").click()
    expect(page.get_by_role("alert")).to_contain_text("Only videos from YouTube or Vimeo")
    page.get_by_label("Video address").fill("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    page.get_by_label("Title").nth(1).fill("Safe lifting")
    page.get_by_role("button", name="Add the video").click()
    expect(page.get_by_role("heading", name="Safe lifting")).to_be_visible()
    page.goto(library)
    check_accessibility(page, label="media library with items")
    _look(page, "media-library")

    # The lesson uses all three (pasted Markdown, as the library shows it).
    video_item = MediaItem.objects.get(kind="video")
    embed = MediaItem.objects.get(kind="embed")
    lesson = Lesson.objects.get(module__course=course)
    lesson.body_markdown = (
        f"![A ceiling hoist above a bed](media:{image.pk})\n\n"
        f"[Rolling a patient](media:{video_item.pk})\n\n"
        f"Watch this short video:\n\n[Safe lifting](media:{embed.pk})\n"
    )
    lesson.save()

    page.context.clear_cookies()
    log_in(page, world["learner"].email)
    page.goto(reverse("learning:lesson", args=[course.slug, lesson.pk]))
    placeholder = page.locator(".media-embed-placeholder")
    expect(placeholder).to_contain_text("only once you accept optional cookies")
    expect(placeholder.get_by_role("link", name="Watch it on YouTube")).to_have_attribute(
        "href", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    )
    assert page.locator("iframe").count() == 0
    expect(page.locator("video track[kind=captions]")).to_have_count(1)
    expect(page.get_by_role("img", name="A ceiling hoist above a bed")).to_be_visible()
    check_accessibility(page, label="lesson with an embed placeholder")
    _look(page, "lesson-placeholder")

    placeholder.get_by_role("button", name="Accept optional cookies and show the video").click()
    frame = page.locator("iframe[title='Video: Safe lifting']")
    expect(frame).to_have_attribute("src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
    expect(page.locator(".media-embed-placeholder")).to_have_count(0)
    check_accessibility(page, label="lesson with the embed")
    _look(page, "lesson-embed")
