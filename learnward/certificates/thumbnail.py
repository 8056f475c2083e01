"""A picture of the certificate for its public verification page: the PDF's one page, rendered
to PNG (pdfium, through pypdfium2), so the page shows exactly what the PDF looks like, revoked
stamp included.

Rendering takes a tenth of a second or so, so the PNG is kept in the cache under a key made of
everything drawn on the certificate (its snapshot, its revocation, the layout, the provider's
branding, the site's address, and the language it is written in: the holder's saved language,
which is the document's language whoever looks at it); change any of them and the next request
renders a new one. The same key, shortened, is the response's ETag.
"""

from __future__ import annotations

import hashlib
from io import BytesIO

from django.conf import settings
from django.core.cache import cache

from learnward.core.branding import current_branding

from .models import Certificate
from .pdf import PAGE_HEIGHT, PAGE_WIDTH, certificate_language, certificate_pdf_bytes

WIDTH_PIXELS = 1000  # sharp at 500 CSS pixels on a high-density screen
CACHE_SECONDS = 24 * 60 * 60
VERSION = "1"  # bump when the layouts change, so cached pictures are drawn again


def thumbnail_key(certificate: Certificate, language: str | None = None) -> str:
    """A digest of everything the certificate's picture shows, in ``language`` (by default the
    holder's saved language)."""
    digest = hashlib.sha256()
    for value in (
        VERSION,
        language or certificate_language(certificate),
        certificate.code,
        certificate.holder_name,
        certificate.course_title,
        certificate.cpd_hours,
        certificate.awarded_on,
        certificate.expires_on,
        certificate.revoked_on,
        certificate.layout,
        certificate.awarding_body,
        certificate.accreditation_number,
        settings.BASE_URL,
        current_branding().version,  # changes with anything in the branding
    ):
        digest.update(str(value).encode() + b"\0")
    return digest.hexdigest()


def render_png(pdf: bytes, *, width: int = WIDTH_PIXELS) -> bytes:
    """The first page of ``pdf`` as a PNG ``width`` pixels wide."""
    import pypdfium2 as pdfium
    from PIL import Image

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        bitmap = page.render(scale=width / PAGE_WIDTH)
        image = bitmap.to_pil().convert("RGB")
        height = round(width * PAGE_HEIGHT / PAGE_WIDTH)
        if image.size != (width, height):  # pdfium rounds the page's size up
            image = image.resize((width, height), Image.LANCZOS)
        page.close()
    finally:
        document.close()
    out = BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def certificate_thumbnail(certificate: Certificate) -> tuple[bytes, str]:
    """(PNG bytes, ETag) of the certificate's picture, from the cache when it is there."""
    language = certificate_language(certificate)
    key = thumbnail_key(certificate, language)
    cache_key = f"certificates:thumbnail:{key}"
    png = cache.get(cache_key)
    if png is None:
        png = render_png(certificate_pdf_bytes(certificate=certificate, language=language))
        cache.set(cache_key, png, CACHE_SECONDS)
    return png, f'"{key[:32]}"'
