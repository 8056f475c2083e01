"""A parent's or guardian's consent for learners in the guardian band of the age policy.

Sign-up (``services.user_sign_up``) creates the account as ``pending_guardian`` together with a
:class:`~learnward.accounts.models.GuardianConsentRequest` and emails the guardian a signed link.
The guardian sees what the account involves and agrees or refuses:

- agreeing makes the account active and records the consent (``learnward.privacy.consent``, method
  "guardian") with the exact words shown;
- refusing, or no answer within ``LEARNWARD_GUARDIAN_CONSENT_DAYS``, erases the waiting account
  through the registry (``learnward.privacy.registry.erasure.erase_subject``).

Links carry the request id and its ``link_key``, never an address, and are signed; they stop
working once answered, once expired, or when the learner corrects the guardian's address.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core.errors import ApplicationError
from learnward.core.mail import normalise_email

from . import limits, tasks
from .models import GuardianConsentRequest, User

logger = logging.getLogger(__name__)

GUARDIAN_PURPOSE = "guardian_consent"
_LINK_SALT = "learnward.accounts.guardian-consent"


class GuardianLinkError(ApplicationError):
    """A guardian link that cannot be used: ``reason`` is "invalid", "expired" or "answered"."""

    def __init__(self, reason: str, request: GuardianConsentRequest | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.request = request


class GuardianEmailInvalid(ApplicationError, ValueError):
    """The guardian's address cannot be used; the message is safe to show."""


def consent_days() -> int:
    return settings.GUARDIAN_CONSENT_DAYS


def check_guardian_email(*, guardian_email: str, learner_email: str) -> str:
    """The normalised guardian address, or :class:`GuardianEmailInvalid`."""
    address = normalise_email(guardian_email or "")
    if not address:
        raise GuardianEmailInvalid(_("Enter your parent's or guardian's email address."))
    if address == normalise_email(learner_email or ""):
        raise GuardianEmailInvalid(
            _("Enter your parent's or guardian's own email address, not yours.")
        )
    return address


# --- What the guardian agrees to ----------------------------------------------------------------


@dataclass(frozen=True)
class GuardianWording:
    """The exact words the guardian is shown and agrees to, one paragraph each."""

    paragraphs: tuple[str, ...]
    version: str
    purposes: tuple[tuple[str, str], ...]  # (name, description) of each purpose, for the page

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def minor_purposes() -> list:
    """Purposes a minor's account is used for: everything declared for learners' data except
    consent-based purposes (off until chosen) and those the gate blocks for under-18s."""
    from learnward.privacy.registry import personal_declarations
    from learnward.privacy.registry.purposes import PURPOSES, LawfulBasis

    used = {key for d in personal_declarations() if d.subject is not None for key in d.purposes}
    return [
        p
        for key, p in PURPOSES.items()
        if key in used and not p.blocked_for_minors and p.basis != LawfulBasis.CONSENT
    ]


def _paragraphs(*, name: str) -> tuple[list[str], list]:
    provider = settings.PROVIDER_NAME
    purposes = minor_purposes()
    return (
        [
            _(
                "I am the parent or guardian of %(name)s. I agree to %(provider)s creating an "
                "account for %(name)s and running it as described here."
            )
            % {"name": name, "provider": provider},
            _(
                "What %(provider)s keeps about %(name)s: their name, email address and date of "
                "birth; the courses they join, their progress and results, and the certificates "
                "they earn; their answers to assessments; and any messages they send."
            )
            % {"name": name, "provider": provider},
            _("What it is used for: %(purposes)s.")
            % {"purposes": "; ".join(str(p.name) for p in purposes)},
            _(
                "While %(name)s is under 18: no marketing emails, no AI features, and no profiling "
                "or personalisation. Anything else that needs consent stays off unless they "
                "choose it."
            )
            % {"name": name},
            _(
                "Either of us can ask %(provider)s for a copy of this information or to delete "
                "the account at any time."
            )
            % {"provider": provider},
        ],
        purposes,
    )


def guardian_wording(*, learner_name: str) -> GuardianWording:
    """The words for this learner; the version changes whenever the wording does (not the name)."""
    from learnward.privacy.consent.services import text_version

    paragraphs, purposes = _paragraphs(name=learner_name)
    template, _purposes = _paragraphs(name="{name}")
    return GuardianWording(
        paragraphs=tuple(paragraphs),
        version=text_version("\n\n".join(template)),
        purposes=tuple((str(p.name), str(p.description)) for p in purposes),
    )


# --- Links -----------------------------------------------------------------------------------------


def guardian_link_token(request: GuardianConsentRequest) -> str:
    return signing.dumps({"r": request.pk, "k": request.link_key}, salt=_LINK_SALT)


