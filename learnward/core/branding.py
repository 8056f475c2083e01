"""The provider's branding: logo, colours, legal name and certificate signatory.

Everyone reads it through :func:`current_branding`, which returns a frozen :class:`Brand` from the
cache (cleared whenever :func:`save_branding` changes the row). Blank fields on the
:class:`~learnward.core.models.Branding` row fall back to settings (LEARNWARD_BRAND_* and
LEARNWARD_PROVIDER_NAME).

Colours are refused when text in them (or white text on them) would fall below WCAG 2.2 AA:
a contrast of 4.5:1 against white. The message gives the measured ratio.

Images are checked by content with Pillow (PNG, JPEG, GIF or WebP only: never SVG, whose scripts
and external references would run wherever it is shown) and re-encoded as PNG, so what is stored
and served is an image Pillow drew, not the bytes that were sent.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .errors import ApplicationError

CACHE_KEY = "learnward:branding:v1"
# Each process may keep the brand this long after another process saved a change (the shared
# cache is cleared at once; a per-process memory cache is not shared).
CACHE_SECONDS = 60
MINIMUM_CONTRAST = 4.5  # WCAG 2.2 AA, normal text (1.4.3)
WHITE = "#ffffff"
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

# Images: what Pillow may open, how big an upload may be, and the size it is stored at.
IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_SOURCE_PIXELS = 25_000_000  # refuse decompression bombs before decoding
LOGO_BOX = (1200, 400)
SIGNATURE_BOX = (1200, 400)


class BrandingError(ApplicationError, ValueError):
    """A colour, image or value the branding cannot use; the message says why."""


# --- colour -------------------------------------------------------------------------------------


def parse_colour(value: str) -> tuple[int, int, int]:
    value = (value or "").strip()
    if not HEX_COLOUR.match(value):
        raise BrandingError("Enter a colour as # followed by six hexadecimal digits, like #1d4f91.")
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


def relative_luminance(value: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = parse_colour(value)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(foreground: str, background: str = WHITE) -> float:
    a, b = relative_luminance(foreground), relative_luminance(background)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def format_ratio(ratio: float) -> str:
    """Two decimals, rounded down, so a refused colour never shows "4.50:1"."""
    return f"{math.floor(ratio * 100) / 100:.2f}:1"


def check_colour(value: str, *, label: str) -> str:
    """The colour in lower case, or :class:`BrandingError` when it is not #rrggbb or its
    contrast against white is below :data:`MINIMUM_CONTRAST`."""
    parse_colour(value)
    value = value.strip().lower()
    ratio = contrast_ratio(value, WHITE)
    if ratio < MINIMUM_CONTRAST:
        raise BrandingError(
            _(
                "The %(label)s %(value)s has a contrast of %(ratio)s against white; it needs at "
                "least %(minimum)s:1 so that text and buttons stay readable (WCAG AA). Choose a "
                "darker colour."
            )
            % {
                "label": label,
                "value": value,
                "ratio": format_ratio(ratio),
                "minimum": MINIMUM_CONTRAST,
            }
        )
    return value


def mix(value: str, other: str, amount: float) -> str:
    """``value`` moved ``amount`` (0 to 1) of the way towards ``other``."""
    a, b = parse_colour(value), parse_colour(other)
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(a, b, strict=True))


# --- images -------------------------------------------------------------------------------------


def clean_image(data: bytes, *, label: str, box: tuple[int, int]) -> bytes:
    """The image re-encoded as PNG and fitted inside ``box``, or :class:`BrandingError`."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise BrandingError(_("The %(label)s file is empty.") % {"label": label})
    if len(data) > MAX_UPLOAD_BYTES:
        raise BrandingError(_("The %(label)s must be smaller than 2 MB.") % {"label": label})
    not_image = _(
        "The %(label)s must be a PNG, JPEG, GIF or WebP image. This file is not one (SVG is not "
        "accepted)."
    ) % {"label": label}
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in IMAGE_FORMATS:
                raise BrandingError(not_image)
            width, height = probe.size
            if width * height > MAX_SOURCE_PIXELS:
                raise BrandingError(
                    _("The %(label)s is too large: use an image under 5000 × 5000.")
                    % {"label": label}
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = image.convert("RGBA")
    except BrandingError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise BrandingError(not_image) from None
    image.thumbnail(box)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


# --- the brand ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Brand:
    legal_name: str
    website: str
    primary_colour: str
    accent_colour: str
    logo_url: str | None
    signatory_name: str
    signatory_title: str
    has_signature: bool
    version: str  # changes whenever anything here changes (cache-busting for /brand.css)

    @property
    def primary_dark(self) -> str:
        return mix(self.primary_colour, "#000000", 0.25)

    @property
    def primary_tint(self) -> str:
        return mix(self.primary_colour, WHITE, 0.92)

    @property
    def accent_tint(self) -> str:
        return mix(self.accent_colour, WHITE, 0.9)

    def logo_bytes(self) -> bytes | None:
        """The logo as PNG bytes (for PDFs and emails), or None when there is none."""
        return _image_bytes("logo") if self.logo_url else None

    def signature_bytes(self) -> bytes | None:
        """The signature as PNG bytes (for certificates), or None when there is none."""
        return _image_bytes("signature") if self.has_signature else None


def _image_bytes(field: str) -> bytes | None:
    from .models import Branding

    value = Branding.objects.filter(pk=1).values_list(field, flat=True).first()
    return bytes(value) if value else None


def _defaults() -> dict:
    return {
        "legal_name": settings.BRAND_LEGAL_NAME or settings.PROVIDER_NAME,
        "website": settings.BRAND_WEBSITE,
        "primary_colour": settings.BRAND_PRIMARY_COLOUR,
        "accent_colour": settings.BRAND_ACCENT_COLOUR,
        "signatory_name": settings.BRAND_SIGNATORY_NAME,
        "signatory_title": settings.BRAND_SIGNATORY_TITLE,
    }


_NO_DIGITS = str.maketrans("0123456789", "ghijklmnop")


def _letters(hex_digest: str) -> str:
    """Twelve characters of a hex digest, written with letters only: a version string in every
    page's <head> must not put stray numbers (a score, a count) into the page's text."""
    return hex_digest[:12].translate(_NO_DIGITS)


def _build() -> Brand:
    from .models import Branding

    values = _defaults()
    logo_sha = signature_sha = ""
    row = (
        Branding.objects.filter(pk=1)
        .values(*values.keys(), "logo_sha256", "signature_sha256")
        .first()
    )
    if row:
        for key in values:
            if row[key]:
                values[key] = row[key]
        logo_sha, signature_sha = row["logo_sha256"], row["signature_sha256"]
    version = _letters(
        hashlib.sha256(
            "|".join([*map(str, values.values()), logo_sha, signature_sha]).encode()
        ).hexdigest()
    )
    return Brand(
        **values,
        logo_url=f"{reverse('core:brand_logo')}?v={_letters(logo_sha)}" if logo_sha else None,
        has_signature=bool(signature_sha),
        version=version,
    )


def current_branding() -> Brand:
    """The provider's brand, from the cache when it is there."""
    brand = cache.get(CACHE_KEY)
    if brand is None:
        brand = _build()
        cache.set(CACHE_KEY, brand, CACHE_SECONDS)
    return brand


def clear_branding_cache() -> None:
    cache.delete(CACHE_KEY)


def branding_row():
    """The row the Branding page edits (unsaved and blank until something is saved)."""
    from .models import Branding

    return Branding.objects.filter(pk=1).first() or Branding(pk=1)


_UNCHANGED = object()


def save_branding(
    *,
    legal_name: str = "",
    website: str = "",
    primary_colour: str = "",
    accent_colour: str = "",
    signatory_name: str = "",
    signatory_title: str = "",
    logo: bytes | None | object = _UNCHANGED,
    signature: bytes | None | object = _UNCHANGED,
):
    """Check and store the branding. Blank text falls back to the settings' defaults; ``logo``
    and ``signature`` are the uploaded bytes (checked and re-encoded), None to remove, or left
    out to keep. Nothing is stored when anything is refused."""
    primary = check_colour(primary_colour, label=_("primary colour")) if primary_colour else ""
    accent = check_colour(accent_colour, label=_("accent colour")) if accent_colour else ""
    cleaned = {}
    for field, value, label, box in (
        ("logo", logo, _("logo"), LOGO_BOX),
        ("signature", signature, _("signature"), SIGNATURE_BOX),
    ):
        if value is _UNCHANGED:
            continue
        png = clean_image(value, label=label, box=box) if value is not None else None
        cleaned[field] = png
        cleaned[f"{field}_sha256"] = hashlib.sha256(png).hexdigest() if png else ""
    from .models import Branding

    with transaction.atomic():
        row = Branding.objects.select_for_update().filter(pk=1).first() or Branding(pk=1)
        row.legal_name = legal_name.strip()
        row.website = website.strip()
        row.primary_colour = primary
        row.accent_colour = accent
        row.signatory_name = signatory_name.strip()
        row.signatory_title = signatory_title.strip()
        for key, value in cleaned.items():
            setattr(row, key, value)
        row.save()
        transaction.on_commit(clear_branding_cache)
    clear_branding_cache()
    return row
