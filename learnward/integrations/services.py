"""Writes for integrations: API tokens, enrolling and inviting through the API, webhook
subscriptions and their deliveries, and xAPI statements for the provider's LRS.

Outbound requests (webhooks, the LRS) go through :func:`learnward.core.outbound.check_outbound_url`
when the address is saved and again just before each request. A failed request is retried with
exponential backoff: the row keeps its ``next_attempt_at`` and, when the task backend can run
tasks later, a task is enqueued with ``run_after``; otherwise ``learnward integrations_send_due``
(a periodic job) sends what is due. The same message id (webhooks) or statement id (xAPI) is
sent on every attempt, so the receiver keeps it once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from learnward.accounts.models import User
from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.catalog.models import Course
from learnward.core.access import staff_powers
from learnward.core.errors import ApplicationError
from learnward.core.i18n import supported_language, use_language
from learnward.core.links import absolute_url
from learnward.core.mail import normalise_email, send_service_email
from learnward.core.outbound import UnsafeURL, check_outbound_url
from learnward.learning.extensions import enrolment_gate
from learnward.learning.models import Enrolment
from learnward.learning.registration import RegistrationInvalid
from learnward.learning.services import LearningError, enrolment_create

from . import signing
from .models import (
    ApiInvitation,
    ApiToken,
    DeliveryStatus,
    Scope,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
    XapiStatement,
)

logger = logging.getLogger(__name__)

STAFF_RULE = "integrations.manage_integrations"
TOKEN_PREFIX = "lw_"  # noqa: S105 - the visible start of every token
LOOPBACK_HINT = "LEARNWARD_INTEGRATIONS_ALLOW_LOOPBACK"
MAX_BACKOFF = timedelta(hours=6)


class IntegrationError(ApplicationError):
    """A request the rules refuse; ``message`` is fit to show the person (or the API client),
    ``code`` is the API's error key. Nothing was stored."""

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


def _require_staff(actor) -> None:
    if not staff_powers(actor, STAFF_RULE):
        raise IntegrationError(
            _("Only staff who manage integrations can do this."), code="forbidden"
        )


def _check_url(url: str, *, resolve: bool) -> str:
    return check_outbound_url(
        url,
        allow_loopback=settings.INTEGRATIONS_ALLOW_LOOPBACK,
        resolve=resolve,
        loopback_hint=LOOPBACK_HINT,
    )


def _backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failure: base, 2 x base, 4 x base... at most 6 hours."""
    seconds = settings.WEBHOOK_RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0))
    return min(timedelta(seconds=seconds), MAX_BACKOFF)


def _schedule(task, pk: int, when: datetime) -> None:
    """Enqueue ``task(pk)`` to run at ``when`` if the backend can; else the periodic job will."""
    if task.get_backend().supports_defer:
        task.using(run_after=when).enqueue(pk)


# --- API tokens ----------------------------------------------------------------------------------


def token_hash(secret: str) -> str:
    """What is stored for a token's secret: its SHA-256, in hex (the secret has 256 bits of
    randomness, so a plain hash cannot be reversed by guessing)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _split_token(raw: str) -> tuple[str, str] | None:
    if not raw.startswith(TOKEN_PREFIX):
        return None
    prefix, sep, secret = raw[len(TOKEN_PREFIX) :].partition("_")
    if not sep or not prefix or not secret or len(prefix) > 16:
        return None
    return prefix, secret


@transaction.atomic(durable=True)
def api_token_create(
    *, actor, name: str, scopes: list[str], expires_in_days: int
) -> tuple[ApiToken, str]:
    """Create a token; returns it with its full text, which is shown once and never stored."""
    _require_staff(actor)
    name = " ".join((name or "").split())[:100]
    if not name:
        raise IntegrationError(_("Name the token: what will use it?"), field="name")
    scopes = sorted(set(scopes or []))
    if not scopes or not set(scopes) <= set(Scope.values):
        raise IntegrationError(_("Choose at least one thing the token may do."), field="scopes")
    if not 1 <= expires_in_days <= settings.API_TOKEN_MAX_DAYS:
        raise IntegrationError(
            _("A token lives between 1 and %(days)s days.") % {"days": settings.API_TOKEN_MAX_DAYS},
            field="expires_in_days",
        )
    now = timezone.now()
    prefix = secrets.token_hex(5)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name,
        prefix=prefix,
        secret_hash=token_hash(secret),
        scopes=scopes,
        created_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days),
    )
    audit_record(
        action=Action.API_TOKEN_CREATED,
        actor=actor,
        target=token,
        payload={"prefix": prefix, "scopes": scopes, "days": expires_in_days},
    )
    return token, f"{TOKEN_PREFIX}{prefix}_{secret}"


