"""The certificate as a PDF: A4 landscape, embedded TrueType fonts, a QR code of the verification URL.

Drawn straight onto a reportlab canvas (no templates, no platypus) because the layout is fixed and
this keeps a certificate to a few milliseconds. The fonts, the fallback font per glyph for CJK
names, right-to-left names and fitting text into lines are in :mod:`.typesetting`. TrueType fonts
are always embedded (subset) by reportlab, so the PDF renders the same everywhere.

Every text that comes from a person or a course (the provider, the holder's name, the course
title, the verification address) is fitted into its box: the name takes at most two lines and
then gets smaller, so no name the sign-up form or a reissue accepts runs past the border.
"""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO

import segno
from django.conf import settings
from django.utils.dateformat import format as format_date
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from learnward.core.links import absolute_url

from .models import Certificate
from .typesetting import BOLD, REGULAR, draw, fit, font_files, register_fonts

__all__ = [
    "BOLD",
    "REGULAR",
    "certificate_pdf_bytes",
    "font_files",
    "register_fonts",
    "verification_url",
]

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 42.0
INK = (0.11, 0.16, 0.23)
ACCENT = (0.05, 0.33, 0.55)
MUTED = (0.32, 0.36, 0.42)
# The inner border line; every text stays inside it (x0, y0, x1, y1 in PDF points).
BORDER = (MARGIN / 2 + 6, MARGIN / 2 + 6, PAGE_WIDTH - MARGIN / 2 - 6, PAGE_HEIGHT - MARGIN / 2 - 6)
NAME_LINES = 2
TITLE_LINES = 3


def verification_url(certificate: Certificate) -> str:
    return absolute_url(certificate.get_absolute_url())


