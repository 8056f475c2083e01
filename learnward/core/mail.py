"""Service email: every message goes through Django's email framework from here.

Service messages (account, course, certificate, privacy) ignore marketing preferences; marketing
has its own sender in ``communications``, which checks consent and builds on :func:`build_email`.
Templates come in pairs: ``<name>.txt`` (always) and ``<name>.html`` (optional). The ``.txt``
part is plain text and is always rendered with autoescaping off, whatever the template says, so a
name like "O'Brien & Sons" arrives as typed; the ``.html`` part is escaped as usual.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from contextlib import nullcontext
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string

from .errors import ApplicationError
from .i18n import use_language

logger = logging.getLogger(__name__)


class EmailDeliveryError(ApplicationError):
    """Sending failed; the message names the error type only (SMTP errors quote addresses, and
    task runners log failures with their traceback)."""


def normalise_email(address: str) -> str:
    """The form an address is stored and compared in: trimmed and lower-cased throughout (what
    Django's ``normalize_email`` does to the domain, done to the whole address)."""
    return address.strip().lower()


def render_plain_text(template_name: str, context: dict) -> str:
    """Render a plain-text email template with autoescaping off.

    HTML escaping in a text/plain body is a bug ("O&#x27;Brien &amp; Sons"), so the choice is not
    left to each template's ``{% autoescape off %}``: the template is rendered in a context that
    has autoescaping off. Only ``.txt`` templates are rendered here.
    """
    if not template_name.endswith(".txt"):
        raise ValueError(f"{template_name} is not a plain-text (.txt) template")
    return get_template(template_name).template.render(Context(context, autoescape=False))


def build_email(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict,
    headers: dict | None = None,
    attachments: Sequence[MIMEBase] = (),
    language: str | None = None,
) -> EmailMultiAlternatives:
    """The message, with ``attachments`` (ready-made MIME parts, such as a calendar invitation
    with its ``method`` parameter) attached after the text and HTML parts.

    Written in ``language`` (the recipient's saved language, ``User.language``; ``None`` keeps
    the active language, as inside ``use_language``): the templates, links and dates, and
    ``subject`` when it is a lazy translation. A subject built with ``%`` or ``format`` must be
    built inside ``use_language`` too."""
    from .branding import current_branding

    with use_language(language) if language else nullcontext():
        context = {
            "provider_name": settings.PROVIDER_NAME,
            "base_url": settings.BASE_URL,
            "brand": current_branding(),  # the logo and legal name in email/base.html
            **context,
        }
        text = render_plain_text(f"{template}.txt", context)
        message = EmailMultiAlternatives(
            subject=str(subject).strip(),
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            headers=headers or {},
        )
        try:
            message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
        except TemplateDoesNotExist:
            pass
        for part in attachments:
            message.attach(part)
        return message


def send_service_email(*, template: str, **message) -> None:
    """Send a service message now: ``to``, ``subject``, ``context`` and optionally
    ``attachments`` and ``language``, as :func:`build_email` takes them. Logs the template name
    only, never the address."""
    build_email(template=template, **message).send()
    logger.info("service email sent: %s", template)


def deliver_service_email(**message) -> None:
    """:func:`send_service_email`, with a delivery failure (SMTP or socket error) re-raised as
    :class:`EmailDeliveryError` carrying the error's type name only and no chained cause."""
    try:
        send_service_email(**message)
    except (smtplib.SMTPException, OSError) as exc:
        raise EmailDeliveryError(type(exc).__name__) from None