@transaction.atomic(durable=True)
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke ``token`` at once (revoking twice changes nothing)."""
    _require_staff(actor)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            action=Action.API_TOKEN_REVOKED,
            actor=actor,
            target=token,
            payload={"prefix": token.prefix},
        )
    return token


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The live token ``raw`` is, or None (unknown, wrong secret, revoked or expired). Notes when
    it was last used (at most once a minute, so a busy client does not write on every call)."""
    parts = _split_token((raw or "").strip())
    if parts is None:
        return None
    prefix, secret = parts
    token = ApiToken.objects.filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, token_hash(secret)):
        return None
    now = timezone.now()
    if token.revoked_at is not None or token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


# --- enrolling and inviting through the API --------------------------------------------------------


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def invitation_link(token: str) -> str:
    return absolute_url(reverse("integrations:invitation", args=[token]))


@dataclass(frozen=True)
class EnrolOutcome:
    outcome: str  # "enrolled", "already_enrolled", "invited", "already_invited"
    enrolment: Enrolment | None = None
    invitation: ApiInvitation | None = None


def _enrol(user, course: Course) -> Enrolment:
    try:
        with transaction.atomic():
            return enrolment_create(user=user, course=course)
    except LearningError as exc:
        if exc.code == "gated":
            raise IntegrationError(
                _(
                    "%(reason)s The API does not give paid access: the learner buys the course, "
                    "or takes a seat their organisation holds, then you enrol them."
                )
                % {"reason": exc.message},
                code="enrolment_gated",
            ) from None
        raise IntegrationError(exc.message, code=f"enrolment_{exc.code}") from None
    except RegistrationInvalid:
        raise IntegrationError(
            _(
                "This course asks each learner for registration details that its awarding body "
                "requires: the learner enrols from the course page and gives them."
            ),
            code="registration_required",
        ) from None


@transaction.atomic(durable=True)
def api_enrol(*, api_token: ApiToken, course: Course, email: str) -> EnrolOutcome:
    """Enrol the person with ``email`` on ``course``: at once if they have an account with that
    verified address; by an emailed invitation if they have none. Enrolment gates stand: a paid
    course is refused (the API gives no paid access) unless the person already has access."""
    email = normalise_email(email or "")
    try:
        validate_email(email)
    except ValidationError:
        raise IntegrationError(_("Give a valid email address."), code="invalid_email") from None
    user = User.objects.filter(email=email).first()
    if user is not None:
        if not user.is_active:
            raise IntegrationError(_("This account cannot be enrolled."), code="account_inactive")
        if user.email_verified_at is None:
            raise IntegrationError(
                _(
                    "This person has an account whose email address is not verified yet: they "
                    "verify it, then you enrol them."
                ),
                code="account_unverified",
            )
        existing = Enrolment.objects.filter(user=user, course=course, left_at__isnull=True).first()
        if existing is not None:
            return EnrolOutcome("already_enrolled", enrolment=existing)
        enrolment = _enrol(user, course)
        audit_record(
            action=Action.API_ENROLLED,
            subject=user,
            target=enrolment,
            payload={"token": api_token.prefix, "course_id": course.pk},
        )
        return EnrolOutcome("enrolled", enrolment=enrolment)
    if not course.published:
        raise IntegrationError(
            _("This course is not open for enrolment."), code="course_unavailable"
        )
    gate = enrolment_gate(user=AnonymousUser(), course=course)
    if gate is not None:
        raise IntegrationError(
            _(
                "%(reason)s The API does not give paid access: the learner buys the course, "
                "or takes a seat their organisation holds."
            )
            % {"reason": gate.message},
            code="enrolment_gated",
        )
    now = timezone.now()
    waiting = ApiInvitation.objects.filter(
        email=email, course=course, accepted_at__isnull=True, expires_at__gt=now
    ).first()
    if waiting is not None:
        return EnrolOutcome("already_invited", invitation=waiting)
    token = secrets.token_urlsafe(32)
    invitation = ApiInvitation.objects.create(
        email=email,
        course=course,
        token_hash=invitation_token_hash(token),
        api_token=api_token,
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_DAYS),
    )
    audit_record(
        action=Action.API_INVITED,
        target=invitation,
        payload={"token": api_token.prefix, "course_id": course.pk},
    )
    # The invited person has no account: they are written to in the language of the API request
    # that invited them (its Accept-Language), which also gives the link's /nl/ or /fr/ prefix.
    language = supported_language(get_language())
    with use_language(language):
        context = {
            "name": "",
            "course": course.title,
            "link": invitation_link(token),
            "days": settings.INVITATION_DAYS,
        }
        subject = _("You are invited to the course %(course)s on %(provider)s") % {
            "course": course.title,
            "provider": settings.PROVIDER_NAME,
        }
    transaction.on_commit(
        lambda: _send_quietly(
            to=email,
            subject=subject,
            template="integrations/email/course_invitation",
            context=context,
            language=language,
        )
    )
    return EnrolOutcome("invited", invitation=invitation)


