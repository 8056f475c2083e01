"""Integrations: API tokens, invitations made through the API, webhook subscriptions and their
delivery log, and the queue of xAPI statements for the provider's learning record store.

Secrets: an API token is stored as the SHA-256 of its high-entropy secret, with a visible prefix
to find it by; the token itself is shown once. A webhook's signing secret must be kept (the site
signs with it), so it is stored as given, and shown to staff once, when it is made or rotated.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ_COURSES = "courses:read", _("Read courses")
    MANAGE_ENROLMENTS = "enrolments:write", _("Manage enrolments")
    READ_RECORDS = "records:read", _("Read completions and certificates")
    ISSUE_CERTIFICATES = "certificates:issue", _("Issue certificates")


class ApiToken(models.Model):
    """A bearer token for /api/v1/. ``prefix`` is shown in lists and finds the row; only the
    secret's SHA-256 is stored."""

    name = models.CharField(max_length=100, help_text=_("What the token is for, e.g. 'HR system'."))
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("manage_integrations", "Can manage API tokens and webhooks")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def status_label(self) -> str:
        if self.revoked_at is not None:
            when = date_format(timezone.localtime(self.revoked_at), "j M Y")
            return gettext("Revoked %(date)s") % {"date": when}
        when = date_format(timezone.localtime(self.expires_at), "j M Y")
        if self.expires_at <= timezone.now():
            return gettext("Expired %(date)s") % {"date": when}
        return gettext("Active until %(date)s") % {"date": when}

    def scope_labels(self) -> list[str]:
        labels = dict(Scope.choices)
        return [labels.get(s, s) for s in self.scopes]


class ApiInvitation(models.Model):
    """An invitation to a course sent through the API to someone without an account: they sign
    up with the address it was sent to, then accept and are enrolled. The link's token is stored
    as its SHA-256."""

    email = models.EmailField()
    course = models.ForeignKey("catalog.Course", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    api_token = models.ForeignKey(
        ApiToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Invitation {self.pk}"


class WebhookEvent(models.TextChoices):
    ENROLMENT_CREATED = "enrolment.created", _("A learner enrolled")
    COURSE_COMPLETED = "course.completed", _("A learner completed a course")
    CERTIFICATE_ISSUED = "certificate.issued", _("A certificate was issued")
    CERTIFICATE_REVOKED = "certificate.revoked", _("A certificate was revoked")
    CERTIFICATE_RENEWED = "certificate.renewed", _("A certificate was renewed")


class WebhookSubscription(models.Model):
    """Where events are sent, signed as the Standard Webhooks specification says."""

    class DataScope(models.TextChoices):
        IDS = "ids", _("Ids and public certificate data only")
        IDS_AND_EMAIL = "ids_email", _("Also the learner's email address")

    name = models.CharField(max_length=100, help_text=_("The system receiving the events."))
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    data_scope = models.CharField(max_length=10, choices=DataScope.choices, default=DataScope.IDS)
    secret = models.CharField(max_length=80)
    previous_secret = models.CharField(max_length=80, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def event_labels(self) -> list[str]:
        labels = dict(WebhookEvent.choices)
        return [labels.get(e, e) for e in self.events]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    RETRYING = "retrying", _("Failed; will be tried again")
    DELIVERED = "delivered", _("Delivered")
    GAVE_UP = "gave_up", _("Failed; no more attempts")
    HELD = "held", _("Held (the endpoint is disabled)")


class WebhookDelivery(models.Model):
    """One event for one subscription: the message (same ``message_id`` on every attempt, so the
    consumer can drop a repeat) and the log of attempts. Response bodies are never kept."""

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    message_id = models.CharField(max_length=40, unique=True)
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} {self.message_id}"


class XapiStatement(models.Model):
    """A statement queued for the provider's LRS. ``statement_id`` is the statement's id: every
    attempt sends the same id, so the LRS stores it once. ``dedupe_key`` keeps one statement per
    happening (one "launched" per enrolment cycle, one "completed" per completion...)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        RETRYING = "retrying", _("Failed; will be tried again")
        SENT = "sent", _("Sent")
        GAVE_UP = "gave_up", _("Failed; no more attempts")

    statement_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dedupe_key = models.CharField(max_length=100, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    verb = models.CharField(max_length=20)
    statement = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"xAPI {self.verb} {self.statement_id}"
