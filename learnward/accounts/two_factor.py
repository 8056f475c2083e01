"""Two-factor sign-in for staff (TOTP, django-otp).

A staff member turns it on from their account; once a device is confirmed, signing in asks for a
code after the password, and the staff area needs a session verified with a code.
``LEARNWARD_STAFF_TWO_FACTOR_REQUIRED`` makes it compulsory for every staff account. The rule for
which sessions may use staff pages lives in :mod:`learnward.core.access`, beside the one
staff-access check; ``has_two_factor`` and ``two_factor_required`` are re-exported from there.
"""

from __future__ import annotations

import base64

import segno
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core.access import has_two_factor as has_two_factor
from learnward.core.access import two_factor_required as two_factor_required

from .models import User

DEVICE_NAME = "Authenticator app"


def confirmed_device(user: User) -> TOTPDevice | None:
    if not getattr(user, "pk", None):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def totp_device_start(*, user: User) -> TOTPDevice:
    """Create a fresh, unconfirmed device (replacing any earlier unconfirmed one)."""
    with transaction.atomic(durable=True):
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def pending_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def totp_device_confirm(*, request, device: TOTPDevice, token: str) -> bool:
    """Confirm the device with a code from the app; marks this session as verified."""
    if device.confirmed or not device.verify_token(token.strip()):
        return False
    with transaction.atomic(durable=True):
        TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(
            action=Action.USER_TWO_FACTOR_ENABLED,
            actor=device.user,
            subject=device.user,
            target=device.user,
        )
    otp_login(request, device)
    return True


def totp_disable(*, user: User, token: str) -> bool:
    """Turn two-factor sign-in off; needs a current code."""
    device = confirmed_device(user)
    if device is None or not device.verify_token(token.strip()):
        return False
    with transaction.atomic(durable=True):
        TOTPDevice.objects.filter(user=user).delete()
        audit_record(action=Action.USER_TWO_FACTOR_DISABLED, actor=user, subject=user, target=user)
    return True


def verify_code(*, user: User, token: str) -> TOTPDevice | None:
    """The confirmed device that accepts ``token`` now, or None (django-otp throttles failures)."""
    device = confirmed_device(user)
    if device is None:
        return None
    if device.verify_token(token.strip()):
        return device
    return None


def secret_text(device: TOTPDevice) -> str:
    """The key as grouped base32, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)