def _send_quietly(**kwargs) -> None:
    try:
        send_service_email(**kwargs)
    except Exception:  # noqa: BLE001 - a failed email never undoes what was recorded
        logger.exception("integrations email not sent: %s", kwargs.get("template"))


def invitation_problem(invitation: ApiInvitation | None) -> str:
    """Why the invitation cannot be accepted, or an empty string."""
    if invitation is None:
        return _("This invitation link is not valid. Ask whoever invited you for a new one.")
    if invitation.accepted_at is not None:
        return _("This invitation has been accepted already.")
    if invitation.expires_at <= timezone.now():
        return _("This invitation has expired. Ask whoever invited you for a new one.")
    return ""


@dataclass(frozen=True)
class Acceptance:
    course: Course
    enrolled: bool


@transaction.atomic(durable=True)
def api_invitation_accept(*, token: str, user) -> Acceptance:
    """Accept the invitation as ``user``, whose verified email address it was sent to, and
    enrol them (unless the course asks for registration details first)."""
    invitation = (
        ApiInvitation.objects.select_for_update()
        .select_related("course")
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )
    problem = invitation_problem(invitation)
    if problem:
        raise IntegrationError(problem)
    if normalise_email(user.email) != invitation.email:
        raise IntegrationError(
            _(
                "This invitation was sent to another email address. Sign in with the account for "
                "that address (or create one with it), then open the link again."
            )
        )
    if user.email_verified_at is None:
        raise IntegrationError(
            _(
                "Confirm your email address first: follow the link in the email we sent you, then "
                "open the invitation again."
            )
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        action=Action.API_INVITATION_ACCEPTED,
        actor=user,
        subject=user,
        target=invitation,
        payload={"course_id": invitation.course_id},
    )
    try:
        _enrol(user, invitation.course)
    except IntegrationError:
        return Acceptance(course=invitation.course, enrolled=False)
    return Acceptance(course=invitation.course, enrolled=True)


# --- issuing a certificate through the API -----------------------------------------------------------

ISSUE_PERMISSION = "certificates.issue_by_hand"


@transaction.atomic(durable=True)
def api_certificate_issue(
    *, api_token: ApiToken, course: Course, email: str, awarded_on, reason: str
):
    """Issue a certificate by hand (learning assessed outside the platform) through
    ``certificate_issue_by_hand``, on behalf of the staff member who created the token: they must
    still hold the power to issue by hand."""
    from learnward.certificates.services import CertificateError, certificate_issue_by_hand

    actor = api_token.created_by
    if actor is None or not actor.is_active or not actor.has_perm(ISSUE_PERMISSION):
        raise IntegrationError(
            _(
                "The staff member who created this token may not issue certificates by hand (any "
                "more): ask an administrator for a token from someone who may."
            ),
            code="issuer_not_permitted",
        )
    user = User.objects.filter(email=normalise_email(email or "")).first()
    if user is None:
        raise IntegrationError(
            _("Nobody has an account with this email address."), code="learner_not_found"
        )
    try:
        certificate = certificate_issue_by_hand(
            actor=actor, user=user, course=course, awarded_on=awarded_on, reason=reason
        )
    except CertificateError as exc:
        message = getattr(exc, "message", None) or str(exc)
        raise IntegrationError(message, code="certificate_refused") from None
    audit_record(
        action=Action.API_CERTIFICATE_ISSUED,
        actor=actor,
        subject=user,
        target=certificate,
        payload={"token": api_token.prefix, "code": certificate.display_code},
    )
    return certificate


