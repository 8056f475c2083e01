"""The public badge image named in each certificate's Open Badges credential (``achievement.image``).

Public like the verification page, but it shows only the course and its hours (see badge_image.py);
it is not counted as a verification and not rate-limited.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe

from .badge_image import badge_svg_for_code

SVG_POLICY = "default-src 'none'; frame-ancestors 'none'"


@require_safe
def badge_image(request, code: str):
    svg = badge_svg_for_code(code)
    if svg is None:
        raise Http404
    response = HttpResponse(svg.encode("utf-8"), content_type="image/svg+xml")
    # Opened on its own, nothing in it may load or run (it has nothing that would).
    response["Content-Security-Policy"] = SVG_POLICY
    response["Access-Control-Allow-Origin"] = "*"  # wallets on other sites draw it
    response["Cache-Control"] = "public, max-age=86400"  # a snapshot: it does not change
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