def guardian_link_path(request: GuardianConsentRequest) -> str:
    return reverse("accounts:guardian_consent", args=[guardian_link_token(request)])


def _read_token(token: str) -> tuple[int, str]:
    try:
        data = signing.loads(token, salt=_LINK_SALT, max_age=timedelta(days=consent_days()))
    except signing.SignatureExpired:
        raise GuardianLinkError("expired") from None
    except signing.BadSignature:
        raise GuardianLinkError("invalid") from None
    if not isinstance(data, dict) or not isinstance(data.get("r"), int):
        raise GuardianLinkError("invalid")
    return data["r"], str(data.get("k", ""))


def _usable(request: GuardianConsentRequest | None, key: str, now: datetime):
    if request is None or not secrets.compare_digest(request.link_key, key):
        raise GuardianLinkError("invalid")
    if request.status != GuardianConsentRequest.Status.PENDING:
        raise GuardianLinkError("answered", request)
    if request.user.status != User.Status.PENDING_GUARDIAN:
        raise GuardianLinkError("invalid")
    if request.is_expired(now):
        raise GuardianLinkError("expired", request)
    return request


def guardian_request_for_token(*, token: str, now: datetime | None = None):
    """The pending request a guardian's link is for, or :class:`GuardianLinkError`.

    The link is the guardian's only credential: it must be signed by us, carry the request's
    current key, and the request must still be waiting and in time.
    """
    request_id, key = _read_token(token)
    request = GuardianConsentRequest.objects.select_related("user").filter(pk=request_id).first()
    return _usable(request, key, now or timezone.now())


def guardian_request_for_user(*, user) -> GuardianConsentRequest | None:
    """The learner's own request (for their status page); nobody else's."""
    if user is None or not user.is_authenticated:
        return None
    return GuardianConsentRequest.objects.filter(user_id=user.pk).first()


# --- Writes -----------------------------------------------------------------------------------------


def guardian_request_create(*, user: User, guardian_email: str) -> GuardianConsentRequest:
    """Ask ``guardian_email`` to consent for ``user``. Called inside sign-up's transaction, which
    records the audit entry; the email goes once it commits."""
    now = timezone.now()
    request = GuardianConsentRequest.objects.create(
        user=user,
        guardian_email=guardian_email,
        link_key=secrets.token_hex(16),
        created_at=now,
        expires_at=now + timedelta(days=consent_days()),
        last_sent_at=now,
    )
    request_id = request.pk
    transaction.on_commit(lambda: tasks.send_guardian_request_email.enqueue(request_id))
    return request


def guardian_request_resend(*, user: User, guardian_email: str) -> GuardianConsentRequest:
    """Email the guardian again, to the same or a corrected address (3 an hour per account).

    A corrected address gets a new link key, so the link sent to the wrong address stops
    working. The deadline stays where it was. Raises :class:`GuardianEmailInvalid`,
    ``limits.RateLimited``, or ``ValueError`` when the account is not waiting for a guardian.
    """
    address = check_guardian_email(guardian_email=guardian_email, learner_email=user.email)
    limits.hit("guardian-resend", str(user.pk))
    now = timezone.now()
    with transaction.atomic(durable=True):
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.status != User.Status.PENDING_GUARDIAN:
            raise ValueError("this account is not waiting for a guardian")
        request = GuardianConsentRequest.objects.filter(user=locked).first()
        if request is None:  # the guardian had their address erased: ask afresh, same deadline
            request = GuardianConsentRequest(
                user=locked,
                created_at=now,
                expires_at=locked.date_joined + timedelta(days=consent_days()),
            )
        if request.is_expired(now):
            raise ValueError("the time for the guardian to answer has run out")
        changed = request.guardian_email != address
        if changed or not request.link_key:
            request.guardian_email = address
            request.link_key = secrets.token_hex(16)
        request.last_sent_at = now
        request.save()
        audit_record(
            action=Action.GUARDIAN_REQUEST_SENT,
            actor=locked,
            subject=locked,
            target=request,
            payload={"address_changed": changed},
        )
        request_id = request.pk
        transaction.on_commit(lambda: tasks.send_guardian_request_email.enqueue(request_id))
    return request