@lru_cache(maxsize=256)
def qr_runs(data: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """The QR code of ``data`` (error correction M, best mask) as runs of dark modules.

    Returns the symbol width in modules including the 4-module quiet zone, and (row, start,
    length) runs. Cached: a holder downloading the same certificate again skips the encoding.
    """
    qr = segno.make(data, error="m", micro=False)
    runs = []
    rows = list(qr.matrix_iter(scale=1, border=4))
    for r, row in enumerate(rows):
        c, width = 0, len(row)
        while c < width:
            if row[c]:
                start = c
                while c < width and row[c]:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return len(rows), tuple(runs)


def draw_qr(canvas: Canvas, data: str, *, x: float, y: float, size: float) -> None:
    """Draw a QR code of ``data`` as vector squares, ``size`` points wide including its quiet zone.

    Dark modules are merged into horizontal runs and drawn as one path in module units (integer
    coordinates keep the content stream small).
    """
    width, runs = qr_runs(data)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.saveState()
    canvas.translate(x, y + size)
    canvas.scale(size / width, -size / width)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for row, start, length in runs:
        path.rect(start, row, length, 1)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def _hours(certificate: Certificate) -> str:
    return f"{certificate.cpd_hours.normalize():f}"


def certificate_pdf_bytes(*, certificate: Certificate) -> bytes:
    """Render ``certificate`` as a PDF document."""
    register_fonts()
    url = verification_url(certificate)
    buffer = BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        pageCompression=1,
        initialFontName=REGULAR,  # not Helvetica, which would be referenced but not embedded
        initialFontSize=12,
    )
    canvas.setTitle(f"CPD certificate {certificate.display_code}")
    canvas.setAuthor(settings.PROVIDER_NAME)
    canvas.setSubject(certificate.course_title)
    canvas.setCreator("Learnward")

    # Frame
    canvas.setStrokeColorRGB(*ACCENT)
    canvas.setLineWidth(3)
    canvas.rect(MARGIN / 2, MARGIN / 2, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - MARGIN)
    canvas.setLineWidth(0.75)
    canvas.rect(MARGIN / 2 + 6, MARGIN / 2 + 6, PAGE_WIDTH - MARGIN - 12, PAGE_HEIGHT - MARGIN - 12)

    centre = PAGE_WIDTH / 2
    text_width = PAGE_WIDTH - 4 * MARGIN
    y = PAGE_HEIGHT - 2 * MARGIN - 4

    canvas.setFillColorRGB(*ACCENT)
    size, lines = fit(
        settings.PROVIDER_NAME, BOLD, width=text_width, size=18, min_size=10, max_lines=1
    )
    draw(canvas, centre, y, lines[0], BOLD, size, centred=True)

    y -= 46
    canvas.setFillColorRGB(*INK)
    canvas.setFont(BOLD, 30)
    canvas.drawCentredString(centre, y, "Certificate of Continuing")
    y -= 36
    canvas.drawCentredString(centre, y, "Professional Development")

    y -= 38
    canvas.setFillColorRGB(*MUTED)
    canvas.setFont(REGULAR, 14)
    canvas.drawCentredString(centre, y, "This certifies that")

    # The name: one line at 28 pt if it fits, else two lines, shrinking (to 12 pt with whole
    # words, then smaller and between characters if need be) until it fits in two.
    canvas.setFillColorRGB(*INK)
    size, lines = fit(
        certificate.holder_name, BOLD, width=text_width, size=28, min_size=12, max_lines=NAME_LINES
    )
    y -= size + 8
    for number, line in enumerate(lines):
        if number:
            y -= size * 1.2
        draw(canvas, centre, y, line, BOLD, size, centred=True)

    y -= 28
    canvas.setFillColorRGB(*MUTED)
    canvas.setFont(REGULAR, 14)
    canvas.drawCentredString(centre, y, "has successfully completed the course")

    # The title: up to two lines from 20 pt down to 11 pt, then three lines, smaller.
    title_size, lines = fit(
        certificate.course_title,
        BOLD,
        width=text_width,
        size=20,
        min_size=11,
        max_lines=2,
        more_lines=TITLE_LINES,
    )
    canvas.setFillColorRGB(*INK)
    y -= 8
    for line in lines:
        y -= title_size + 6
        draw(canvas, centre, y, line, BOLD, title_size, centred=True)

    y -= 28
    canvas.setFont(REGULAR, 14)
    canvas.drawCentredString(centre, y, f"{_hours(certificate)} CPD hours")

    # Details and verification, bottom left; QR code bottom right.
    qr_size = 118.0
    qr_x = PAGE_WIDTH - MARGIN - 14 - qr_size
    qr_y = MARGIN - 2
    left = MARGIN + 22
    awarded = format_date(certificate.awarded_on, "j F Y")
    expiry = (
        f"Expires on {format_date(certificate.expires_on, 'j F Y')}"
        if certificate.expires_on
        else "Does not expire"
    )
    canvas.setFillColorRGB(*INK)
    canvas.setFont(REGULAR, 11)
    canvas.drawString(left, qr_y + 92, f"Awarded on {awarded}")
    canvas.drawString(left, qr_y + 76, expiry)
    canvas.setFont(BOLD, 11)
    canvas.drawString(left, qr_y + 52, f"Certificate code: {certificate.display_code}")
    canvas.setFont(REGULAR, 10)
    canvas.setFillColorRGB(*MUTED)
    canvas.drawString(left, qr_y + 36, "Check this certificate at")
    canvas.setFillColorRGB(*ACCENT)
    url_size, _ = fit(url, REGULAR, width=qr_x - left - 12, size=10, min_size=6, max_lines=1)
    canvas.setFont(REGULAR, url_size)
    canvas.drawString(left, qr_y + 22, url)
    url_width = pdfmetrics.stringWidth(url, REGULAR, url_size)
    canvas.linkURL(url, (left, qr_y + 18, left + url_width, qr_y + 32), relative=0)

    draw_qr(canvas, url, x=qr_x, y=qr_y, size=qr_size)

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