# --- webhook subscriptions ---------------------------------------------------------------------------


def _clean_subscription(*, name: str, url: str, events: list[str]) -> tuple[str, str, list[str]]:
    name = " ".join((name or "").split())[:100]
    if not name:
        raise IntegrationError(_("Name the system that receives the events."), field="name")
    url = (url or "").strip()
    try:
        _check_url(url, resolve=False)
    except UnsafeURL as exc:
        raise IntegrationError(exc.args[0] if exc.args else str(exc), field="url") from None
    events = sorted(set(events or []))
    if not events or not set(events) <= set(WebhookEvent.values):
        raise IntegrationError(_("Choose at least one event to send."), field="events")
    return name, url, events


@transaction.atomic(durable=True)
def webhook_create(
    *, actor, name: str, url: str, events: list[str], data_scope: str = "ids"
) -> tuple[WebhookSubscription, str]:
    """Create a subscription; returns it with its signing secret (shown once to staff)."""
    _require_staff(actor)
    name, url, events = _clean_subscription(name=name, url=url, events=events)
    if data_scope not in WebhookSubscription.DataScope.values:
        raise IntegrationError(_("Choose what the events may carry."), field="data_scope")
    secret = signing.new_secret()
    subscription = WebhookSubscription.objects.create(
        name=name,
        url=url,
        events=events,
        data_scope=data_scope,
        secret=secret,
        created_by=actor,
        created_at=timezone.now(),
    )
    audit_record(
        action=Action.WEBHOOK_CREATED,
        actor=actor,
        target=subscription,
        payload={"events": events, "data_scope": data_scope},
    )
    return subscription, secret


@transaction.atomic(durable=True)
def webhook_rotate_secret(*, actor, subscription: WebhookSubscription) -> str:
    """A new secret; the previous one still signs (alongside) for
    ``LEARNWARD_WEBHOOK_SECRET_ROTATION_HOURS``, so the receiver can switch without a gap."""
    _require_staff(actor)
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    secret = signing.new_secret()
    subscription.previous_secret = subscription.secret
    subscription.previous_secret_expires_at = timezone.now() + timedelta(
        hours=settings.WEBHOOK_SECRET_ROTATION_HOURS
    )
    subscription.secret = secret
    subscription.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at"])
    audit_record(action=Action.WEBHOOK_SECRET_ROTATED, actor=actor, target=subscription)
    return secret


@transaction.atomic(durable=True)
def webhook_set_active(*, actor, subscription: WebhookSubscription, active: bool) -> None:
    """Disable or enable again; enabling resets the failure count and sends what was held."""
    _require_staff(actor)
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.active == active:
        return
    if active:
        _check_url_or_refuse(subscription.url)
    subscription.active = active
    subscription.disabled_at = None if active else timezone.now()
    subscription.disabled_reason = "" if active else _("Disabled by staff.")
    subscription.consecutive_failures = 0
    subscription.save(
        update_fields=["active", "disabled_at", "disabled_reason", "consecutive_failures"]
    )
    audit_record(
        action=Action.WEBHOOK_ENABLED if active else Action.WEBHOOK_DISABLED,
        actor=actor,
        target=subscription,
    )
    if active:
        held = list(
            subscription.deliveries.filter(status=DeliveryStatus.HELD).values_list("pk", flat=True)
        )
        subscription.deliveries.filter(pk__in=held).update(
            status=DeliveryStatus.PENDING, next_attempt_at=None
        )
        transaction.on_commit(lambda: _enqueue_deliveries(held))


def _check_url_or_refuse(url: str) -> None:
    try:
        _check_url(url, resolve=False)
    except UnsafeURL as exc:
        raise IntegrationError(str(exc), field="url") from None


def _enqueue_deliveries(ids: list[int]) -> None:
    from .tasks import deliver_webhook

    for pk in ids:
        deliver_webhook.enqueue(pk)


# --- webhook payloads and deliveries ------------------------------------------------------------------


def _course_data(course_id: int | None) -> dict | None:
    course = Course.objects.filter(pk=course_id).only("id", "slug", "title").first()
    if course is None:
        return None
    return {"id": course.pk, "slug": course.slug, "title": course.title}


