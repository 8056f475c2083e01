"""Emails about rights: export ready, deletion scheduled, erasure done, identity check, extension.

Messages carry links, never the data itself. Delivery errors are re-raised without their
message: SMTP errors quote addresses, and task runners log tracebacks.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from learnward.core.links import absolute_url
from learnward.core.mail import deliver_service_email


def export_ready(export) -> None:
    deliver_service_email(
        to=export.user.email,
        subject="Your data is ready to download",
        template="privacy/email/export_ready",
        context={
            "name": export.user.display_name,
            "url": absolute_url(reverse("rights:export_download", args=[export.public_id])),
            "my_data_url": absolute_url(reverse("rights:my_data")),
            "expires_at": export.expires_at,
            "days": settings.EXPORT_DAYS,
        },
    )


def deletion_scheduled(deletion) -> None:
    deliver_service_email(
        to=deletion.user.email,
        subject="Your account will be deleted",
        template="privacy/email/deletion_scheduled",
        context={
            "name": deletion.user.display_name,
            "erase_after": deletion.erase_after,
            "login_url": absolute_url(reverse("accounts:login")),
        },
    )


def erased(*, to: str, name: str) -> None:
    """Sent straight away, not queued: a queued task would store the address after erasure."""
    deliver_service_email(
        to=to,
        subject="Your account has been deleted",
        template="privacy/email/erased",
        context={"name": name, "dpo_email": settings.DPO_EMAIL},
    )


def identity_link(request, *, to: str, path: str) -> None:
    deliver_service_email(
        to=to,
        subject="Please confirm your data protection request",
        template="privacy/email/identity_check",
        context={"url": absolute_url(path), "kind": request.get_kind_display()},
    )


def extension_notice(request, *, to: str) -> None:
    deliver_service_email(
        to=to,
        subject="We need more time to answer your request",
        template="privacy/email/request_extended",
        context={
            "kind": request.get_kind_display(),
            "due_on": request.due_on,
            "reason": request.extension_reason,
            "dpo_email": settings.DPO_EMAIL,
        },
    )
