"""Emails about rights: export ready, deletion scheduled, erasure done, identity check, extension.

Messages carry links, never the data itself. Delivery errors are re-raised without their
message: SMTP errors quote addresses, and task runners log tracebacks.
"""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.urls import reverse

from learnward.communications.email import absolute_url, send_service_email


class EmailDeliveryError(Exception):
    """Sending failed; the message names the error type only."""


def _send(*, to: str, subject: str, template: str, context: dict) -> None:
    try:
        send_service_email(to=to, subject=subject, template=template, context=context)
    except (smtplib.SMTPException, OSError) as exc:
        raise EmailDeliveryError(type(exc).__name__) from None


def export_ready(export) -> None:
    _send(
        to=export.user.email,
        subject="Your data is ready to download",
        template="email/privacy_export_ready",
        context={
            "name": export.user.display_name,
            "url": absolute_url(reverse("rights:export_download", args=[export.public_id])),
            "my_data_url": absolute_url(reverse("rights:my_data")),
            "expires_at": export.expires_at,
            "days": settings.EXPORT_DAYS,
        },
    )


def deletion_scheduled(deletion) -> None:
    _send(
        to=deletion.user.email,
        subject="Your account will be deleted",
        template="email/privacy_deletion_scheduled",
        context={
            "name": deletion.user.display_name,
            "erase_after": deletion.erase_after,
            "login_url": absolute_url(reverse("accounts:login")),
        },
    )


def erased(*, to: str, name: str) -> None:
    """Sent straight away, not queued: a queued task would store the address after erasure."""
    _send(
        to=to,
        subject="Your account has been deleted",
        template="email/privacy_erased",
        context={"name": name, "dpo_email": settings.DPO_EMAIL},
    )


def identity_link(request, *, to: str, path: str) -> None:
    _send(
        to=to,
        subject="Please confirm your data protection request",
        template="email/privacy_identity_check",
        context={"url": absolute_url(path), "kind": request.get_kind_display()},
    )


def extension_notice(request, *, to: str) -> None:
    _send(
        to=to,
        subject="We need more time to answer your request",
        template="email/privacy_request_extended",
        context={
            "kind": request.get_kind_display(),
            "due_on": request.due_on,
            "reason": request.extension_reason,
            "dpo_email": settings.DPO_EMAIL,
        },
    )