def _certificate_data(certificate_id: int) -> dict | None:
    from learnward.certificates.models import Certificate

    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return None
    return {
        "id": certificate.pk,
        "code": certificate.display_code,
        "verification_url": absolute_url(
            reverse("certificates:verify", args=[certificate.display_code])
        ),
        "course_title": certificate.course_title,
        "awarded_on": certificate.awarded_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat() if certificate.expires_on else None,
        "revoked_on": certificate.revoked_on.isoformat() if certificate.revoked_on else None,
    }


def webhook_payload_data(*, event: str, data: dict, data_scope: str) -> dict | None:
    """What the event's message says: ids, the course, and public certificate data; the
    learner's email only when the subscription's scope asks for it. None when the row is gone."""
    out: dict = {"learner_id": data.get("user_id"), "course": _course_data(data.get("course_id"))}
    if event == WebhookEvent.ENROLMENT_CREATED:
        out["enrolment_id"] = data["enrolment_id"]
    elif event == WebhookEvent.COURSE_COMPLETED:
        out["completion_id"] = data["completion_id"]
    else:
        certificate = _certificate_data(data["certificate_id"])
        if certificate is None:
            return None
        out["certificate"] = certificate
        if event == WebhookEvent.CERTIFICATE_RENEWED and data.get("previous_id"):
            previous = _certificate_data(data["previous_id"])
            out["previous_certificate"] = (
                {"id": previous["id"], "code": previous["code"]} if previous else None
            )
    if data_scope == WebhookSubscription.DataScope.IDS_AND_EMAIL:
        out["learner_email"] = (
            User.objects.filter(pk=data.get("user_id")).values_list("email", flat=True).first()
        )
    return out


def _gate_allows(user_id: int | None, purpose: str) -> bool:
    """Whether the learner's data may go out for ``purpose`` now: not while they restrict
    processing or object to it (learnward.privacy.consent.gate)."""
    from learnward.privacy.consent.gate import processing_allowed

    user = User.objects.filter(pk=user_id).first()
    return user is not None and processing_allowed(user=user, purpose=purpose)


CONNECTED_PURPOSE = "connected_systems"


def webhook_event_record(*, event: str, data: dict) -> list[int]:
    """Queue one delivery of ``event`` for each active subscription to it; returns their ids.
    Each is sent by the worker once this is committed. Nothing is queued about a learner who
    restricted processing or objected to the purpose."""
    subscriptions = [
        s for s in WebhookSubscription.objects.filter(active=True) if event in (s.events or [])
    ]
    if not subscriptions or not _gate_allows(data.get("user_id"), CONNECTED_PURPOSE):
        return []
    now = timezone.now()
    ids = []
    with transaction.atomic():
        for subscription in subscriptions:
            body = webhook_payload_data(event=event, data=data, data_scope=subscription.data_scope)
            if body is None:
                continue
            delivery = WebhookDelivery.objects.create(
                subscription=subscription,
                user_id=data.get("user_id"),
                message_id=f"msg_{uuid.uuid4().hex}",
                event=event,
                payload={"type": event, "timestamp": now.isoformat(), "data": body},
                created_at=now,
            )
            ids.append(delivery.pk)
        transaction.on_commit(lambda: _enqueue_deliveries(ids))
    return ids


def _signing_secrets(subscription: WebhookSubscription, now: datetime) -> list[str]:
    out = [subscription.secret]
    if (
        subscription.previous_secret
        and subscription.previous_secret_expires_at
        and subscription.previous_secret_expires_at > now
    ):
        out.append(subscription.previous_secret)
    return out


def webhook_body(delivery: WebhookDelivery) -> bytes:
    """The message body, byte for byte the same on every attempt."""
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


def _claim_delivery(delivery_id: int) -> WebhookDelivery | None:
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("subscription")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status not in (
            DeliveryStatus.PENDING,
            DeliveryStatus.RETRYING,
        ):
            return None
        now = timezone.now()
        if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
            return None  # a task that ran early, or twice: the due one will send it
        if not delivery.subscription.active:
            delivery.status = DeliveryStatus.HELD
            delivery.save(update_fields=["status"])
            return None
        delivery.attempts += 1
        delivery.last_attempt_at = now
        # Claimed: another worker's copy of the task finds it not yet due.
        delivery.next_attempt_at = now + timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS * 3)
        delivery.save(update_fields=["attempts", "last_attempt_at", "next_attempt_at"])
        return delivery


