"""Short-lived, encrypted lookup tokens, so personal data never travels in a URL.

A staff page that finds someone by an email address or a name takes the value in a POST body
and redirects to an address that carries only a token: the value encrypted and authenticated
(Fernet, AES-128-CBC with HMAC-SHA256) under a key derived from ``SECRET_KEY`` and the token's
purpose, bound to the member of staff who made it, and refused after ``LOOKUP_MINUTES``. Access
logs, browser history and ``Referer`` headers then hold an opaque string that nobody else can
read or reuse, and that stops working within the hour.
"""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

LOOKUP_MINUTES = 30


def _fernet(purpose: str) -> Fernet:
    material = f"learnward.core.lookup:{purpose}:{settings.SECRET_KEY}".encode()
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(material).digest()))


def lookup_seal(value: str, *, purpose: str, actor_id: int | None) -> str:
    """An opaque, URL-safe token carrying ``value`` for ``actor_id`` (no padding, no slash)."""
    data = json.dumps({"v": value, "a": actor_id}, separators=(",", ":")).encode()
    return _fernet(purpose).encrypt(data).decode().rstrip("=")


def lookup_open(
    token: str, *, purpose: str, actor_id: int | None, minutes: int = LOOKUP_MINUTES
) -> str | None:
    """The value sealed in ``token``; None if it was tampered with, made for another purpose or
    another person, or is older than ``minutes``."""
    padded = token + "=" * (-len(token) % 4)
    try:
        data = json.loads(_fernet(purpose).decrypt(padded.encode(), ttl=minutes * 60))
    except (InvalidToken, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("a") != actor_id:
        return None
    value = data.get("v")
    return value if isinstance(value, str) else None
