"""Absolute links for places with no request: emails, QR codes, credentials."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """A link for an email or a QR code: LEARNWARD_BASE_URL plus an absolute path."""
    if not path.startswith("/"):
        raise ValueError("absolute_url takes a path starting with /")
    return settings.BASE_URL + path