def webhook_delivery_attempt(*, delivery_id: int) -> WebhookDelivery | None:
    """Send one delivery now (if it is due) and record the outcome."""
    delivery = _claim_delivery(delivery_id)
    if delivery is None:
        return None
    subscription = delivery.subscription
    now = timezone.now()
    code, error = None, ""
    try:
        _check_url(subscription.url, resolve=True)
        body = webhook_body(delivery)
        response = requests.post(
            subscription.url,
            data=body,
            headers=signing.headers(
                secrets_=_signing_secrets(subscription, now),
                message_id=delivery.message_id,
                timestamp=int(now.timestamp()),
                body=body,
            ),
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
        code = response.status_code
        response.close()
    except UnsafeURL as exc:
        error = f"Refused address: {exc}"[:200]
    except requests.RequestException as exc:
        error = f"Not reached: {type(exc).__name__}"
    ok = code is not None and 200 <= code < 300
    if code is not None and not ok:
        error = f"Answered HTTP {code}"
    return _record_delivery_outcome(delivery.pk, ok=ok, code=code, error=error)


@transaction.atomic
def _record_delivery_outcome(delivery_id: int, *, ok: bool, code, error: str) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
    subscription = WebhookSubscription.objects.select_for_update().get(pk=delivery.subscription_id)
    now = timezone.now()
    delivery.last_status_code = code
    delivery.last_error = "" if ok else error
    if ok:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        subscription.consecutive_failures = 0
        subscription.save(update_fields=["consecutive_failures"])
    else:
        subscription.consecutive_failures = F("consecutive_failures") + 1
        subscription.save(update_fields=["consecutive_failures"])
        subscription.refresh_from_db(fields=["consecutive_failures"])
        if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.GAVE_UP
            delivery.next_attempt_at = None
        else:
            delivery.status = DeliveryStatus.RETRYING
            delivery.next_attempt_at = now + _backoff(delivery.attempts)
        if (
            subscription.active
            and subscription.consecutive_failures >= settings.WEBHOOK_DISABLE_AFTER_FAILURES
        ):
            _disable_failing(subscription, now=now)
            if delivery.status == DeliveryStatus.RETRYING:
                delivery.status = DeliveryStatus.HELD
                delivery.next_attempt_at = None
    delivery.save(
        update_fields=[
            "status",
            "last_status_code",
            "last_error",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    if delivery.status == DeliveryStatus.RETRYING:
        from .tasks import deliver_webhook

        when, pk = delivery.next_attempt_at, delivery.pk
        transaction.on_commit(lambda: _schedule(deliver_webhook, pk, when))
    return delivery


def _disable_failing(subscription: WebhookSubscription, *, now: datetime) -> None:
    subscription.active = False
    subscription.disabled_at = now
    subscription.disabled_reason = _("Disabled after %(count)s failed deliveries in a row.") % {
        "count": subscription.consecutive_failures
    }
    subscription.save(update_fields=["active", "disabled_at", "disabled_reason"])
    subscription.deliveries.filter(
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING]
    ).update(status=DeliveryStatus.HELD, next_attempt_at=None)
    audit_record(
        action=Action.WEBHOOK_DISABLED,
        target=subscription,
        payload={"consecutive_failures": subscription.consecutive_failures},
    )
    context = {
        "subscription": subscription.name,
        "failures": subscription.consecutive_failures,
        "pk": subscription.pk,
    }
    recipients = list(integration_staff().values_list("email", "display_name", "language"))
    transaction.on_commit(lambda: _tell_staff(recipients, context))


def integration_staff():
    """Active staff who manage integrations (and superusers): whom a disabled endpoint is told."""
    permitted = Q(
        groups__permissions__codename="manage_integrations",
        groups__permissions__content_type__app_label="integrations",
    ) | Q(
        user_permissions__codename="manage_integrations",
        user_permissions__content_type__app_label="integrations",
    )
    return (
        User.objects.filter(status=User.Status.ACTIVE, is_staff=True)
        .filter(permitted | Q(is_superuser=True))
        .distinct()
        .order_by("pk")
    )


def _tell_staff(recipients: list[tuple[str, str, str]], context: dict) -> None:
    """Each staff member in their saved language: the subject, the text and the link."""
    for email, name, language in recipients:
        with use_language(language):
            link = absolute_url(reverse("integrations_staff:webhook", args=[context["pk"]]))
            subject = _("Webhook disabled: %(name)s") % {"name": context["subscription"]}
        _send_quietly(
            to=email,
            subject=subject,
            template="integrations/email/webhook_disabled",
            context={**context, "name": name, "link": link},
            language=language,
        )


# --- xAPI statements to the provider's LRS ------------------------------------------------------------

XAPI_PURPOSE = "xapi_statements"
XAPI_VERSION = "1.0.3"
VERBS = {
    "launched": "http://adlnet.gov/expapi/verbs/launched",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "earned": "http://id.tincanapi.com/verb/earned",
}
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
CERTIFICATE_TYPE = "http://id.tincanapi.com/activitytype/certificate"


def lrs_processor():
    """The active processor registered for xAPI statements (the LRS), or None."""
    from learnward.privacy.records.models import Processor

    for processor in Processor.objects.filter(active=True, role=Processor.Role.PROCESSOR):
        if XAPI_PURPOSE in (processor.purposes or []):
            return processor
    return None


def xapi_enabled() -> bool:
    """Statements are queued and sent only when the LRS is configured and registered."""
    return bool(settings.XAPI_LRS_ENDPOINT) and lrs_processor() is not None


def xapi_actor_name(user_id: int) -> str:
    """The learner's opaque account name at the LRS: a keyed hash of their id, the same each
    time, which says nothing about them to anyone without the key."""
    key = (settings.XAPI_ACTOR_KEY or settings.SECRET_KEY).encode()
    return hmac.new(key, f"xapi-actor:{user_id}".encode(), hashlib.sha256).hexdigest()[:32]


def _xapi_actor(user_id: int) -> dict:
    return {
        "objectType": "Agent",
        "account": {"homePage": settings.XAPI_ACTOR_HOMEPAGE, "name": xapi_actor_name(user_id)},
    }


def _course_activity(course: Course) -> dict:
    return {
        "objectType": "Activity",
        "id": absolute_url(reverse("catalog:course", args=[course.slug])),
        "definition": {"type": COURSE_TYPE, "name": {"en-GB": course.title}},
    }


def _xapi_plan(event: str, data: dict) -> tuple[str, str, dict, dict] | None:
    """(verb, dedupe key, object, result) for an event, or None when nothing is said."""
    from learnward.assessments.models import Attempt
    from learnward.certificates.models import Certificate

    course = Course.objects.filter(pk=data.get("course_id")).first()
    if course is None:
        return None
    if event == "lesson.viewed":
        enrolment = Enrolment.objects.filter(
            user_id=data["user_id"], course=course, left_at__isnull=True
        ).first()
        if enrolment is None:
            return None
        key = f"launched:{enrolment.pk}:{enrolment.cycle}"
        return "launched", key, _course_activity(course), {}
    if event == "course.completed":
        key = f"completed:{data['completion_id']}"
        return "completed", key, _course_activity(course), {"completion": True}
    if event in ("assessment.passed", "assessment.failed"):
        attempt = Attempt.objects.filter(pk=data["attempt_id"]).first()
        if attempt is None:
            return None
        passed = event == "assessment.passed"
        result: dict = {"success": passed, "completion": True}
        if attempt.score is not None:
            result["score"] = {"scaled": round(float(attempt.score) / 100, 4)}
        verb = "passed" if passed else "failed"
        return verb, f"{verb}:{attempt.pk}", _course_activity(course), result
    if event == "certificate.issued":
        certificate = Certificate.objects.filter(pk=data["certificate_id"]).first()
        if certificate is None:
            return None
        activity = {
            "objectType": "Activity",
            "id": absolute_url(reverse("certificates:verify", args=[certificate.display_code])),
            "definition": {
                "type": CERTIFICATE_TYPE,
                "name": {"en-GB": f"Certificate: {certificate.course_title}"},
            },
        }
        return "earned", f"earned:{certificate.pk}", activity, {"completion": True}
    return None


def xapi_statement_queue(*, event: str, data: dict) -> XapiStatement | None:
    """Queue the statement for ``event`` (once: a repeat of the same happening queues nothing),
    when xAPI is on and the learner has not restricted processing or objected; it is sent once
    committed."""
    if not xapi_enabled() or not _gate_allows(data.get("user_id"), XAPI_PURPOSE):
        return None
    plan = _xapi_plan(event, data)
    if plan is None:
        return None
    verb, key, activity, result = plan
    if XapiStatement.objects.filter(dedupe_key=key).exists():
        return None
    now = timezone.now()
    statement_id = uuid.uuid4()
    statement = {
        "id": str(statement_id),
        "actor": _xapi_actor(data["user_id"]),
        "verb": {"id": VERBS[verb], "display": {"en-GB": verb}},
        "object": activity,
        "timestamp": now.isoformat(),
        "context": {"platform": "Learnward", "language": "en-GB"},
    }
    if result:
        statement["result"] = result
    with transaction.atomic():
        row, created = XapiStatement.objects.get_or_create(
            dedupe_key=key,
            defaults={
                "statement_id": statement_id,
                "user_id": data["user_id"],
                "verb": verb,
                "statement": statement,
                "created_at": now,
            },
        )
        if created:
            pk = row.pk
            transaction.on_commit(lambda: _enqueue_statement(pk))
    return row if created else None


def _enqueue_statement(pk: int) -> None:
    from .tasks import send_xapi_statement

    send_xapi_statement.enqueue(pk)


def xapi_statement_send(*, statement_pk: int) -> XapiStatement | None:
    """PUT the statement to the LRS with its id; a repeat (the LRS has it: 409, or 204 for the
    same statement) counts as sent. Leaves it waiting while xAPI is off."""
    with transaction.atomic():
        row = XapiStatement.objects.select_for_update().filter(pk=statement_pk).first()
        now = timezone.now()
        if row is None or row.status not in (XapiStatement.Status.PENDING, "retrying"):
            return None
        if row.next_attempt_at is not None and row.next_attempt_at > now:
            return None
        if not xapi_enabled():
            return row
        row.attempts += 1
        row.next_attempt_at = now + timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS * 3)
        row.save(update_fields=["attempts", "next_attempt_at"])
    code, error = None, ""
    endpoint = settings.XAPI_LRS_ENDPOINT
    try:
        _check_url(endpoint, resolve=True)
        response = requests.put(
            f"{endpoint}/statements",
            params={"statementId": str(row.statement_id)},
            data=json.dumps(row.statement, separators=(",", ":")).encode(),
            headers={
                "X-Experience-API-Version": XAPI_VERSION,
                "Content-Type": "application/json",
            },
            auth=(settings.XAPI_LRS_KEY, settings.XAPI_LRS_SECRET),
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
        code = response.status_code
        response.close()
    except UnsafeURL as exc:
        error = f"Refused address: {exc}"[:200]
    except requests.RequestException as exc:
        error = f"Not reached: {type(exc).__name__}"
    ok = code is not None and (200 <= code < 300 or code == 409)
    if code is not None and not ok:
        error = f"Answered HTTP {code}"
    with transaction.atomic():
        row = XapiStatement.objects.select_for_update().get(pk=statement_pk)
        row.last_status_code = code
        row.last_error = "" if ok else error
        if ok:
            row.status, row.sent_at, row.next_attempt_at = XapiStatement.Status.SENT, now, None
        elif row.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            row.status, row.next_attempt_at = XapiStatement.Status.GAVE_UP, None
        else:
            row.status = XapiStatement.Status.RETRYING
            row.next_attempt_at = now + _backoff(row.attempts)
            from .tasks import send_xapi_statement

            when = row.next_attempt_at
            transaction.on_commit(lambda: _schedule(send_xapi_statement, statement_pk, when))
        row.save(
            update_fields=["status", "sent_at", "next_attempt_at", "last_status_code", "last_error"]
        )
    return row


# --- what is due (the periodic safety net) ------------------------------------------------------------


def integrations_send_due(*, now: datetime | None = None) -> dict[str, int]:
    """Send every webhook delivery and xAPI statement that is due; returns how many were tried."""
    now = now or timezone.now()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    deliveries = list(
        WebhookDelivery.objects.filter(
            due, status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING]
        ).values_list("pk", flat=True)
    )
    for pk in deliveries:
        webhook_delivery_attempt(delivery_id=pk)
    statements = list(
        XapiStatement.objects.filter(
            due, status__in=[XapiStatement.Status.PENDING, XapiStatement.Status.RETRYING]
        ).values_list("pk", flat=True)
    )
    for pk in statements:
        xapi_statement_send(statement_pk=pk)
    return {"webhooks": len(deliveries), "statements": len(statements)}
