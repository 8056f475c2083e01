"""Writes for communications: preferences (as consent records), unsubscribing, mailings.

Email itself goes through :mod:`learnward.core.mail` (``send_service_email``) for service
messages and :mod:`learnward.communications.email` (``send_marketing_email``, re-exported here)
for marketing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core.errors import ApplicationError
from learnward.privacy.consent.gate import ADULT_AGE
from learnward.privacy.consent.models import ConsentMethod
from learnward.privacy.consent.services import (
    consent_record,
    consent_states,
    latest_consent_subquery,
    text_version,
)

from .email import send_marketing_email
from .models import Mailing, MailingDelivery, SkipReason
from .topics import MARKETING_PURPOSE, Channel, Topic, consent_text, withdrawal_text

__all__ = [
    "PreferenceError",
    "communication_preference_set",
    "communication_preferences_from_signup",
    "marketing_unsubscribe",
    "mailing_queue",
    "mailing_send_batch",
    "send_marketing_email",
]

logger = logging.getLogger(__name__)


class PreferenceError(ApplicationError, ValueError):
    """A preference change that is not allowed; the message is safe to show."""


def _is_minor(user) -> bool:
    age = user.age_on(timezone.localdate())
    return age is not None and age < ADULT_AGE


def _topic(topic: str) -> Topic:
    try:
        return Topic(topic)
    except ValueError as exc:
        raise PreferenceError(_("That is not one of our email topics.")) from exc


def topic_states(*, user) -> dict[str, bool]:
    """Each topic's current state for ``user`` (all off unless they turned it on)."""
    states = consent_states(user=user, purpose=MARKETING_PURPOSE)
    return {
        topic.value: bool((state := states.get((topic.value, Channel.EMAIL.value))) and state.given)
        for topic in Topic
    }


def communication_preference_set(
    *, user, topic: str, enabled: bool, method: str = ConsentMethod.ACCOUNT, text: str = ""
):
    """Turn one topic on or off for ``user``; records the decision as consent (audited).

    Returns the new consent record, or None when the topic was already in that state.
    Under-18s cannot turn marketing on (the ICO Children's Code).
    """
    topic = _topic(topic)
    if enabled and _is_minor(user):
        raise PreferenceError(_("Marketing emails cannot be turned on for learners under 18."))
    if topic_states(user=user)[topic.value] == enabled:
        return None
    if not text:
        text = (
            consent_text(topic)
            if enabled
            else withdrawal_text(topic, how=_("Turned off on the account's communications page."))
        )
    return consent_record(
        subject=user,
        purpose=MARKETING_PURPOSE,
        topic=topic.value,
        channel=Channel.EMAIL,
        given=enabled,
        text=text,
        version=text_version(text),
        method=method,
    )


def communication_preferences_from_signup(*, user, topics: Iterable[str]):
    """Record the topics ticked on the sign-up form, with the exact words each box showed.

    Under-18s get none, whatever was ticked (the Children's Code's high-privacy default).
    """
    from .topics import signup_consent_text

    if _is_minor(user):
        return []
    records = []
    with transaction.atomic():
        for topic in dict.fromkeys(topics):
            record = communication_preference_set(
                user=user,
                topic=topic,
                enabled=True,
                method=ConsentMethod.FORM,
                text=signup_consent_text(topic),
            )
            if record is not None:
                records.append(record)
    return records


def marketing_unsubscribe(*, user, topics: Iterable[str]) -> list:
    """Withdraw consent for ``topics`` from an email link (no login). Idempotent."""
    records = []
    states = topic_states(user=user)
    with transaction.atomic(durable=True):
        for topic in topics:
            topic = _topic(topic)
            if not states[topic.value]:
                continue
            text = withdrawal_text(topic, how=_("Asked with the unsubscribe link in an email."))
            records.append(
                consent_record(
                    subject=user,
                    purpose=MARKETING_PURPOSE,
                    topic=topic.value,
                    channel=Channel.EMAIL,
                    given=False,
                    text=text,
                    version=text_version(text),
                    method=ConsentMethod.EMAIL_LINK,
                )
            )
    return records


# --- Mailings ----------------------------------------------------------------------------------


class MailingError(ApplicationError, ValueError):
    pass


def _audience():
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    return user_model.objects.filter(
        status=user_model.Status.ACTIVE, email_verified_at__isnull=False
    )


def _consenting(topic: str):
    return (
        _audience()
        .annotate(
            consents=latest_consent_subquery(
                purpose=MARKETING_PURPOSE, topic=topic, channel=Channel.EMAIL
            )
        )
        .filter(consents=True)
    )


def mailing_audience_size(*, mailing: Mailing) -> int:
    """How many people consent to the mailing's topic now (before the gate's other checks)."""
    return _consenting(mailing.topic).count()


