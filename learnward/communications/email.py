"""Sending email. Every message goes through Django's email framework from here.

Service messages (account, course, certificate) use :func:`send_service_email`: they ignore
marketing preferences. Marketing has its own sender in this app, which checks consent.
Templates come in pairs: ``<name>.txt`` (always) and ``<name>.html`` (optional).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """A link for an email or a QR code: LEARNWARD_BASE_URL plus an absolute path."""
    if not path.startswith("/"):
        raise ValueError("absolute_url takes a path starting with /")
    return settings.BASE_URL + path


def build_email(
    *, to: str, subject: str, template: str, context: dict, headers: dict | None = None
) -> EmailMultiAlternatives:
    context = {"provider_name": settings.PROVIDER_NAME, "base_url": settings.BASE_URL, **context}
    text = render_to_string(f"{template}.txt", context)
    message = EmailMultiAlternatives(
        subject=subject.strip(),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )
    try:
        message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    except TemplateDoesNotExist:
        pass
    return message


def send_service_email(*, to: str, subject: str, template: str, context: dict) -> None:
    """Send a service message now. Logs the template name only, never the address."""
    build_email(to=to, subject=subject, template=template, context=context).send()
    logger.info("service email sent: %s", template)
