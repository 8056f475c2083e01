"""Marketing email: the other half of the one sending service.

Service messages (account, course, certificate) go through :mod:`learnward.core.mail`
(``send_service_email``) and ignore marketing preferences. Marketing is sent from here, and only
with consent. Templates come in pairs: ``<name>.txt`` (always) and ``<name>.html`` (optional).
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _

from learnward.core.errors import ApplicationError
from learnward.core.i18n import use_language
from learnward.core.links import absolute_url
from learnward.core.mail import build_email

logger = logging.getLogger(__name__)


# A marketing message goes only to someone who consents to its topic now and whom the processing
# gate allows (not restricted, not a minor), and who has not objected to direct marketing (UK GDPR
# Art. 21(3): an objection to direct marketing always stops it, whatever the lawful basis). Every
# copy carries an unsubscribe link and RFC 8058 one-click headers.

_UNSUBSCRIBE_SALT = "learnward.communications.unsubscribe"


class MissingUnsubscribeLink(ApplicationError, ValueError):
    """A marketing template forgot the unsubscribe link: the email is not sent."""


def unsubscribe_token(*, user, topic: str) -> str:
    from django.core import signing

    return signing.dumps({"u": user.pk, "t": topic}, salt=_UNSUBSCRIBE_SALT)


class UnsubscribeLinkExpired(ApplicationError):
    """A genuine unsubscribe link older than ``LEARNWARD_UNSUBSCRIBE_LINK_DAYS``."""


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, topic) from a token in an unsubscribe link, or None if it is not ours.

    Raises :class:`UnsubscribeLinkExpired` for one of ours signed more than
    ``UNSUBSCRIBE_LINK_DAYS`` ago (the signature carries the time it was made).
    """
    from datetime import timedelta

    from django.conf import settings
    from django.core import signing

    max_age = timedelta(days=settings.UNSUBSCRIBE_LINK_DAYS)
    try:
        data = signing.loads(token, salt=_UNSUBSCRIBE_SALT, max_age=max_age)
        return int(data["u"]), str(data["t"])
    except signing.SignatureExpired:
        raise UnsubscribeLinkExpired(_("This unsubscribe link has expired.")) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def unsubscribe_url(*, user, topic: str) -> str:
    from django.urls import reverse

    return absolute_url(
        reverse(
            "communications:unsubscribe",
            kwargs={"token": unsubscribe_token(user=user, topic=topic)},
        )
    )


def marketing_skip_reason(*, user, topic: str) -> str | None:
    """Why ``user`` must not get marketing on ``topic`` now (a SkipReason value), or None.

    Consent for the topic is checked first; then the processing gate decides for the purpose.
    When the gate says no, the reason is named for the mailing's report in the gate's own order
    (minor, restricted), and an objection to direct marketing always stops it.
    """
    from learnward.privacy.consent.gate import ADULT_AGE, processing_allowed
    from learnward.privacy.consent.selectors import active_objection_purposes, is_restricted
    from learnward.privacy.consent.services import consent_given

    from .models import SkipReason
    from .topics import MARKETING_PURPOSE, Channel

    if user.status != user.Status.ACTIVE or not user.email:
        return SkipReason.NO_CONSENT
    if not consent_given(user=user, purpose=MARKETING_PURPOSE, topic=topic, channel=Channel.EMAIL):
        return SkipReason.NO_CONSENT
    if MARKETING_PURPOSE in active_objection_purposes(user_id=user.pk):
        return SkipReason.OBJECTING
    if processing_allowed(user=user, purpose=MARKETING_PURPOSE):
        return None
    from django.utils import timezone

    age = user.age_on(timezone.localdate())
    if age is not None and age < ADULT_AGE:
        return SkipReason.MINOR
    if is_restricted(user_id=user.pk):
        return SkipReason.RESTRICTED
    # The gate's remaining check is consent to the purpose itself.
    return SkipReason.NO_CONSENT


def send_marketing_email(
    *, user, topic: str, subject: str, template: str, context: dict, connection=None
) -> str | None:
    """Send one marketing message to ``user`` if they may receive it.

    Returns None when sent, or the SkipReason value when not. The template must print
    ``unsubscribe_url``; the message also carries ``List-Unsubscribe`` (an https link that takes
    a one-click POST) and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058).
    """
    from django.urls import reverse

    from .topics import topic_label

    reason = marketing_skip_reason(user=user, topic=topic)
    if reason is not None:
        return reason
    # The staff's words (subject and body) stay as written, in the mailing's one language; the
    # greeting, the reason, the footer and the links are in the recipient's saved language.
    with use_language(user.language):
        link = unsubscribe_url(user=user, topic=topic)
        message = build_email(
            to=user.email,
            subject=subject,
            template=template,
            context={
                **context,
                "user": user,
                "topic": topic,
                "topic_label": topic_label(topic),
                "unsubscribe_url": link,
                "preferences_url": absolute_url(reverse("communications:preferences")),
            },
            headers={
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
            language=user.language,
        )
    if link not in message.body:
        raise MissingUnsubscribeLink(f"{template}.txt must include the unsubscribe link")
    if connection is not None:
        message.connection = connection
    message.send()
    logger.info("marketing email sent: %s", template)
    return None
