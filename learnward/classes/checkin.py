"""QR self check-in tokens.

The teacher's check-in page shows a QR code of a link with a signed token in it, and makes a new
one every ``LEARNWARD_CLASSES_QR_ROTATE_SECONDS`` (30). The token names the session and carries
a random nonce; it is signed with the site's secret key (:mod:`django.core.signing`, with the
time it was made), so it cannot be forged, and it is accepted only while fresh: at most the
rotation period plus ``LEARNWARD_CLASSES_CHECKIN_GRACE_SECONDS`` old (time to tap "Check in").
Whether the session's check-in window is open and the learner is booked is decided by the
service that records the check-in; the nonce is stored with the attendance, so the same token is
never accepted twice for one learner.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from learnward.core.errors import ApplicationError

SALT = "learnward.classes.checkin"


@dataclass(frozen=True)
class CheckinToken:
    session_id: int
    nonce: str


class TokenRefused(ApplicationError):
    """Why a token is no good, in words for the learner."""


def rotate_seconds() -> int:
    return settings.CLASSES_QR_ROTATE_SECONDS


def max_age_seconds() -> int:
    return settings.CLASSES_QR_ROTATE_SECONDS + settings.CLASSES_CHECKIN_GRACE_SECONDS


def make_token(*, session_id: int) -> str:
    signer = signing.TimestampSigner(salt=SALT)
    return signer.sign_object({"s": session_id, "n": secrets.token_urlsafe(9)}, compress=False)


def read_token(token: str) -> CheckinToken:
    """The token's session and nonce; :class:`TokenRefused` when it is forged or too old."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        data = signer.unsign_object(token, max_age=max_age_seconds())
    except signing.SignatureExpired:
        raise TokenRefused(
            _("This check-in code has expired. Scan the code your teacher is showing now.")
        ) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise TokenRefused(
            _("This is not a valid check-in code. Scan the code your teacher is showing.")
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        raise TokenRefused(
            _("This is not a valid check-in code. Scan the code your teacher is showing.")
        )
    return CheckinToken(session_id=data["s"], nonce=str(data.get("n", ""))[:64])
