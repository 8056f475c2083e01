"""Demo media: the Manual handling course gets a picture (also its course picture), a captioned
video with a transcript and a PDF checklist, used in its lesson "A safe lifting technique".

The video and captions are small files kept in ``samples/`` (a three-second test card); the
picture and the PDF are drawn here. Everything goes through the same checked upload as an
author's. Idempotent: a course that already has media is left alone.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from learnward.catalog.models import Course, Lesson, MediaItem

from .services import media_upload

SAMPLES = Path(__file__).resolve().parent / "samples"
COURSE = "manual-handling"
LESSON = "A safe lifting technique"
AUTHOR = "author@learnward.test"


def _diagram() -> bytes:
    """A simple drawing: a person's knees bent beside a box, and the words of the rule."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 360), (243, 244, 247))
    draw = ImageDraw.Draw(image)
    draw.rectangle((380, 220, 520, 320), fill=(176, 120, 60), outline=(27, 27, 31), width=4)
    draw.ellipse((230, 70, 290, 130), fill=(29, 79, 145))
    draw.line((260, 130, 300, 220), fill=(29, 79, 145), width=14)  # back, kept straight
    draw.line((300, 220, 250, 270), fill=(29, 79, 145), width=14)  # thigh
    draw.line((250, 270, 300, 320), fill=(29, 79, 145), width=14)  # shin: knees bent
    draw.line((280, 170, 390, 240), fill=(29, 79, 145), width=12)  # arms to the box
    draw.line((40, 330, 600, 330), fill=(27, 27, 31), width=4)
    draw.text((40, 30), "Bend the knees, keep the load close", fill=(27, 27, 31))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _checklist_pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=True)
    pdf.setTitle("Lifting checklist")
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawString(72, 770, "Before you lift: a checklist")
    pdf.setFont("Helvetica", 12)
    lines = [
        "1. Where is the load going? Is the route clear?",
        "2. Do you need help or a lifting aid?",
        "3. Test the weight by tipping one corner.",
        "4. Feet apart, get close, bend the knees.",
        "5. Secure grip, lift smoothly, do not twist.",
    ]
    for number, line in enumerate(lines):
        pdf.drawString(72, 730 - 22 * number, line)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def load(result: dict) -> None:
    from learnward.accounts.models import User

    course = Course.objects.filter(slug=COURSE).first()
    if course is None or MediaItem.objects.filter(course=course).exists():
        return
    author = User.objects.filter(email=AUTHOR).first()
    image = media_upload(
        course=course,
        by=author,
        kind="image",
        title="Lifting posture",
        upload=SimpleUploadedFile("lifting-posture.png", _diagram()),
        alt_text="Drawing of a person lifting a box: knees bent, back straight, the box held "
        "close to the body.",
    )
    video = media_upload(
        course=course,
        by=author,
        kind="video",
        title="Test card (a sample video)",
        upload=SimpleUploadedFile("test-card.webm", (SAMPLES / "sample.webm").read_bytes()),
        captions=SimpleUploadedFile("test-card.vtt", (SAMPLES / "sample.vtt").read_bytes()),
        transcript="A test card: the video plays.\n\nCaptions appear here, in time with it.",
    )
    checklist = media_upload(
        course=course,
        by=author,
        kind="file",
        title="Lifting checklist",
        upload=SimpleUploadedFile("lifting-checklist.pdf", _checklist_pdf()),
    )
    if course.image_id is None:
        course.image = image
        course.save(update_fields=["image"])
    lesson = Lesson.objects.filter(module__course=course, title=LESSON).first()
    if lesson is not None and "media:" not in lesson.body_markdown:
        lesson.body_markdown = (
            f"![{image.alt_text}](media:{image.pk})\n\n"
            + lesson.body_markdown
            + f"\n\nWatch a short clip:\n\n[{video.title}](media:{video.pk})\n\n"
            + f"Print this before you start:\n\n[{checklist.title}](media:{checklist.pk})\n"
        )
        lesson.save(update_fields=["body_markdown"])
