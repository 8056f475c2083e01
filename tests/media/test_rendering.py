"""Lesson Markdown with media: images with alt, players with captions and transcript, downloads
with type and size, embeds behind consent; references are the same function everywhere."""

from __future__ import annotations

import pytest

from learnward.media import services
from learnward.media.rendering import render_lesson_html
from learnward.media.selectors import media_used_in

from .conftest import PDF, VTT, png_bytes, sample, upload

pytestmark = pytest.mark.django_db


def test_media_used_in_finds_image_link_and_reference_targets():
    texts = [
        "![A hoist](media:12) and [the form](media:13).",
        "[Video](<media:14>)\n\n[ref]: media:15\n",
        "media:99 in plain text is not a reference; nor is (media:98)",
    ]
    assert media_used_in(texts) == {12, 13, 14, 15}
    assert media_used_in([]) == set()


@pytest.fixture
def library(course, author):
    image = services.media_upload(
        course=course,
        by=author,
        kind="image",
        upload=upload(png_bytes((30, 20)), "hoist.png"),
        alt_text="A ceiling hoist",
    )
    video = services.media_upload(
        course=course,
        by=author,
        kind="video",
        title="Rolling a patient",
        upload=upload(sample("sample.webm"), "roll.webm"),
        captions=upload(VTT, "roll.vtt"),
        transcript="Hello and welcome.\n\nLet us begin.",
    )
    pdf = services.media_upload(
        course=course, by=author, kind="file", title="Checklist", upload=upload(PDF, "c.pdf")
    )
    embed = services.media_embed_add(
        course=course,
        by=author,
        url="https://youtu.be/dQw4w9WgXcQ",
        title="Safe lifting",
        transcript="Bend your knees.",
    )
    return {"image": image, "video": video, "file": pdf, "embed": embed}


def test_an_image_gets_its_url_alt_and_size(course, library):
    item = library["image"]
    html = render_lesson_html(
        f"![]( media:{item.pk})\n\n![Hoist in use](media:{item.pk})", course=course
    )
    assert f'src="/media-files/{item.pk}/"' in html
    assert 'alt="A ceiling hoist"' in html and 'alt="Hoist in use"' in html
    assert 'width="30" height="20"' in html
    assert "media:" not in html


def test_a_video_has_a_player_captions_track_and_transcript(course, library):
    item = library["video"]
    html = render_lesson_html(
        f"Watch this short video:\n\n[Rolling](media:{item.pk})", course=course
    )
    assert "<video controls" in html
    assert f'<source src="/media-files/{item.pk}/" type="video/webm">' in html
    assert f'<track kind="captions" src="/media-files/{item.pk}/captions/"' in html
    assert '<details class="media-transcript"><summary>Transcript' in html
    assert "<p>Hello and welcome.</p>" in html and "(0:03)" in html


def test_a_file_is_a_download_link_with_type_and_size(course, library):
    item = library["file"]
    html = render_lesson_html(f"[Checklist](media:{item.pk})", course=course)
    assert f'<a href="/media-files/{item.pk}/" download>Checklist</a>' in html
    assert f"(PDF document, {len(PDF)} bytes)" in html


def test_an_embed_is_a_placeholder_until_allowed_then_an_iframe(course, library):
    item = library["embed"]
    text = f"[Safe lifting](media:{item.pk})"
    placeholder = render_lesson_html(text, course=course, consent_form="<form>accept</form>")
    assert "<iframe" not in placeholder
    assert "It is shown here only once you accept optional cookies" in placeholder
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in placeholder
    assert 'href="/cookies/"' in placeholder and "<form>accept</form>" in placeholder
    shown = render_lesson_html(text, course=course, embeds_allowed=True)
    assert '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in shown
    assert 'title="Video: Safe lifting"' in shown
    for html in (placeholder, shown):  # the transcript is there either way
        assert "<summary>Transcript" in html and "<p>Bend your knees.</p>" in html


def test_another_courses_media_is_not_rendered(course, other_course, author):
    theirs = services.media_upload(
        course=other_course,
        by=author,
        kind="image",
        upload=upload(png_bytes(), "x.png"),
        alt_text="Theirs",
    )
    html = render_lesson_html(f"![x](media:{theirs.pk})", course=course)
    assert "/media-files/" not in html and "[Image not available]" in html


def test_the_sanitiser_still_applies_around_media(course, library):
    item = library["image"]
    text = (
        f'<script>alert(1)</script><iframe src="https://evil.example"></iframe>'
        f'\n\n![x" onerror="alert(1)](media:{item.pk})\n\n[click](javascript:alert(1))'
    )
    html = render_lesson_html(text, course=course)
    assert "<script" not in html and "evil.example" not in html and "javascript:" not in html
    assert "onerror=" not in html.replace("&quot; onerror=&quot;", "")


def test_publish_problems_name_missing_alt_text_captions_and_foreign_items(
    course, other_course, author
):
    bare = services.media_upload(
        course=course, by=author, kind="image", title="Bare", upload=upload(png_bytes(), "b.png")
    )
    silent = services.media_upload(
        course=course,
        by=author,
        kind="video",
        title="Silent",
        upload=upload(sample("sample.mp4"), "s.mp4"),
    )
    theirs = services.media_upload(
        course=other_course, by=author, kind="file", upload=upload(PDF, "t.pdf")
    )
    texts = [f"![]( media:{bare.pk})", f"[v](media:{silent.pk})", f"[t](media:{theirs.pk})"]
    problems = services.media_publish_problems(course=course, markdown_texts=texts)
    assert problems == [
        "The image “Bare” needs alt text (what it shows, for people who cannot see it).",
        "The video “Silent” needs a WebVTT caption file.",
        f"A lesson refers to media item {theirs.pk}, which is not in this course's media library. "
        "Insert it again from the library.",
    ]
    bare.alt_text = "A form"
    bare.save()
    services.media_captions_set(item=silent, by=author, captions=upload(VTT, "s.vtt"))
    assert services.media_publish_problems(course=course, markdown_texts=texts[:2]) == []
