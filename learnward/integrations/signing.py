"""Standard Webhooks (https://www.standardwebhooks.com/) signing.

A secret is ``whsec_`` followed by the base64 of 32 random bytes. Each message carries the
headers ``webhook-id`` (the same on every retry), ``webhook-timestamp`` (seconds since the epoch,
of this attempt) and ``webhook-signature``: ``v1,`` and the base64 of the HMAC-SHA256, keyed with
the secret's bytes, of ``"{id}.{timestamp}.{body}"``. During a secret rotation the message is
signed with the new and the previous secret, the two signatures separated by a space.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def secret_bytes(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def sign(*, secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """``v1,<base64 signature>`` for one secret."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_bytes(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(*, secrets_: list[str], message_id: str, timestamp: int, body: bytes) -> dict:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            sign(secret=s, message_id=message_id, timestamp=timestamp, body=body) for s in secrets_
        ),
        "Content-Type": "application/json",
    }
