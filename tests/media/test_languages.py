"""The media library and lesson media in Dutch and French: sizes with a decimal comma, the
learner's players and placeholders, the author's pages and refusals."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from learnward.media import checks, services
from learnward.media.checks import MediaRejected
from learnward.media.rendering import render_lesson_html
from tests.media.conftest import PDF, VTT, sample, upload

pytestmark = pytest.mark.django_db


def test_sizes_follow_the_language():
    with translation.override("nl"):
        assert checks.human_size(1_500_000) == "1,5 MB"
        assert checks.human_size(12) == "12 bytes"
    with translation.override("fr"):
        assert checks.human_size(1_500_000) == "1,5 Mo"
        assert checks.human_size(1) == "1 octet"
    with translation.override("en-gb"):
        assert checks.human_size(1_500_000) == "1.5 MB"


def test_a_refusal_is_written_in_the_authors_language():
    with translation.override("fr"), pytest.raises(MediaRejected) as refused:
        checks.inspect_captions(upload(b"not captions", "c.vtt"))
    assert refused.value.message.startswith("Ce n'est pas un fichier de sous-titres WebVTT")
    with translation.override("nl"), pytest.raises(MediaRejected) as refused:
        checks.inspect_file(upload(b"plain text", "notes.pdf"))
    assert refused.value.message == (
        "Dat bestand is geen PDF-, Word- (.docx), PowerPoint- (.pptx) of Excel-document (.xlsx)."
    )


def test_lesson_media_speaks_the_learners_language(course, author):
    course.language = "fr"
    course.save()
    pdf = services.media_upload(
        course=course, by=author, kind="file", title="Checklist", upload=upload(PDF, "c.pdf")
    )
    video = services.media_upload(
        course=course,
        by=author,
        kind="video",
        title="Rolling",
        upload=upload(sample("sample.webm"), "roll.webm"),
        captions=upload(VTT, "roll.vtt"),
        transcript="Bonjour.",
    )
    embed = services.media_embed_add(
        course=course, by=author, url="https://youtu.be/dQw4w9WgXcQ", title="Safe lifting"
    )
    markdown = (
        f"[Checklist](media:{pdf.pk})\n\n[Rolling](media:{video.pk})\n\n[Safe](media:{embed.pk})"
    )
    with translation.override("nl"):
        html = render_lesson_html(markdown + "\n\n[Gone](media:99999)", course=course)
    assert f"(PDF-document, {len(PDF)} bytes)" in html
    assert 'label="Ondertitels"' in html
    # The captions are in the language the course is taught in, not the page's.
    assert 'srclang="fr"' in html
    assert "<summary>Transcriptie" in html
    assert "Video: Safe lifting" in html and "Cookie-instellingen" in html
    assert "nadat u optionele cookies hebt aanvaard" in html
    assert "[Media niet beschikbaar]" in html
    assert "Cookie settings" not in html and "Transcript<" not in html


def test_the_library_page_in_dutch(author, course):
    client = Client()
    client.force_login(author)
    with translation.override("nl"):
        url = reverse("media:library", kwargs={"slug": course.slug})
    page = client.get(url).content.decode()
    assert "Media voor Manual handling" in page and "Wat uploadt u?" in page
    assert "Een video van YouTube of Vimeo insluiten" in page
    assert "What are you uploading?" not in page and "Embed a YouTube" not in page
    response = client.post(
        url,
        {"upload-kind": "file", "upload-upload": upload(b"nope", "x.pdf")},
    )
    assert response.status_code == 400
    assert "Dat bestand is geen PDF-" in response.content.decode()