def guardian_consent_give(*, token: str, version: str) -> User:
    """The guardian agrees: the account becomes active and the consent is recorded.

    ``version`` is the version of the words the page showed. If the wording has changed since
    (a page left open across an update), nothing is recorded and :class:`GuardianLinkError`
    ("changed") asks for the new words to be shown. Other errors: see
    :func:`guardian_request_for_token`.
    """
    from learnward.privacy.consent.services import consent_record

    with transaction.atomic(durable=True):
        request_id, key = _read_token(token)
        request = (
            GuardianConsentRequest.objects.select_for_update()
            .select_related("user")
            .filter(pk=request_id)
            .first()
        )
        request = _usable(request, key, timezone.now())
        learner = User.objects.select_for_update().get(pk=request.user_id)
        wording = guardian_wording(learner_name=learner.display_name)
        if version != wording.version:
            raise GuardianLinkError("changed", request)
        now = timezone.now()
        request.status = GuardianConsentRequest.Status.CONSENTED
        request.decided_at = now
        request.save(update_fields=["status", "decided_at"])
        learner.status = User.Status.ACTIVE
        learner.save(update_fields=["status"])
        consent_record(
            subject=learner,
            purpose=GUARDIAN_PURPOSE,
            given=True,
            text=wording.text,
            version=wording.version,
            method="guardian",
        )
        audit_record(
            action=Action.GUARDIAN_CONSENTED,
            actor=None,
            subject=learner,
            target=request,
            payload={"version": wording.version},
        )
        learner_id = learner.pk
        transaction.on_commit(lambda: tasks.send_guardian_consented_email.enqueue(learner_id))
    return learner


def _erase_waiting_account(request: GuardianConsentRequest, *, action: Action, reason: str) -> None:
    """Erase the learner's waiting account; the audit entry names no one. Inside a transaction."""
    from learnward.privacy.registry.erasure import erase_subject

    learner = request.user
    address = learner.email
    language = learner.language  # the notice goes out after the account (and its language) is gone
    outcome = "refused" if action == Action.GUARDIAN_REFUSED else "expired"
    audit_record(
        action=action,
        actor=None,
        target=request if request.pk else None,
        payload={"outcome": outcome},
    )
    plan = erase_subject(user=learner)
    audit_record(
        action=Action.SUBJECT_ERASED, actor=None, payload={"reason": reason, **plan.summary()}
    )
    # Sent straight away, not queued: a queued task would store the address after erasure.
    transaction.on_commit(
        lambda: tasks.send_guardian_outcome_notice(to=address, outcome=outcome, language=language),
        robust=True,
    )


def guardian_consent_refuse(*, token: str) -> None:
    """The guardian refuses: the waiting account and everything in it are erased now."""
    with transaction.atomic(durable=True):
        request_id, key = _read_token(token)
        request = (
            GuardianConsentRequest.objects.select_for_update()
            .select_related("user")
            .filter(pk=request_id)
            .first()
        )
        request = _usable(request, key, timezone.now())
        _erase_waiting_account(
            request,
            action=Action.GUARDIAN_REFUSED,
            reason="A parent or guardian refused consent for a waiting account",
        )


def _due_filter(now: datetime) -> Q:
    cutoff = now - timedelta(days=consent_days())
    return Q(
        guardian_request__status=GuardianConsentRequest.Status.PENDING,
        guardian_request__expires_at__lte=now,
    ) | Q(guardian_request__isnull=True, date_joined__lte=cutoff)


def guardian_requests_due(*, now: datetime | None = None) -> list[int]:
    """Ids of waiting accounts whose guardian did not answer in time."""
    now = now or timezone.now()
    return list(
        User.objects.filter(status=User.Status.PENDING_GUARDIAN)
        .filter(_due_filter(now))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def guardian_requests_expire(*, now: datetime | None = None) -> int:
    """Erase every waiting account whose guardian did not answer in time; one transaction each.

    Idempotent and safe to interrupt: each account is re-checked under a lock before erasure.
    Returns how many were erased.
    """
    now = now or timezone.now()
    done = 0
    for user_id in guardian_requests_due(now=now):
        with transaction.atomic():
            learner = (
                User.objects.select_for_update()
                .filter(pk=user_id, status=User.Status.PENDING_GUARDIAN)
                .first()
            )
            # Checked again under the lock (a guardian may have just answered); the due filter
            # joins outwards, which PostgreSQL cannot lock, so it is a separate query.
            if (
                learner is None
                or not User.objects.filter(pk=user_id).filter(_due_filter(now)).exists()
            ):
                continue
            request = (
                GuardianConsentRequest.objects.select_for_update().filter(user=learner).first()
            )
            if request is None:  # the guardian's address was erased earlier
                request = GuardianConsentRequest(user=learner)
            request.user = learner
            _erase_waiting_account(
                request,
                action=Action.GUARDIAN_REQUEST_EXPIRED,
                reason="No answer from a parent or guardian in time for a waiting account",
            )
        done += 1
    if done:
        logger.info("guardian requests: %d waiting account(s) erased after no answer", done)
    return done
