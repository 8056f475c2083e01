"""The certificate as a PDF: one A4 landscape page, embedded TrueType fonts, a QR code of the
verification URL, in one of two layouts (classic or modern) chosen per course.

Drawn straight onto a reportlab canvas (no templates, no platypus) because the layouts are fixed
and this keeps a certificate to a few milliseconds. The fonts, the fallback font per glyph for
CJK names, right-to-left names and fitting text into lines are in :mod:`.typesetting`. TrueType
fonts are always embedded (subset) by reportlab, so the PDF renders the same everywhere.

Both layouts carry the provider's branding (``learnward.core.branding``: legal name, colours,
logo, signature image, signatory's name and title), the course's awarding body and accreditation
number as kept on the certificate at award, and the CPD hours in large type. A revoked
certificate is drawn with "REVOKED" across it and the date it was revoked.

Every text that comes from a person or a course (the provider, the holder's name, the course
title, the awarding body, the verification address) is fitted into its box: the name takes at
most two lines and then gets smaller, so no name the sign-up form or a reissue accepts runs past
the border (``BORDER``, the same safe area in both layouts).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from io import BytesIO

import segno
from django.conf import settings
from django.utils import translation
from django.utils.dateformat import format as format_date
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from learnward.core.branding import current_branding
from learnward.core.i18n import supported_language, use_language
from learnward.core.links import absolute_url

from .models import Certificate
from .typesetting import BOLD, REGULAR, draw, fit, font_files, register_fonts

__all__ = [
    "BOLD",
    "LAYOUTS",
    "REGULAR",
    "certificate_language",
    "certificate_pdf_bytes",
    "font_files",
    "register_fonts",
    "verification_url",
]

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 42.0
INK = (0.11, 0.16, 0.23)
ACCENT = (0.05, 0.33, 0.55)  # the default brand colour (the badge image uses it)
MUTED = (0.32, 0.36, 0.42)
REVOKED_RED = (0.70, 0.08, 0.08)
# The inner border line; every text stays inside it (x0, y0, x1, y1 in PDF points).
BORDER = (MARGIN / 2 + 6, MARGIN / 2 + 6, PAGE_WIDTH - MARGIN / 2 - 6, PAGE_HEIGHT - MARGIN / 2 - 6)
NAME_LINES = 2
TITLE_LINES = 3
LAYOUTS = ("classic", "modern")
IMAGE_MAX_PIXELS = (900, 300)  # logos and signatures are scaled down to this once, then cached


def verification_url(certificate: Certificate) -> str:
    """The certificate's public verification address, without a language prefix: whoever opens
    it (from the PDF's QR code, a shared link, LinkedIn, the credential) gets the page in their
    own language (their browser's Accept-Language or their choice), not the holder's."""
    with translation.override(settings.LANGUAGE_CODE):
        return absolute_url(certificate.get_absolute_url())


def certificate_language(certificate: Certificate) -> str:
    """The language the certificate's own documents (PDF, its picture, the Open Badges
    credential's wording) are written in: the holder's saved language, whoever asks for them.
    A certificate with no account behind it (an erased holder) is in the default language."""
    if getattr(certificate, "user_id", None) is None:
        return settings.LANGUAGE_CODE
    from django.contrib.auth import get_user_model

    cached = getattr(certificate, "_state", None) and certificate._state.fields_cache.get("user")
    if cached is not None:
        return supported_language(cached.language)
    language = (
        get_user_model()
        .objects.filter(pk=certificate.user_id)
        .values_list("language", flat=True)
        .first()
    )
    return supported_language(language)


def _rgb(hex_colour: str, fallback: tuple[float, float, float]) -> tuple[float, float, float]:
    value = (hex_colour or "").lstrip("#")
    if len(value) != 6:
        return fallback
    try:
        return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]
    except ValueError:
        return fallback


@lru_cache(maxsize=8)
def _image_reader(digest: str, data: bytes) -> ImageReader | None:
    """A logo or signature ready for reportlab, scaled down once (keyed by the bytes' digest)."""
    from PIL import Image

    try:
        image = Image.open(BytesIO(data))
        image.load()
    except Exception:  # noqa: BLE001 - a broken upload must not stop the certificate
        return None
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    image.thumbnail(IMAGE_MAX_PIXELS)
    return ImageReader(image)


def _image(data: bytes | None) -> ImageReader | None:
    if not data:
        return None
    return _image_reader(hashlib.sha256(data).hexdigest(), data)


_brand_images_cache: dict[str, tuple[ImageReader | None, ImageReader | None]] = {}


def _brand_images(brand) -> tuple[ImageReader | None, ImageReader | None]:
    """The brand's logo and signature ready to draw, read from the database once per version of
    the branding (its ``version`` changes whenever an image does)."""
    images = _brand_images_cache.get(brand.version)
    if images is None:
        images = (_image(brand.logo_bytes()), _image(brand.signature_bytes()))
        _brand_images_cache.clear()  # one version at a time
        _brand_images_cache[brand.version] = images
    return images


def _draw_image(canvas: Canvas, reader: ImageReader, *, x: float, y: float, w: float, h: float):
    """Draw ``reader`` fitted into the box (x, y, w, h), centred, keeping its proportions."""
    iw, ih = reader.getSize()
    scale = min(w / iw, h / ih)
    dw, dh = iw * scale, ih * scale
    canvas.drawImage(reader, x + (w - dw) / 2, y + (h - dh) / 2, dw, dh, mask="auto")


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


def hours_text(certificate: Certificate) -> str:
    """The CPD hours as few digits as needed, with the active language's decimal mark ("3.5",
    "3,5")."""
    text = f"{certificate.cpd_hours.normalize():f}"
    return text.replace(".", get_format("DECIMAL_SEPARATOR"))


_hours = hours_text  # the older name


class _Context:
    """What both layouts draw, worked out once."""

    def __init__(self, certificate: Certificate):
        brand = current_branding()
        self.certificate = certificate
        self.url = verification_url(certificate)
        self.provider = brand.legal_name
        self.primary = _rgb(brand.primary_colour, ACCENT)
        self.accent = _rgb(brand.accent_colour, self.primary)
        self.logo, self.signature = _brand_images(brand)
        self.signatory_name = brand.signatory_name
        self.signatory_title = brand.signatory_title
        self.awarded = format_date(certificate.awarded_on, "j F Y")
        self.expiry = (
            _("Expires on %(date)s") % {"date": format_date(certificate.expires_on, "j F Y")}
            if certificate.expires_on
            else _("Does not expire")
        )
        self.hours = hours_text(certificate)
        self.revoked = certificate.revoked_on is not None

    def accreditation(self) -> str:
        parts = []
        if self.certificate.awarding_body:
            parts.append(_("Awarding body: %(name)s") % {"name": self.certificate.awarding_body})
        if self.certificate.accreditation_number:
            parts.append(
                _("Accreditation number: %(number)s")
                % {"number": self.certificate.accreditation_number}
            )
        return "   ·   ".join(parts)


def _fitted(canvas, text, font, *, x, y, width, size, min_size, centred) -> float:
    """Draw ``text`` on one line, shrunk to fit ``width``; returns the size used."""
    size, lines = fit(text, font, width=width, size=size, min_size=min_size, max_lines=1)
    draw(canvas, x, y, lines[0], font, size, centred=centred)
    return size


def _name_and_title(canvas, ctx: _Context, *, x: float, y: float, width: float, centred: bool):
    """ "This certifies that", the name, "has successfully completed the course", the title;
    returns the baseline of the title's last line."""
    certificate = ctx.certificate
    canvas.setFillColorRGB(*MUTED)
    canvas.setFont(REGULAR, 13)
    draw(canvas, x, y, _("This certifies that"), REGULAR, 13, centred=centred)
    # The name: one line at 28 pt if it fits, else two lines, shrinking (to 12 pt with whole
    # words, then smaller and between characters if need be) until it fits in two.
    canvas.setFillColorRGB(*INK)
    size, lines = fit(
        certificate.holder_name, BOLD, width=width, size=28, min_size=12, max_lines=NAME_LINES
    )
    y -= size + 8
    for number, line in enumerate(lines):
        if number:
            y -= size * 1.2
        draw(canvas, x, y, line, BOLD, size, centred=centred)
    y -= 26
    canvas.setFillColorRGB(*MUTED)
    draw(canvas, x, y, _("has successfully completed the course"), REGULAR, 13, centred=centred)
    # The title: up to two lines from 20 pt down to 11 pt, then three lines, smaller.
    title_size, lines = fit(
        certificate.course_title,
        BOLD,
        width=width,
        size=20,
        min_size=11,
        max_lines=2,
        more_lines=TITLE_LINES,
    )
    canvas.setFillColorRGB(*INK)
    y -= 6
    for line in lines:
        y -= title_size + 6
        draw(canvas, x, y, line, BOLD, title_size, centred=centred)
    return y


def _signature(canvas, ctx: _Context, *, x: float, y: float, width: float) -> None:
    """The signature image above a line, then the signatory's name and title (centred on the
    column starting at ``x``); ``y`` is the line's height."""
    if ctx.signature is None and not ctx.signatory_name:
        return
    centre = x + width / 2
    if ctx.signature is not None:
        _draw_image(canvas, ctx.signature, x=x + 10, y=y + 3, w=width - 20, h=44)
    canvas.setStrokeColorRGB(*MUTED)
    canvas.setLineWidth(0.6)
    canvas.line(x, y, x + width, y)
    canvas.setFillColorRGB(*INK)
    if ctx.signatory_name:
        _fitted(
            canvas, ctx.signatory_name, BOLD, x=centre, y=y - 14, width=width, size=11,
            min_size=7, centred=True,
        )  # fmt: skip
    if ctx.signatory_title:
        canvas.setFillColorRGB(*MUTED)
        _fitted(
            canvas, ctx.signatory_title, REGULAR, x=centre, y=y - 27, width=width, size=9.5,
            min_size=6, centred=True,
        )  # fmt: skip


def _details(canvas, ctx: _Context, *, x: float, y: float, width: float) -> None:
    """Award and expiry dates, the code and the verification address, top line at ``y``."""
    canvas.setFillColorRGB(*INK)
    canvas.setFont(REGULAR, 11)
    canvas.drawString(x, y, _("Awarded on %(date)s") % {"date": ctx.awarded})
    canvas.drawString(x, y - 16, ctx.expiry)
    canvas.setFont(BOLD, 11)
    canvas.drawString(
        x, y - 40, _("Certificate code: %(code)s") % {"code": ctx.certificate.display_code}
    )
    canvas.setFont(REGULAR, 10)
    canvas.setFillColorRGB(*MUTED)
    canvas.drawString(x, y - 56, _("Check this certificate at"))
    canvas.setFillColorRGB(*ctx.primary)
    url_size, _lines = fit(ctx.url, REGULAR, width=width, size=10, min_size=6, max_lines=1)
    canvas.setFont(REGULAR, url_size)
    canvas.drawString(x, y - 70, ctx.url)
    url_width = pdfmetrics.stringWidth(ctx.url, REGULAR, url_size)
    canvas.linkURL(ctx.url, (x, y - 74, x + url_width, y - 60), relative=0)


def _revoked_stamp(canvas, ctx: _Context) -> None:
    """The word REVOKED across the page in red, over everything, and a red band along the top edge
    saying when (horizontal, so text extraction and screen readers read it plainly)."""
    revoked = format_date(ctx.certificate.revoked_on, "j F Y")
    canvas.saveState()
    canvas.setFillColorRGB(*REVOKED_RED)
    canvas.rect(0, PAGE_HEIGHT - MARGIN / 2 + 1, PAGE_WIDTH, MARGIN / 2 - 1, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.setFont(BOLD, 11)
    canvas.drawCentredString(
        PAGE_WIDTH / 2,
        PAGE_HEIGHT - MARGIN / 2 + 6,
        _("REVOKED · Revoked on %(date)s. Do not rely on this certificate.") % {"date": revoked},
    )
    canvas.setFillColorRGB(*REVOKED_RED)
    canvas.setStrokeColorRGB(*REVOKED_RED)
    canvas.setFillAlpha(0.72)
    canvas.setStrokeAlpha(0.72)
    # Clear of the QR code in both layouts, so the code still scans and leads to the status.
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2 + 24)
    canvas.rotate(18)
    canvas.setLineWidth(6)
    canvas.roundRect(-250, -52, 500, 104, 14, stroke=1, fill=0)
    stamp = _("REVOKED")
    canvas.setFont(BOLD, _size_to_fit(stamp, BOLD, 88, 460))
    canvas.drawCentredString(0, -31, stamp)
    canvas.restoreState()


def _classic(canvas: Canvas, ctx: _Context) -> None:
    """Centred, framed, with the logo on top and signature, details and QR code along the foot."""
    canvas.setStrokeColorRGB(*ctx.primary)
    canvas.setLineWidth(3)
    canvas.rect(MARGIN / 2, MARGIN / 2, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - MARGIN)
    canvas.setStrokeColorRGB(*ctx.accent)
    canvas.setLineWidth(0.75)
    x0, y0, x1, y1 = BORDER
    canvas.rect(x0, y0, x1 - x0, y1 - y0)

    centre = PAGE_WIDTH / 2
    text_width = PAGE_WIDTH - 4 * MARGIN
    y = y1 - 14
    if ctx.logo is not None:
        _draw_image(canvas, ctx.logo, x=centre - 110, y=y - 46, w=220, h=46)
        y -= 46 + 10
    y -= 16
    canvas.setFillColorRGB(*ctx.primary)
    _fitted(canvas, ctx.provider, BOLD, x=centre, y=y, width=text_width, size=16, min_size=9,
            centred=True)  # fmt: skip

    y -= 36
    canvas.setFillColorRGB(*INK)
    first, second = _title_lines()
    canvas.setFont(BOLD, _size_to_fit(first, BOLD, 26, text_width))
    canvas.drawCentredString(centre, y, first)
    y -= 30
    canvas.setFont(BOLD, _size_to_fit(second, BOLD, 26, text_width))
    canvas.drawCentredString(centre, y, second)

    y -= 30
    y = _name_and_title(canvas, ctx, x=centre, y=y, width=text_width, centred=True)

    # The CPD hours, large, in the brand's colour.
    y -= 34
    canvas.setFillColorRGB(*ctx.primary)
    draw(canvas, centre, y, _("%(hours)s CPD hours") % {"hours": ctx.hours}, BOLD, 24, centred=True)
    accreditation = ctx.accreditation()
    if accreditation:
        y -= 20
        canvas.setFillColorRGB(*MUTED)
        _fitted(canvas, accreditation, REGULAR, x=centre, y=y, width=text_width, size=11,
                min_size=6, centred=True)  # fmt: skip

    # Along the foot: details (left), signature (centre), QR code (right).
    qr_size = 118.0
    qr_x = PAGE_WIDTH - MARGIN - 14 - qr_size
    qr_y = MARGIN - 2
    left = MARGIN + 22
    _details(canvas, ctx, x=left, y=qr_y + 92, width=250)
    _signature(canvas, ctx, x=centre - 85, y=qr_y + 46, width=170)
    draw_qr(canvas, ctx.url, x=qr_x, y=qr_y, size=qr_size)


def _modern(canvas: Canvas, ctx: _Context) -> None:
    """A band in the brand's colour on the left (logo, CPD hours, QR code); the text
    left-aligned on the right, with the signature and details along the foot."""
    x0, y0, x1, y1 = BORDER
    band_width = 232.0
    canvas.setFillColorRGB(*ctx.primary)
    canvas.rect(x0, y0, band_width, y1 - y0, stroke=0, fill=1)
    canvas.setFillColorRGB(*ctx.accent)
    canvas.rect(x0 + band_width, y1 - 6, x1 - x0 - band_width, 6, stroke=0, fill=1)
    band_centre = x0 + band_width / 2

    # The band: logo on a white card, the CPD hours, the QR code.
    y = y1 - 24
    if ctx.logo is not None:
        canvas.setFillColorRGB(1, 1, 1)
        canvas.roundRect(x0 + 20, y - 74, band_width - 40, 74, 8, stroke=0, fill=1)
        _draw_image(canvas, ctx.logo, x=x0 + 30, y=y - 66, w=band_width - 60, h=58)
        y -= 74
    canvas.setFillColorRGB(1, 1, 1)
    y -= 84
    size = _fitted(canvas, ctx.hours, BOLD, x=band_centre, y=y, width=band_width - 40, size=64,
                   min_size=20, centred=True)  # fmt: skip
    y -= 26
    _fitted(canvas, _("CPD hours"), BOLD, x=band_centre, y=y, width=band_width - 30, size=18,
            min_size=9, centred=True)  # fmt: skip
    del size
    qr_size = 124.0
    qr_x, qr_y = band_centre - qr_size / 2, y0 + 34
    draw_qr(canvas, ctx.url, x=qr_x, y=qr_y, size=qr_size)
    canvas.setFillColorRGB(1, 1, 1)
    _fitted(canvas, _("Scan to check it is genuine"), REGULAR, x=band_centre, y=y0 + 16,
            width=band_width - 16, size=9, min_size=6, centred=True)  # fmt: skip

    # The text column.
    left = x0 + band_width + 40
    width = x1 - left - 30
    y = y1 - 46
    canvas.setFillColorRGB(*ctx.primary)
    _fitted(canvas, ctx.provider, BOLD, x=left, y=y, width=width, size=15, min_size=9,
            centred=False)  # fmt: skip
    y -= 40
    canvas.setFillColorRGB(*INK)
    first, second = _title_lines()
    canvas.setFont(BOLD, _size_to_fit(first, BOLD, 28, width))
    canvas.drawString(left, y, first)
    y -= 32
    canvas.setFont(BOLD, _size_to_fit(second, BOLD, 28, width))
    canvas.drawString(left, y, second)
    y -= 34
    y = _name_and_title(canvas, ctx, x=left, y=y, width=width, centred=False)
    accreditation = ctx.accreditation()
    if accreditation:
        y -= 24
        canvas.setFillColorRGB(*MUTED)
        _fitted(canvas, accreditation, REGULAR, x=left, y=y, width=width, size=11, min_size=6,
                centred=False)  # fmt: skip

    # The foot: signature (left), details (right).
    foot = y0 + 100
    _signature(canvas, ctx, x=left, y=foot - 30, width=180)
    _details(canvas, ctx, x=left + 230, y=foot, width=x1 - left - 250)


_DRAW = {"classic": _classic, "modern": _modern}


def _title_lines() -> tuple[str, str]:
    """The certificate's title on its two lines; the translation chooses where the line breaks."""
    lines = _("Certificate of Continuing\nProfessional Development").split("\n", 1)
    return (lines[0], lines[1]) if len(lines) == 2 else (lines[0], "")


def _size_to_fit(text: str, font: str, size: float, width: float) -> float:
    """``size``, or smaller if ``text`` is wider than ``width`` at that size (a translation
    longer than the English)."""
    measured = pdfmetrics.stringWidth(text, font, size)
    return size if measured <= width else size * width / measured


def certificate_pdf_bytes(
    *, certificate: Certificate, layout: str | None = None, language: str | None = None
) -> bytes:
    """Render ``certificate`` as a PDF document, in its own layout unless ``layout`` is given,
    in ``language`` or else the holder's saved language (:func:`certificate_language`): the
    title, the sentences, the month names and the decimal mark of the CPD hours."""
    with use_language(language or certificate_language(certificate)):
        return _certificate_pdf_bytes(certificate, layout)


def _certificate_pdf_bytes(certificate: Certificate, layout: str | None) -> bytes:
    register_fonts()
    ctx = _Context(certificate)
    buffer = BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        pageCompression=1,
        initialFontName=REGULAR,  # not Helvetica, which would be referenced but not embedded
        initialFontSize=12,
    )
    canvas.setTitle(_("CPD certificate %(code)s") % {"code": certificate.display_code})
    canvas.setAuthor(ctx.provider)
    canvas.setSubject(certificate.course_title)
    canvas.setCreator("Learnward")
    chosen = layout or getattr(certificate, "layout", "") or "classic"
    _DRAW.get(chosen, _classic)(canvas, ctx)
    if ctx.revoked:
        _revoked_stamp(canvas, ctx)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
