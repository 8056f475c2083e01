"""The achievement's image in a certificate's Open Badges credential: an SVG badge drawn from the
certificate's design (its double frame and colours, the provider, the course title and the CPD
hours), served at ``/credentials/badges/<code>.svg`` so that wallets show more than a blank badge.

It is drawn from the certificate's snapshot, so it never changes, and it shows nothing about the
holder: wallets, their image caches and anyone given the link see the course, not the person
(the name is in the signed credential itself).

The SVG is inert by construction: shapes and text with presentation attributes, one ``<title>``,
no script, no event attributes, no ``style``, no links and no external references (the font is
named as families the viewer has). Every text is XML-escaped, and characters XML 1.0 does not
allow are dropped. The view adds ``Content-Security-Policy: default-src 'none'`` in case it is
opened on its own.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from django.conf import settings

from .codes import parse_code
from .models import Certificate
from .pdf import ACCENT, INK, MUTED
from .typesetting import BOLD, fit, register_fonts

SIZE = 600
FONT_FAMILY = "DejaVu Sans, Verdana, Arial, sans-serif"
# Text is measured with the PDF's fonts; the viewer's may be wider, so keep a margin.
TEXT_WIDTH = 440.0
# Characters XML 1.0 does not allow; other whitespace becomes a space.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _colour(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(part * 255):02x}" for part in rgb)


def _clean(value: str) -> str:
    return " ".join(_NOT_XML.sub("", value).split())


def _line(y: float, text: str, *, size: float, colour: tuple, bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{SIZE / 2:g}" y="{y:.1f}" text-anchor="middle" font-family="{FONT_FAMILY}"'
        f'{weight} font-size="{size:g}" fill="{_colour(colour)}">{escape(text)}</text>'
    )


def _hours(certificate: Certificate) -> str:
    return f"{certificate.cpd_hours.normalize():f}"


def badge_svg(certificate: Certificate) -> str:
    """The badge of ``certificate`` as an SVG document (uses only its course title and hours)."""
    register_fonts()
    provider_size, provider = fit(
        _clean(settings.PROVIDER_NAME), BOLD, width=TEXT_WIDTH, size=26, min_size=14, max_lines=1
    )
    title = _clean(certificate.course_title)
    title_size, title_lines = fit(
        title, BOLD, width=TEXT_WIDTH, size=34, min_size=18, max_lines=3, more_lines=4
    )
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" '
        f'viewBox="0 0 {SIZE} {SIZE}" role="img">',
        f"<title>CPD certificate: {escape(title)}</title>",
        f'<rect x="0" y="0" width="{SIZE}" height="{SIZE}" fill="#ffffff"/>',
        f'<rect x="14" y="14" width="{SIZE - 28}" height="{SIZE - 28}" fill="none" '
        f'stroke="{_colour(ACCENT)}" stroke-width="8"/>',
        f'<rect x="30" y="30" width="{SIZE - 60}" height="{SIZE - 60}" fill="none" '
        f'stroke="{_colour(ACCENT)}" stroke-width="2"/>',
        _line(96, provider[0], size=provider_size, colour=ACCENT, bold=True),
        _line(150, "Certificate of Continuing", size=26, colour=INK, bold=True),
        _line(184, "Professional Development", size=26, colour=INK, bold=True),
        f'<line x1="200" y1="214" x2="400" y2="214" stroke="{_colour(ACCENT)}" stroke-width="2"/>',
    ]
    # The title, centred in the space between the rule and the hours.
    leading = title_size * 1.25
    y = 370 - leading * (len(title_lines) - 1) / 2 + title_size * 0.35
    for line in title_lines:
        parts.append(_line(y, line, size=title_size, colour=INK, bold=True))
        y += leading
    parts.append(_line(520, f"{_hours(certificate)} CPD hours", size=24, colour=MUTED))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def badge_svg_for_code(code: str) -> str | None:
    """The badge of the certificate with ``code`` (any form a person might type), or None."""
    parsed = parse_code(code)
    if not parsed.ok:
        return None
    certificate = (
        Certificate.objects.only("code", "course_title", "cpd_hours")
        .filter(code=parsed.canonical)
        .first()
    )
    return None if certificate is None else badge_svg(certificate)
