"""Which course renews a certificate, and where the learner goes to renew it.

A course may name a renewal route (``Course.renewal_course``): a shorter refresher, or itself.
Completing that route issues a new certificate linked to the one it renews.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from .models import Certificate


def renewal_course_for(certificate: Certificate) -> Any:
    """The published course that renews ``certificate``, or None.

    None when the certificate never expires, is revoked, has already been renewed, or its
    course (or the course's renewal route) is gone or unpublished.
    """
    if certificate.expires_on is None or certificate.revoked_on is not None:
        return None
    if Certificate.objects.filter(renews=certificate).exists():
        return None
    course = certificate.course
    route = getattr(course, "renewal_course", None)
    if route is None or not route.published:
        return None
    return route


def renewal_url(certificate: Certificate) -> str:
    """The holder's page for renewing this certificate (it explains the route and starts it)."""
    return reverse("certificates:renew", args=[certificate.display_code])
