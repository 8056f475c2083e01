"""The certificate as a PDF: A4 landscape, embedded TrueType fonts, a QR code of the verification URL.

Drawn straight onto a reportlab canvas (no templates, no platypus) because the layout is fixed and
this keeps a certificate to a few milliseconds. Fonts are registered once per process: DejaVu from
Debian's ``fonts-dejavu-core`` when installed (it covers far more names than Latin-1), otherwise the
Bitstream Vera fonts bundled with reportlab. TrueType fonts are always embedded (subset) by
reportlab, so the PDF renders the same everywhere.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from io import BytesIO
from pathlib import Path

import reportlab
import segno
from django.conf import settings
from django.utils.dateformat import format as format_date
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from learnward.core.links import absolute_url

from .models import Certificate

REGULAR = "LearnwardSans"
BOLD = "LearnwardSans-Bold"
DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
VERA_DIR = Path(reportlab.__file__).resolve().parent / "fonts"

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 42.0
INK = (0.11, 0.16, 0.23)
ACCENT = (0.05, 0.33, 0.55)
MUTED = (0.32, 0.36, 0.42)

_fonts_lock = threading.Lock()
_fonts_registered = False


def font_files() -> tuple[Path, Path]:
    dejavu = (DEJAVU_DIR / "DejaVuSans.ttf", DEJAVU_DIR / "DejaVuSans-Bold.ttf")
    if all(p.is_file() for p in dejavu):
        return dejavu
    return VERA_DIR / "Vera.ttf", VERA_DIR / "VeraBd.ttf"


def register_fonts() -> None:
    """Register the two fonts with reportlab, once per process (thread-safe)."""
    global _fonts_registered
    if _fonts_registered:
        return
    with _fonts_lock:
        if _fonts_registered:
            return
        regular, bold = font_files()
        pdfmetrics.registerFont(TTFont(REGULAR, str(regular)))
        pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
        _fonts_registered = True


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


def _fit(text: str, font: str, size: float, width: float, minimum: float) -> float:
    while size > minimum and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 1
    return size


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if line and pdfmetrics.stringWidth(candidate, font, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines or [""]


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
    size = _fit(settings.PROVIDER_NAME, BOLD, 18, text_width, 10)
    canvas.setFont(BOLD, size)
    canvas.drawCentredString(centre, y, settings.PROVIDER_NAME)

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

    y -= 36
    canvas.setFillColorRGB(*INK)
    size = _fit(certificate.holder_name, BOLD, 28, text_width, 12)
    canvas.setFont(BOLD, size)
    canvas.drawCentredString(centre, y, certificate.holder_name)

    y -= 28
    canvas.setFillColorRGB(*MUTED)
    canvas.setFont(REGULAR, 14)
    canvas.drawCentredString(centre, y, "has successfully completed the course")

    title_size = 20
    lines = _wrap(certificate.course_title, BOLD, title_size, text_width)
    while len(lines) > 2 and title_size > 11:
        title_size -= 1
        lines = _wrap(certificate.course_title, BOLD, title_size, text_width)
    canvas.setFillColorRGB(*INK)
    canvas.setFont(BOLD, title_size)
    y -= 8
    for line in lines[:3]:
        y -= title_size + 6
        canvas.drawCentredString(centre, y, line)

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
    url_size = _fit(url, REGULAR, 10, qr_x - left - 12, 6)
    canvas.setFont(REGULAR, url_size)
    canvas.drawString(left, qr_y + 22, url)
    url_width = pdfmetrics.stringWidth(url, REGULAR, url_size)
    canvas.linkURL(url, (left, qr_y + 18, left + url_width, qr_y + 32), relative=0)

    draw_qr(canvas, url, x=qr_x, y=qr_y, size=qr_size)

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
