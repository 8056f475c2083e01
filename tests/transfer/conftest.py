import hashlib
import io
import json
import os
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from learnward.accounts.roles import COURSE_AUTHOR
from learnward.catalog.models import AwardingBody, Lesson, MediaItem
from learnward.media import demo as media_demo
from learnward.media.services import media_embed_add, media_upload
from learnward.transfer import services
from tests.catalog.factories import make_course

SAMPLES = Path(media_demo.__file__).resolve().parent / "samples"
MP4 = (SAMPLES / "sample.mp4").read_bytes()
VTT = (SAMPLES / "sample.vtt").read_bytes()


def png_bytes(colour=(200, 30, 30), size=(40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (16, 16), (10, 120, 10))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def add_media(course, kind, title, data=None, name="upload.bin", **fields) -> MediaItem:
    item = MediaItem(course=course, kind=kind, title=title, uploaded_at=timezone.now(), **fields)
    if data is not None:
        item.file.save(name, ContentFile(data), save=False)
        item.size = len(data)
        item.sha256 = hashlib.sha256(data).hexdigest()
    item.save()
    return item


@pytest.fixture
def author(make_user):
    return make_user(email="author@example.test", roles=[COURSE_AUTHOR])


@pytest.fixture
def rich_course(db):
    return make_rich_course()


def make_rich_course():
    """Two modules, three lessons, an image, a PDF, a captioned video, an embed and questions."""
    body = AwardingBody.objects.create(
        name="Institute of Safety", purpose="Registers learners.", website="https://ios.example"
    )
    course = make_course(
        title="Food hygiene",
        slug="food-hygiene",
        modules=2,
        lessons_per_module=0,
        questions=0,
        awarding_body=body,
        date_of_birth_requirement="required",
        certificate_validity_months=36,
        accreditation_number="IOS-42",
        description="A *short* course.",
    )
    course.cpd_hours = Decimal("7.5")
    # Through the media library's own uploads, as an author adds them (images re-encoded).
    image = media_upload(
        course=course,
        by=None,
        kind="image",
        upload=SimpleUploadedFile("wash.jpg", jpeg_with_gps()),
        title="Hand washing",
        alt_text="Hands under a running tap",
    )
    pdf = media_upload(
        course=course,
        by=None,
        kind="file",
        upload=SimpleUploadedFile("schedule.pdf", PDF),
        title="Cleaning schedule",
    )
    video = media_upload(
        course=course,
        by=None,
        kind="video",
        upload=SimpleUploadedFile("welcome.mp4", MP4),
        captions=SimpleUploadedFile("welcome.vtt", VTT),
        title="Welcome video",
        transcript="Hello and welcome.",
    )
    embed = media_embed_add(
        course=course,
        by=None,
        url="https://www.youtube.com/watch?v=abc123def",
        title="Temperature talk",
    )
    course.image = image
    course.renewal_course = course
    course.save()
    first, second = course.modules.order_by("position")
    Lesson.objects.create(
        module=first,
        title="Why hygiene matters",
        position=0,
        estimated_minutes=10,
        body_markdown=f"# Why\n\nWash your hands.\n\n![{image.alt_text}](media:{image.pk})\n",
    )
    Lesson.objects.create(
        module=first,
        title="Cleaning",
        position=1,
        body_markdown=f"Clean as you go.\n\n[Cleaning schedule](media:{pdf.pk})\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    )
    Lesson.objects.create(
        module=second,
        title="Welcome: a video!",
        position=0,
        body_markdown=f"Watch this short video:\n\n[Welcome video](media:{video.pk})\n\n"
        f"[Temperature talk](media:{embed.pk})\n",
    )
    build_bank(course)
    return course


def export_bytes(course, by=None) -> bytes:
    buffer = io.BytesIO()
    services.course_export(course=course, by=by, out=buffer)
    return buffer.getvalue()


def rebuild(
    data: bytes, *, edit=None, drop=(), add=(), replace=None, compression=zipfile.ZIP_DEFLATED
) -> bytes:
    """A copy of the zip ``data``: course.json changed by ``edit(doc)``, entries dropped, entries
    replaced (name -> bytes) and entries added ((name or ZipInfo, bytes) pairs)."""
    replace = replace or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as target:
        for info in source.infolist():
            if info.filename in drop:
                continue
            content = replace.get(info.filename, source.read(info))
            if info.filename == "course.json" and edit is not None:
                doc = json.loads(content)
                edit(doc)
                content = json.dumps(doc).encode()
            target.writestr(info.filename, content)
        for name, content in add:
            target.writestr(name, content)
    return out.getvalue()


def stored_files() -> list[str]:
    found = []
    for folder, _, names in os.walk(settings.MEDIA_ROOT):
        found += [os.path.join(folder, n) for n in names]
    return sorted(found)


def build_bank(course) -> None:
    """A bank of two categories with every question type (one retired), a final assessment
    drawing from both with shuffles, and a practice quiz after the first module."""
    from learnward.assessments.authoring import (
        AssessmentSpec,
        QuestionSpec,
        assessment_save,
        category_create,
        question_retire,
        question_save,
    )

    basics = category_create(course=course, by=None, name="Basics")
    cleaning = category_create(course=course, by=None, name="Cleaning")
    specs = [
        QuestionSpec(
            kind="single",
            category=basics,
            text="Wash hands for?",
            explanation="20 s at least.",
            choices=[("20 s", "", True), ("2 s", "", False)],
        ),
        QuestionSpec(
            kind="multiple",
            category=basics,
            text="Which are clean?",
            points=2,
            partial_credit=True,
            choices=[("Sink", "", True), ("Board", "", True), ("Bin", "", False)],
        ),
        QuestionSpec(
            kind="true_false",
            category=basics,
            text="Raw chicken is safe to wash.",
            choices=[("True", "", False), ("False", "", True)],
        ),
        QuestionSpec(
            kind="short",
            category=basics,
            text="What kills bacteria?",
            match="exact",
            choices=[("Heat", "", True), ("Cooking", "", True)],
        ),
        QuestionSpec(
            kind="numeric",
            category=cleaning,
            text="Fridge temperature (°C)?",
            numeric_answer=Decimal("-4.5"),
            numeric_tolerance=Decimal("0.5"),
        ),
        QuestionSpec(
            kind="matching",
            category=cleaning,
            text="Match the board to the food.",
            partial_credit=True,
            choices=[("Red", "Raw meat", True), ("Green", "Salad", True)],
        ),
        QuestionSpec(
            kind="ordering",
            category=cleaning,
            text="Put the steps in order.",
            choices=[("Scrape", "", True), ("Wash", "", True), ("Rinse", "", True)],
        ),
        QuestionSpec(
            kind="essay",
            category=cleaning,
            text="Describe your cleaning schedule.",
            criteria=[("Covers every area", 3), ("Says how often", 2)],
        ),
    ]
    for spec in specs:
        question_save(course=course, by=None, spec=spec)
    retired = question_save(
        course=course,
        by=None,
        spec=QuestionSpec(
            kind="single",
            category=basics,
            text="An old question",
            choices=[("A", "", True), ("B", "", False)],
        ),
    )
    question_retire(question=retired, by=None)
    assessment_save(
        course=course,
        by=None,
        spec=AssessmentSpec(
            title="Final assessment",
            instructions="Answer *all*.",
            time_limit_minutes=30,
            shuffle_questions=True,
            shuffle_choices=True,
            second_marking=True,
            draw={basics.pk: 3, cleaning.pk: 2},
        ),
    )
    assessment_save(
        course=course,
        by=None,
        module=course.modules.order_by("position").first(),
        spec=AssessmentSpec(title="Practice: basics", draw={basics.pk: 1}),
    )