def mailing_queue(*, mailing: Mailing, actor) -> Mailing:
    """Queue a draft for sending; the task starts once this transaction commits."""
    from .tasks import mailing_send_task

    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
        if mailing.status != Mailing.Status.DRAFT:
            raise MailingError(_("Only a draft can be sent; this mailing has already been queued."))
        if not mailing.subject.strip() or not mailing.body_markdown.strip():
            raise MailingError(_("A mailing needs a subject and a body."))
        mailing.status = Mailing.Status.QUEUED
        mailing.queued_at = timezone.now()
        mailing.save(update_fields=["status", "queued_at"])
        audit_record(
            action=Action.MAILING_QUEUED,
            actor=actor,
            target=mailing,
            payload={"topic": mailing.topic},
        )
        mailing_id = mailing.pk
        transaction.on_commit(lambda: mailing_send_task.enqueue(mailing_id))
    return mailing


def _claim(mailing: Mailing, user) -> MailingDelivery | None:
    """Reserve this person's copy; None if someone (another run) already has it."""
    try:
        with transaction.atomic():
            return MailingDelivery.objects.create(mailing=mailing, user=user)
    except IntegrityError:
        return None


_COUNTERS = {
    SkipReason.NO_CONSENT: "skipped_no_consent",
    SkipReason.RESTRICTED: "skipped_restricted",
    SkipReason.OBJECTING: "skipped_objecting",
    SkipReason.MINOR: "skipped_minor",
}


def mailing_send_batch(*, mailing: Mailing, batch_size: int | None = None) -> bool:
    """Send the next batch of a queued mailing. Returns True while more remain.

    People are taken in id order after the mailing's cursor, so a rerun resumes where the last
    run stopped. Everyone gets at most one copy: a delivery row is claimed (unique per mailing
    and person) before the message is sent, and people who already have one are passed over.
    """
    batch_size = batch_size or settings.MAILING_BATCH_SIZE
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
        if mailing.status not in (Mailing.Status.QUEUED, Mailing.Status.SENDING):
            return False
        if mailing.status == Mailing.Status.QUEUED:
            mailing.status = Mailing.Status.SENDING
            mailing.cursor = 0
            mailing.sent_count = 0
            mailing.failed_count = 0
            for field in _COUNTERS.values():
                setattr(mailing, field, 0)
            # People without consent for the topic are counted, never loaded one by one.
            mailing.skipped_no_consent = _audience().count() - _consenting(mailing.topic).count()
            mailing.save()
        cursor = mailing.cursor
    batch = list(
        _consenting(mailing.topic)
        .filter(pk__gt=cursor)
        .exclude(mailing_deliveries__mailing=mailing)
        .order_by("pk")[:batch_size]
    )
    if not batch:
        return _finish(mailing)
    counts = {field: 0 for field in _COUNTERS.values()}
    sent = failed = 0
    context = _mailing_context(mailing)
    connection = get_connection()
    try:
        connection.open()
        for user in batch:
            delivery = _claim(mailing, user)
            if delivery is None:
                continue
            try:
                reason = send_marketing_email(
                    user=user,
                    topic=mailing.topic,
                    subject=mailing.subject,
                    template="communications/email/mailing",
                    context=context,
                    connection=connection,
                )
            except Exception:  # noqa: BLE001 - one bad address must not stop the batch
                logger.exception("mailing %s: a delivery failed", mailing.pk)
                delivery.status = MailingDelivery.Status.FAILED
                delivery.save(update_fields=["status"])
                failed += 1
                continue
            if reason is not None:
                delivery.delete()
                counts[_COUNTERS[SkipReason(reason)]] += 1
                continue
            delivery.status = MailingDelivery.Status.SENT
            delivery.sent_at = timezone.now()
            delivery.save(update_fields=["status", "sent_at"])
            sent += 1
    finally:
        connection.close()
    from django.db.models import F

    Mailing.objects.filter(pk=mailing.pk).update(
        cursor=batch[-1].pk,
        sent_count=F("sent_count") + sent,
        failed_count=F("failed_count") + failed,
        **{field: F(field) + n for field, n in counts.items() if n},
    )
    logger.info("mailing %s: batch of %s handled, %s sent", mailing.pk, len(batch), sent)
    return True


def _finish(mailing: Mailing) -> bool:
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
        if mailing.status != Mailing.Status.SENDING:
            return False
        mailing.status = Mailing.Status.SENT
        mailing.finished_at = timezone.now()
        mailing.sent_count = mailing.deliveries.filter(status=MailingDelivery.Status.SENT).count()
        mailing.save()
        audit_record(
            action=Action.MAILING_SENT,
            target=mailing,
            payload={
                "topic": mailing.topic,
                "sent": mailing.sent_count,
                "failed": mailing.failed_count,
                **{reason.value: getattr(mailing, field) for reason, field in _COUNTERS.items()},
            },
        )
    return False


def _mailing_context(mailing: Mailing) -> dict:
    from learnward.core.markdown import render_markdown

    return {
        "mailing_subject": mailing.subject,
        "body_text": mailing.body_markdown.strip(),
        "body_html": render_markdown(mailing.body_markdown),
    }
