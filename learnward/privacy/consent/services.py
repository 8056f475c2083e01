"""Consent: recording decisions and deriving the current state from them.

Every decision (given or withdrawn) is a new :class:`ConsentRecord` carrying the exact text the
person saw and its version, so the proof stands up later: who, what, when, how. The current state
is never stored; it is the latest record for the subject, purpose, topic and channel.

``consent_given(user=..., purpose=...)`` without a topic answers "has this person consented to
this purpose for anything?" (the processing gate asks that); senders ask about the topic too.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core.errors import ApplicationError
from learnward.privacy.consent.models import ConsentMethod, ConsentRecord
from learnward.privacy.registry.purposes import get_purpose


class ConsentError(ApplicationError, ValueError):
    pass


def text_version(text: str) -> str:
    """A version label that changes whenever the wording does (so re-asking is automatic)."""
    return "sha256:" + hashlib.sha256(text.strip().encode()).hexdigest()[:16]


def new_browser_id() -> str:
    """A random, pseudonymous identifier for a browser; it says nothing about the person."""
    return secrets.token_urlsafe(18)


def consent_record(
    *,
    subject=None,
    browser_id: str | None = None,
    purpose: str,
    topic: str | None = None,
    channel: str = "",
    given: bool,
    text: str,
    version: str,
    method: str,
    actor=None,
) -> ConsentRecord:
    """Append one consent decision and audit it, in one transaction.

    ``subject`` is the user the decision is about; before sign-up (cookie choices) a
    ``browser_id`` stands in. ``text`` is the exact wording shown and ``version`` its version.
    ``actor`` defaults to the subject (staff or a guardian flow may pass someone else).
    """
    get_purpose(purpose)  # raises for an unknown purpose
    if subject is not None and not getattr(subject, "pk", None):
        raise ConsentError("the subject must be a saved user")
    browser_id = (browser_id or "").strip()
    if subject is None and not browser_id:
        raise ConsentError("a consent record needs a subject or a browser id")
    if len(browser_id) > 64:
        raise ConsentError("browser id is too long")
    text = (text or "").strip()
    if not text:
        raise ConsentError("the exact text shown is required")
    if not (version or "").strip():
        raise ConsentError("the version of the text is required")
    if method not in ConsentMethod.values:
        raise ConsentError(f"unknown consent method {method!r}")
    with transaction.atomic():
        record = ConsentRecord.objects.create(
            subject=subject,
            browser_id=browser_id,
            purpose=purpose,
            topic=topic or "",
            channel=channel or "",
            given=bool(given),
            text=text,
            version=version.strip(),
            method=method,
            at=timezone.now(),
        )
        audit_record(
            action=Action.CONSENT_RECORDED,
            actor=actor if actor is not None else subject,
            subject=subject,
            target=record,
            payload={
                "purpose": purpose,
                "topic": record.topic,
                "channel": record.channel,
                "given": record.given,
                "method": method,
                "version": record.version,
            },
        )
    return record


def _latest_by_key(records) -> dict[tuple[str, str], ConsentRecord]:
    latest: dict[tuple[str, str], ConsentRecord] = {}
    for record in records:  # newest first
        latest.setdefault((record.topic, record.channel), record)
    return latest


def consent_given(
    *, user, purpose: str, topic: str | None = None, channel: str | None = None
) -> bool:
    """Whether ``user`` currently consents to ``purpose`` (for ``topic``/``channel`` if given).

    Without a topic: True when the latest decision for at least one topic is "given".
    """
    if user is None or not getattr(user, "pk", None):
        return False
    records = ConsentRecord.objects.filter(subject_id=user.pk, purpose=purpose)
    if topic is not None:
        records = records.filter(topic=topic)
    if channel is not None:
        records = records.filter(channel=channel)
    latest = _latest_by_key(records.order_by("-at", "-id").only("topic", "channel", "given"))
    return any(record.given for record in latest.values())


def browser_consent(*, browser_id: str, purpose: str) -> ConsentRecord | None:
    """The latest decision recorded for a browser (cookie choices), or None."""
    if not browser_id:
        return None
    return (
        ConsentRecord.objects.filter(browser_id=browser_id, purpose=purpose)
        .order_by("-at", "-id")
        .first()
    )


@dataclass(frozen=True)
class ConsentState:
    topic: str
    channel: str
    given: bool
    record: ConsentRecord | None


def consent_states(*, user, purpose: str) -> dict[tuple[str, str], ConsentState]:
    """The current state per (topic, channel) for one user and purpose, from their records."""
    records = ConsentRecord.objects.filter(subject_id=user.pk, purpose=purpose).order_by(
        "-at", "-id"
    )
    return {
        key: ConsentState(key[0], key[1], record.given, record)
        for key, record in _latest_by_key(records).items()
    }


def consent_history(*, actor, user) -> QuerySet[ConsentRecord]:
    """A user's consent records, newest first: for the user themselves or privacy staff."""
    from django.http import Http404

    if actor is None or not actor.is_authenticated:
        raise Http404
    if actor.pk != user.pk and not actor.has_perm("privacy_consent.view_consentrecord"):
        raise Http404
    return ConsentRecord.objects.filter(subject_id=user.pk).order_by("-at", "-id")


def latest_consent_subquery(*, purpose: str, topic: str, channel: str) -> Subquery:
    """A subquery for ``User`` querysets: the latest "given" flag for purpose/topic/channel.

    Use as ``User.objects.annotate(c=latest_consent_subquery(...)).filter(c=True)`` so a mailing
    finds its audience in one query instead of one per person.
    """
    latest = (
        ConsentRecord.objects.filter(
            subject_id=OuterRef("pk"), purpose=purpose, topic=topic, channel=channel
        )
        .order_by("-at", "-id")
        .values("given")[:1]
    )
    return Subquery(latest)
