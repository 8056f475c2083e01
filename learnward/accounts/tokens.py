"""Signed, expiring links for email verification and email changes.

A token carries the account id, what it is for, and a keyed digest of the address it was sent
to, never the address itself: links end up in browser histories and server access logs.
A token is only good while the address it was made for is still the one waiting to be confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from learnward.core.errors import ApplicationError


class TokenPurpose(StrEnum):
    VERIFY = "verify"
    CHANGE = "change"


_SALTS = {
    TokenPurpose.VERIFY: "learnward.accounts.verify-email",
    TokenPurpose.CHANGE: "learnward.accounts.change-email",
}


class TokenError(ApplicationError):
    """A link that cannot be used: ``reason`` is "expired" or "invalid"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class EmailToken:
    user_id: int
    address_digest: str

    def is_for(self, address: str) -> bool:
        return bool(address) and constant_time_compare(self.address_digest, address_digest(address))


def address_digest(address: str) -> str:
    return salted_hmac("learnward.accounts.address", address.strip().lower()).hexdigest()[:24]


def make_email_token(*, user_id: int, address: str, purpose: TokenPurpose) -> str:
    return signing.dumps({"u": user_id, "a": address_digest(address)}, salt=_SALTS[purpose])


def read_email_token(token: str, *, purpose: TokenPurpose) -> EmailToken:
    try:
        data = signing.loads(
            token, salt=_SALTS[purpose], max_age=settings.EMAIL_VERIFICATION_MAX_AGE
        )
    except signing.SignatureExpired:
        raise TokenError("expired") from None
    except signing.BadSignature:
        raise TokenError("invalid") from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or "a" not in data:
        raise TokenError("invalid")
    return EmailToken(user_id=data["u"], address_digest=str(data["a"]))
