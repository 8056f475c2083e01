"""Emails about rights: export ready, deletion scheduled, erasure done, identity check, extension.

Messages carry links, never the data itself. Delivery errors are re-raised without their
message: SMTP errors quote addresses, and task runners log tracebacks.

Each is written in the recipient's saved language (``User.language``): the subject, the body,
the dates and the links (``/nl/...`` for Dutch). A requester with no account is written to in
the language of the page the DPO recorded the step on (``language``, passed by the task).
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from learnward.core.i18n import use_language
from learnward.core.links import absolute_url
from learnward.core.mail import deliver_service_email


def export_ready(export) -> None:
    language = export.user.language
    with use_language(language):
        deliver_service_email(
            to=export.user.email,
            subject=_("Your data is ready to download"),
            template="privacy/email/export_ready",
            context={
                "name": export.user.display_name,
                "url": absolute_url(reverse("rights:export_download", args=[export.public_id])),
                "my_data_url": absolute_url(reverse("rights:my_data")),
                "expires_at": export.expires_at,
                "days": settings.EXPORT_DAYS,
            },
            language=language,
        )


def deletion_scheduled(deletion) -> None:
    language = deletion.user.language
    with use_language(language):
        deliver_service_email(
            to=deletion.user.email,
            subject=_("Your account will be deleted"),
            template="privacy/email/deletion_scheduled",
            context={
                "name": deletion.user.display_name,
                "erase_after": deletion.erase_after,
                "login_url": absolute_url(reverse("accounts:login")),
            },
            language=language,
        )


def erased(*, to: str, name: str, language: str | None = None) -> None:
    """Sent straight away, not queued: a queued task would store the address after erasure.
    ``language`` is the erased account's saved language, read before the erasure."""
    with use_language(language):
        deliver_service_email(
            to=to,
            subject=_("Your account has been deleted"),
            template="privacy/email/erased",
            context={"name": name, "dpo_email": settings.DPO_EMAIL},
            language=language,
        )


def requester_language(request, fallback: str | None = None) -> str | None:
    """The language to write to a requester in: their account's saved language, or for a
    requester without an account ``fallback`` (the language of the page the step was taken on)."""
    if request.requester is not None:
        return request.requester.language
    return fallback


def identity_link(request, *, to: str, token: str, language: str | None = None) -> None:
    language = requester_language(request, language)
    with use_language(language):
        deliver_service_email(
            to=to,
            subject=_("Please confirm your data protection request"),
            template="privacy/email/identity_check",
            context={
                "url": absolute_url(reverse("rights:identity_confirm", args=[token])),
                "kind": request.get_kind_display(),
            },
            language=language,
        )


def extension_notice(request, *, to: str, language: str | None = None) -> None:
    language = requester_language(request, language)
    with use_language(language):
        deliver_service_email(
            to=to,
            subject=_("We need more time to answer your request"),
            template="privacy/email/request_extended",
            context={
                "kind": request.get_kind_display(),
                "due_on": request.due_on,
                "reason": request.extension_reason,
                "dpo_email": settings.DPO_EMAIL,
            },
            language=language,
        )
